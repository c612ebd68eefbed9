/**
 * Tenant isolation: each API key belongs to a tenant; another tenant's monitors and resources do not
 * exist for the caller (404, exactly as for an id nobody has), and lists show only the caller's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, BODIES } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

describe('another tenant', () => {
  let t: TestServer;
  let api: ApiClient;
  const acme: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestServer();
    api = new ApiClient(t);
    const car = await (await api.post('/cars', BODIES.car, { Prefer: 'wait=30' })).json();
    const vm = await (await api.post('/virtual-machines', BODIES.vm, { Prefer: 'wait=30' })).json();
    const transcode = await (await api.post('/transcodes', BODIES.transcode, { Prefer: 'wait=30' })).json();
    const fulfilled = await (await api.post('/widget-orders', BODIES.widgetOrder, { Prefer: 'wait=30' })).json();
    const waiting = await api.untilWaiting(
      (await (await api.post('/widget-orders', BODIES.manualWidgetOrder)).json()).links.self.href,
    );
    Object.assign(acme, {
      carMonitor: car.links.self.href,
      car: car.links.product.href,
      vm: vm.links.product.href,
      product: transcode.links.product.href,
      waitingMonitor: waiting.links.self.href,
      waitingOrder: waiting.links.product?.href,
      widget: fulfilled.links.related.find((link: { rel: string }) => link.rel === 'widget').href,
      invoice: fulfilled.links.related.find((link: { rel: string }) => link.rel === 'invoice').href,
    });
  });
  afterAll(async () => {
    await api.post(`${acme.waitingMonitor}/cancel`);
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  it.each([
    ['a monitor', 'carMonitor', 'No monitor'],
    ['a car', 'car', 'No car'],
    ['a virtual machine', 'vm', 'No virtual machine'],
    ['a product document', 'product', 'No product'],
    ['a widget order', 'waitingOrder', 'No widget order'],
    ['a widget', 'widget', 'No widget'],
    ['an invoice', 'invoice', 'No invoice'],
  ])('cannot read %s: 404, as if it did not exist', async (_name, key, detail) => {
    const href = acme[key] as string;
    expect([200, 201]).toContain((await api.get(href)).status); // the owner can
    const answer = await api.get(href, {}, 'globex');
    expect(answer.status).toBe(404);
    const id = href.split('/').pop();
    expect(await answer.json()).toEqual({
      type: 'https://longrun.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `${detail} ${id}.`,
    });
  });

  it('cannot read a car asynchronously either', async () => {
    expect((await api.get(acme.car as string, { Prefer: 'respond-async' }, 'globex')).status).toBe(404);
    expect(await api.listAll('kind=car.read', 'globex')).toEqual([]);
  });

  it('cannot cancel a monitor or confirm a fulfilment: 404, and nothing changes', async () => {
    expect((await api.post(`${acme.waitingMonitor}/cancel`, undefined, {}, 'globex')).status).toBe(404);
    expect((await api.post(`${acme.waitingOrder}/fulfilment`, { confirmedBy: 'intruder' }, {}, 'globex')).status).toBe(
      404,
    );
    const monitor = await api.monitor(acme.waitingMonitor as string);
    expect(monitor).toMatchObject({ state: 'running', cancelRequested: false });
    expect(monitor.steps.find((step) => step.name === 'fulfilment')?.state).toBe('waiting');
  });

  it('lists only its own monitors', async () => {
    const theirs = await (await api.post('/reindex', BODIES.reindex, {}, 'globex')).json();
    expect((await api.listAll('', 'globex')).map((monitor) => monitor.id)).toEqual([theirs.id]);
    const mine = await api.listAll();
    expect(mine.length).toBe(5);
    expect(mine.map((monitor) => monitor.id)).not.toContain(theirs.id);
    expect((await api.get(theirs.links.self.href)).status).toBe(404);
  });
});
