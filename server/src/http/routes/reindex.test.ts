/**
 * `/reindex` (one at a time) over real HTTP: a second request while one is pending answers
 * 409 naming the pending monitor, with `Link rel="monitor"` and `Retry-After`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, linkTarget } from '../../testing/api-client.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

// Servers start inside some tests and compile their validators on first use; CI machines are small.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

describe('one reindex at a time', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    // No worker: the first reindex stays pending for as long as the test needs.
    t = await startTestServer({ engine: { runWorker: false } });
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  it('refuses a second request while the first is pending with 409 naming its monitor, Link and Retry-After', async () => {
    const first = await api.post('/reindex', { scope: 'all' });
    expect(first.status).toBe(202);
    const pending = await first.json();

    const second = await api.post('/reindex', { scope: 'cars' });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(linkTarget(second.headers.get('link'), 'monitor')).toBe(pending.links.self.href);
    expect(second.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    const problem = await second.json();
    expect(problem).toMatchObject({
      type: 'https://longrun.dev/problems/operation-pending',
      title: 'A request has already been accepted',
      status: 409,
      monitor: pending.links.self.href,
    });
    expect(problem.detail).toContain(pending.id);
    expect((await api.listAll('kind=reindex')).map((monitor) => monitor.id)).toEqual([pending.id]);

    // Another tenant has its own lock.
    expect((await api.post('/reindex', { scope: 'all' }, {}, 'globex')).status).toBe(202);

    // Once the pending one ends, the next is accepted.
    expect((await api.post(`${pending.links.self.href}/cancel`)).status).toBe(200);
    expect((await api.post('/reindex', { scope: 'cars' })).status).toBe(202);
  });
});

describe('a reindex', () => {
  it('ends 200 with its inline report and no product', async () => {
    const t = await startTestServer();
    const api = new ApiClient(t);
    try {
      const accepted = await (await api.post('/reindex', { scope: 'widget-orders' })).json();
      await api.untilTerminal(accepted.links.self.href);
      const final = await api.get(accepted.links.self.href);
      expect(final.status).toBe(200);
      expect(final.headers.get('etag')).toMatch(/^"[^"]+"$/);
      expect(final.headers.get('location')).toBeNull();
      const monitor = await final.json();
      expect(monitor).toMatchObject({
        state: 'succeeded',
        result: { scope: 'widget-orders', documentsIndexed: 5_618 },
      });
      expect(monitor.links.product).toBeUndefined();
      expect((await api.post('/reindex', { scope: 'all' })).status).toBe(202);
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
