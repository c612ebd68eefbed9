/**
 * `/monitors` over real HTTP (async-contract.md "The monitor"): 202 / 201 / 200, `Retry-After` from
 * the ETA, `ETag` / `If-None-Match` / 304, the `Prefer: wait` long poll, cancel, the list and
 * retention.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, BODIES, linkTarget } from '../../testing/api-client.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import type { AnyMonitor } from '../api-types.ts';

// Servers start inside some tests and compile their validators on first use; CI machines are small.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

const ETAG = /^(W\/)?"[^"]+"$/;

describe('GET /monitors/{id}', () => {
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

  async function waitingOrder(): Promise<AnyMonitor> {
    const accepted = await (await api.post('/widget-orders', BODIES.manualWidgetOrder)).json();
    return api.untilWaiting(accepted.links.self.href);
  }

  it('answers 202 with Retry-After, Cache-Control: no-store, ETag and Link while the operation is pending', async () => {
    const monitor = await waitingOrder();
    const answer = await api.get(monitor.links.self.href);
    expect(answer.status).toBe(202);
    expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('etag')).toMatch(ETAG);
    expect(linkTarget(answer.headers.get('link'), 'monitor')).toBe(monitor.links.self.href);
    expect((await answer.json()).links.cancel.href).toBe(`${monitor.links.self.href}/cancel`);
    await api.post(`${monitor.links.self.href}/cancel`);
  });

  it('answers 201 with Location → the created resource and an ETag once it succeeded with a product', async () => {
    const accepted = await (await api.post('/cars', BODIES.car)).json();
    await api.untilTerminal(accepted.links.self.href);
    const answer = await api.get(accepted.links.self.href);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('etag')).toMatch(ETAG);
    expect(answer.headers.get('retry-after')).toBeNull();
    const monitor = await answer.json();
    expect(answer.headers.get('location')).toBe(monitor.links.product.href);
    expect(monitor).toMatchObject({ state: 'succeeded', estimatedCompletionAt: null, progress: { percent: 100 } });
    expect(monitor.finishedAt).not.toBeNull();
    expect(monitor.links.cancel).toBeUndefined();
  });

  it.each([
    ['a car in a colour the paint shop lacks', '/cars', BODIES.ultravioletCar, 'paint', /Ultraviolet/],
    ['a virtual machine with more than 1024 GB', '/virtual-machines', BODIES.hugeVm, 'allocate', /2048GB/],
    ['a transcode of a .missing source', '/transcodes', BODIES.missingTranscode, 'probe', /no video stream/],
  ])('answers 200 with the error problem once %s failed', async (_name, path, body, failedStep, detail) => {
    const accepted = await (await api.post(path, body)).json();
    await api.untilTerminal(accepted.links.self.href);
    const answer = await api.get(accepted.links.self.href);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toMatch(ETAG);
    expect(answer.headers.get('location')).toBeNull();
    const monitor = await answer.json();
    expect(monitor.state).toBe('failed');
    expect(monitor.error).toMatchObject({
      type: 'https://longrun.dev/problems/operation-failed',
      title: 'The operation failed',
      status: 500,
    });
    expect(monitor.error.detail).toMatch(detail);
    expect(monitor.steps.find((step: { name: string }) => step.name === failedStep).state).toBe('failed');
    expect(monitor.links.product).toBeUndefined();
    expect(monitor.result).toBeUndefined();
  });

  it('answers 200 with an ETag once cancelled', async () => {
    const monitor = await waitingOrder();
    await api.post(`${monitor.links.self.href}/cancel`);
    await api.untilTerminal(monitor.links.self.href);
    const answer = await api.get(monitor.links.self.href);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toMatch(ETAG);
    expect(await answer.json()).toMatchObject({ state: 'cancelled', cancelRequested: true });
  });

  it('answers 304 to an If-None-Match that still matches, and the full monitor once it changed', async () => {
    const monitor = await waitingOrder();
    const first = await api.get(monitor.links.self.href);
    const etag = first.headers.get('etag') as string;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await api.get(monitor.links.self.href, { 'If-None-Match': ifNoneMatch });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
    }
    expect((await api.get(monitor.links.self.href, { 'If-None-Match': '"something-else"' })).status).toBe(202);

    await api.post(`${monitor.links.self.href}/cancel`);
    const changed = await api.get(monitor.links.self.href, { 'If-None-Match': etag });
    expect([200, 202]).toContain(changed.status);
    expect(changed.headers.get('etag')).not.toBe(etag);
    await api.untilTerminal(monitor.links.self.href);
  });

  it('long-polls with Prefer: wait=N and If-None-Match: 304 after N seconds when nothing changed', async () => {
    const monitor = await waitingOrder();
    const etag = (await api.get(monitor.links.self.href)).headers.get('etag') as string;
    const answer = await api.get(monitor.links.self.href, { Prefer: 'wait=1', 'If-None-Match': etag });
    expect(answer.status).toBe(304);
    expect(answer.headers.get('etag')).toBe(etag);
    expect(answer.headers.get('preference-applied')).toBe('wait=1');
    expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    await api.post(`${monitor.links.self.href}/cancel`);
  });

  it('long-polls with Prefer: wait=N: answers as soon as the monitor changes, long before N seconds', async () => {
    const monitor = await waitingOrder();
    const etag = (await api.get(monitor.links.self.href)).headers.get('etag') as string;
    // The test's own timeout (20 s) is far below the 60 s asked for: only an early answer passes.
    const polling = api.get(monitor.links.self.href, { Prefer: 'wait=60', 'If-None-Match': etag });
    const withoutEtag = api.get(monitor.links.self.href, { Prefer: 'wait=60' });
    const orderHref = monitor.links.product?.href as string;
    expect((await api.post(`${orderHref}/fulfilment`, { confirmedBy: 'long-poller' })).status).toBe(202);
    for (const answer of [await polling, await withoutEtag]) {
      expect([200, 201, 202]).toContain(answer.status);
      expect(answer.headers.get('etag')).not.toBe(etag);
      expect(answer.headers.get('preference-applied')).toBe('wait=60');
    }
    await api.untilTerminal(monitor.links.self.href);
  });

  it('does not hold a long poll on a finished monitor', async () => {
    const done = await (await api.post('/reindex', BODIES.reindex, { Prefer: 'wait=30' })).json();
    // Would run into the test timeout (20 s) if held for 60 s.
    const answer = await api.get(done.links.self.href, { Prefer: 'wait=60' });
    expect(answer.status).toBe(200);
  });

  it('answers 404 for a monitor that does not exist', async () => {
    const answer = await api.get('/monitors/op_0000000000000000000000');
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('Retry-After', () => {
  it('is computed from the ETA: a longer transcode is asked to wait longer', async () => {
    // Realistic durations and no worker: each ETA stays what was estimated at acceptance.
    const t = await startTestServer({ simulationScale: 1, engine: { runWorker: false } });
    const api = new ApiClient(t);
    try {
      const short = await api.post('/transcodes', { ...BODIES.transcode, resolution: '480p' });
      const long = await api.post('/transcodes', { ...BODIES.transcode, resolution: '2160p' });
      const [shortMonitor, longMonitor] = [await short.json(), await long.json()];
      const secondsToEta = (monitor: AnyMonitor) =>
        Math.ceil((Date.parse(monitor.estimatedCompletionAt as string) - Date.parse(monitor.createdAt)) / 1000);
      // 480p: probe 1 s + encode 3 s + package 1 s; 2160p: 1 + 16 + 1.
      expect([secondsToEta(shortMonitor), secondsToEta(longMonitor)]).toEqual([5, 18]);
      expect(Number(short.headers.get('retry-after'))).toBe(5);
      expect(Number(long.headers.get('retry-after'))).toBe(18);

      const [shortPoll, longPoll] = [
        await api.get(shortMonitor.links.self.href),
        await api.get(longMonitor.links.self.href),
      ];
      const [shortAfter, longAfter] = [
        Number(shortPoll.headers.get('retry-after')),
        Number(longPoll.headers.get('retry-after')),
      ];
      expect(shortAfter).toBeGreaterThanOrEqual(1);
      expect(shortAfter).toBeLessThanOrEqual(5);
      expect(longAfter).toBeGreaterThan(shortAfter);
      expect(longAfter).toBeLessThanOrEqual(18);
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('POST /monitors/{id}/cancel', () => {
  it('cancels a queued operation at once: 200 with the cancelled monitor', async () => {
    const t = await startTestServer({ engine: { runWorker: false } });
    const api = new ApiClient(t);
    try {
      const queued = await (await api.post('/cars', BODIES.car)).json();
      const answer = await api.post(`${queued.links.self.href}/cancel`);
      expect(answer.status).toBe(200);
      expect(linkTarget(answer.headers.get('link'), 'monitor')).toBe(queued.links.self.href);
      // The cancel answer's ETag is the monitor's: a conditional GET right after it answers 304.
      const etag = answer.headers.get('etag');
      expect(etag).toMatch(/^"op_/);
      expect((await api.get(queued.links.self.href, { 'If-None-Match': etag as string })).status).toBe(304);
      const monitor = await answer.json();
      expect(monitor).toMatchObject({ id: queued.id, state: 'cancelled', estimatedCompletionAt: null });
      expect(monitor.finishedAt).not.toBeNull();
      expect(monitor.links.cancel).toBeUndefined();
      expect((await api.get(queued.links.self.href)).status).toBe(200);
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('asks a running operation to stop: 202, then it ends cancelled with no product; then 409', async () => {
    // Realistic durations: a car takes 8 s, so it is still running when the cancel arrives.
    const t = await startTestServer({ simulationScale: 1 });
    const api = new ApiClient(t);
    try {
      const accepted = await (await api.post('/cars', BODIES.car)).json();
      await api.pollUntil(accepted.links.self.href, (monitor) => monitor.state === 'running');
      const answer = await api.post(`${accepted.links.self.href}/cancel`);
      expect(answer.status).toBe(202);
      expect(answer.headers.get('location')).toBe(accepted.links.self.href);
      expect(answer.headers.get('etag')).toMatch(/^"op_/);
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(linkTarget(answer.headers.get('link'), 'monitor')).toBe(accepted.links.self.href);
      const requested = await answer.json();
      expect(requested).toMatchObject({ cancelRequested: true });
      expect(requested.links.cancel).toBeUndefined();

      const done = await api.untilTerminal(accepted.links.self.href);
      expect(done.state).toBe('cancelled');
      expect(done.links.product).toBeUndefined();
      expect(done.result).toBeUndefined();
      expect(done.steps.map((step) => step.state)).not.toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect((await api.get(accepted.links.self.href)).status).toBe(200);

      const again = await api.post(`${accepted.links.self.href}/cancel`);
      expect(again.status).toBe(409);
      expect(linkTarget(again.headers.get('link'), 'monitor')).toBe(accepted.links.self.href);
      expect(await again.json()).toMatchObject({
        type: 'https://longrun.dev/problems/operation-finished',
        status: 409,
      });
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });

  it('refuses to cancel a finished operation with 409, and answers 404 for an unknown one', async () => {
    const t = await startTestServer();
    const api = new ApiClient(t);
    try {
      const done = await (await api.post('/cars', BODIES.car, { Prefer: 'wait=30' })).json();
      const answer = await api.post(`${done.links.self.href}/cancel`);
      expect(answer.status).toBe(409);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect((await api.get(done.links.self.href)).status).toBe(201);
      expect((await api.post('/monitors/op_0000000000000000000000/cancel')).status).toBe(404);
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('GET /monitors', () => {
  let t: TestServer;
  let api: ApiClient;
  const ids: Record<string, string[]> = { car: [], transcode: [], order: [] };
  let cancelled: string;
  beforeAll(async () => {
    // No worker: every state is the one the test set.
    t = await startTestServer({ engine: { runWorker: false } });
    api = new ApiClient(t);
    for (let i = 0; i < 3; i += 1) ids.car?.push((await (await api.post('/cars', BODIES.car)).json()).id);
    for (let i = 0; i < 2; i += 1)
      ids.transcode?.push((await (await api.post('/transcodes', BODIES.transcode)).json()).id);
    for (let i = 0; i < 2; i += 1)
      ids.order?.push((await (await api.post('/widget-orders', BODIES.widgetOrder)).json()).id);
    cancelled = ids.car?.[1] as string;
    await api.post(`/monitors/${cancelled}/cancel`);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  it('pages through every monitor exactly once, newest first, following Link rel="next"', async () => {
    const seen: string[] = [];
    let next: string | undefined = '/monitors?limit=2';
    let pages = 0;
    while (next !== undefined && pages < 20) {
      const answer = await api.get(next);
      expect(answer.status).toBe(200);
      const page = (await answer.json()) as { items: AnyMonitor[]; next: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((monitor) => monitor.id));
      const link = linkTarget(answer.headers.get('link'), 'next');
      expect(link ?? null).toBe(page.next);
      next = link;
      pages += 1;
    }
    const all = [...(ids.car ?? []), ...(ids.transcode ?? []), ...(ids.order ?? [])];
    expect(pages).toBe(4);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen)).toEqual(new Set(all));
    expect(seen).toEqual([...seen].sort().reverse());
  });

  it('filters by state and by kind, and keeps the filters in the next link', async () => {
    expect((await api.listAll('state=cancelled')).map((monitor) => monitor.id)).toEqual([cancelled]);
    expect((await api.listAll('state=queued')).length).toBe(6);
    expect(new Set((await api.listAll('kind=transcode')).map((monitor) => monitor.id))).toEqual(new Set(ids.transcode));
    const queuedCars = await api.listAll('kind=car.create&state=queued');
    expect(queuedCars.map((monitor) => monitor.id).sort()).toEqual(ids.car?.filter((id) => id !== cancelled).sort());

    const first = await api.get('/monitors?kind=transcode&limit=1');
    const next = linkTarget(first.headers.get('link'), 'next') as string;
    expect(new URLSearchParams(next.split('?')[1]).get('kind')).toBe('transcode');
    const second = (await (await api.get(next)).json()) as { items: AnyMonitor[]; next: string | null };
    expect(second.items.map((monitor) => monitor.kind)).toEqual(['transcode']);
    expect(second.next).toBeNull();
  });

  it('answers 400 with the pointer /query/cursor for a cursor it did not issue', async () => {
    for (const cursor of ['bm90LWEtY3Vyc29y', 'abc', 'not*valid']) {
      const answer = await api.get(`/monitors?cursor=${encodeURIComponent(cursor)}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      const problem = await answer.json();
      expect(problem.type).toBe('https://longrun.dev/problems/validation-failed');
      expect(problem.errors.map((error: { pointer: string }) => error.pointer)).toContain('/query/cursor');
    }
  });

  it('answers 400 with a pointer for each invalid filter, and for an unknown query parameter', async () => {
    const answer = await api.get('/monitors?state=sleeping&kind=car.paint&limit=101');
    expect(answer.status).toBe(400);
    const pointers = (await answer.json()).errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers.sort()).toEqual(['/query/kind', '/query/limit', '/query/state']);

    const unknown = await api.get('/monitors?colour=red');
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).errors).toEqual([expect.objectContaining({ pointer: '/query/colour' })]);
  });

  it('shows only the caller’s own monitors', async () => {
    expect(await api.listAll('', 'globex')).toEqual([]);
  });
});

describe('retention', () => {
  it('keeps terminal monitors for the retention period, then they are gone (404) while products stay', async () => {
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    // Leases far longer than the jump in time, so moving the clock does not look like a crash.
    const t = await startTestServer({ clock, engine: { retentionMs: 60_000, leaseMs: 3_600_000 } });
    const api = new ApiClient(t);
    try {
      const car = await api.post('/cars', BODIES.car, { Prefer: 'wait=30' });
      const vm = await api.post('/virtual-machines', BODIES.vm, { Prefer: 'wait=30' });
      const order = await api.post('/widget-orders', BODIES.widgetOrder, { Prefer: 'wait=30' });
      expect([car.status, vm.status, order.status]).toEqual([201, 201, 201]);
      const finished = [await car.json(), await vm.json(), await order.json()] as AnyMonitor[];
      const products = [car, vm, order].map((answer) => answer.headers.get('location') as string);
      const pending = await (await api.post('/widget-orders', BODIES.manualWidgetOrder)).json();
      await api.untilWaiting(pending.links.self.href);

      expect(await t.server.engine.sweepExpired()).toBe(0);
      for (const monitor of finished) expect((await api.get(monitor.links.self.href)).status).toBe(201);

      offsetMs = 61_000;
      expect(await t.server.engine.sweepExpired()).toBe(finished.length);
      for (const monitor of finished) {
        const gone = await api.get(monitor.links.self.href);
        expect(gone.status).toBe(404);
        expect((await gone.json()).type).toBe('https://longrun.dev/problems/not-found');
      }
      expect((await api.listAll()).map((monitor) => monitor.id)).toEqual([pending.id]);
      expect((await api.get(pending.links.self.href)).status).toBe(202);
      for (const href of products) expect((await api.get(href)).status).toBe(200);
      expect(await (await api.get(products[1] as string)).json()).toMatchObject({ status: 'ready' });
      expect(await (await api.get(products[2] as string)).json()).toMatchObject({ status: 'fulfilled' });

      await api.post(`${pending.links.self.href}/cancel`);
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  }, 30_000);
});
