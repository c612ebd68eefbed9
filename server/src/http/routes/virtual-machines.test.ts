/**
 * `/virtual-machines` (embedded status) over real HTTP: embedded status. `Location` is the machine, which
 * carries status, progress and ETA; `Link rel="monitor"` is its monitor.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, BODIES, linkTarget } from '../../testing/api-client.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

// Servers start inside some tests and compile their validators on first use; CI machines are small.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

describe('a virtual machine being provisioned', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer();
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  it('is accepted with Location → the machine and Link → its monitor, and ends ready with an address', async () => {
    const accepted = await api.post('/virtual-machines', BODIES.vm);
    expect(accepted.status).toBe(202);
    const monitor = await accepted.json();
    const vmHref = accepted.headers.get('location') as string;
    expect(vmHref).toMatch(/^\/virtual-machines\/vm_/);
    expect(linkTarget(accepted.headers.get('link'), 'monitor')).toBe(`/monitors/${monitor.id}`);
    expect(monitor.links.product.href).toBe(vmHref);

    const machine = await api.get(vmHref);
    expect(machine.status).toBe(200);
    expect(machine.headers.get('etag')).toMatch(/^".+"$/);
    expect(linkTarget(machine.headers.get('link'), 'monitor')).toBe(`/monitors/${monitor.id}`);
    const body = await machine.json();
    expect(body).toMatchObject({
      configuration: BODIES.vm.configuration,
      links: { self: { href: vmHref }, monitor: { href: `/monitors/${monitor.id}` } },
    });
    expect(['provisioning', 'ready']).toContain(body.status);

    await api.untilTerminal(monitor.links.self.href);
    const final = await api.get(monitor.links.self.href);
    expect(final.status).toBe(201);
    expect(final.headers.get('location')).toBe(vmHref);
    const ready = await (await api.get(vmHref)).json();
    expect(ready).toMatchObject({ status: 'ready', progress: { percent: 100 }, estimatedCompletionAt: null });
    const octets = IPV4.exec(ready.ipAddress)?.slice(1).map(Number) ?? [];
    expect(octets).toHaveLength(4);
    expect(octets.every((octet) => octet <= 255)).toBe(true);
  });

  it('shows failed and no address when provisioning fails (more than 1024 GB of memory)', async () => {
    const accepted = await api.post('/virtual-machines', BODIES.hugeVm);
    const vmHref = accepted.headers.get('location') as string;
    const done = await api.untilTerminal((await accepted.json()).links.self.href);
    expect(done.state).toBe('failed');
    expect(done.error?.detail).toMatch(/2048GB/);
    expect(done.steps.map((step) => [step.name, step.state])).toEqual([
      ['allocate', 'failed'],
      ['image', 'skipped'],
      ['boot', 'skipped'],
    ]);
    expect(await (await api.get(vmHref)).json()).toMatchObject({
      status: 'failed',
      ipAddress: null,
      estimatedCompletionAt: null,
    });
  });
});

describe('a virtual machine waiting for a worker', () => {
  it('carries the status, progress and ETA of its monitor, and reads cancelled once cancelled', async () => {
    const t = await startTestServer({ engine: { runWorker: false } });
    const api = new ApiClient(t);
    try {
      const accepted = await api.post('/virtual-machines', BODIES.vm);
      const monitor = await accepted.json();
      const vmHref = accepted.headers.get('location') as string;
      const machine = await (await api.get(vmHref)).json();
      expect(machine).toMatchObject({
        status: 'provisioning',
        progress: monitor.progress,
        estimatedCompletionAt: monitor.estimatedCompletionAt,
        ipAddress: null,
      });
      expect(Date.parse(machine.estimatedCompletionAt)).toBeGreaterThan(Date.parse(monitor.createdAt));

      expect((await api.post(`${monitor.links.self.href}/cancel`)).status).toBe(200);
      expect(await (await api.get(vmHref)).json()).toMatchObject({
        status: 'cancelled',
        ipAddress: null,
        estimatedCompletionAt: null,
      });
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
