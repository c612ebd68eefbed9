/**
 * Accepting a request, as the contract has it, over real HTTP against a real
 * server: 202 + Location + Retry-After + Link rel="monitor" + the monitor, `Prefer`, and
 * `Idempotency-Key`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CreateOperationCommand, OperationStore } from '../operations/ports/index.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { ApiClient, BODIES, linkTarget } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

// Servers start inside some tests and compile their validators on first use; CI machines are small.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

const RESOURCES = [
  { resource: 'a car', path: '/cars', body: BODIES.car, kind: 'car.create', location: /^\/monitors\/op_/ },
  {
    resource: 'a virtual machine',
    path: '/virtual-machines',
    body: BODIES.vm,
    kind: 'virtual-machine.provision',
    location: /^\/virtual-machines\/vm_/,
  },
  {
    resource: 'a transcode',
    path: '/transcodes',
    body: BODIES.transcode,
    kind: 'transcode',
    location: /^\/monitors\/op_/,
  },
  { resource: 'a reindex', path: '/reindex', body: BODIES.reindex, kind: 'reindex', location: /^\/monitors\/op_/ },
  {
    resource: 'a widget order',
    path: '/widget-orders',
    body: BODIES.widgetOrder,
    kind: 'widget-order.fulfil',
    location: /^\/monitors\/op_/,
  },
] as const;

describe('accepting a request', () => {
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

  describe.each(RESOURCES)('POST $path ($resource)', ({ path, body, kind, location }) => {
    it('answers 202 with Location, an integer Retry-After, Link rel="monitor" and the monitor as body', async () => {
      const accepted = await api.post(path, body);
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('content-type')).toMatch(/^application\/json/);
      const monitor = await accepted.json();
      const monitorHref = `/monitors/${monitor.id}`;
      expect(monitor).toMatchObject({
        kind,
        state: 'queued',
        progress: { percent: 0 },
        request: { method: 'POST', path, body },
        cancelRequested: false,
        links: { self: { href: monitorHref }, cancel: { href: `${monitorHref}/cancel` } },
      });
      expect(monitor.id).toMatch(/^op_/);
      expect(accepted.headers.get('location')).toMatch(location);
      expect(accepted.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(linkTarget(accepted.headers.get('link'), 'monitor')).toBe(monitorHref);

      const followed = await api.get(monitorHref);
      expect([200, 201, 202]).toContain(followed.status);
      expect((await followed.json()).id).toBe(monitor.id);
      expect((await api.untilTerminal(monitorHref)).state).toBe('succeeded');
    });

    it('echoes Prefer: respond-async in Preference-Applied (it is async anyway)', async () => {
      const accepted = await api.post(path, body, { Prefer: 'respond-async' });
      expect(accepted.status).toBe(202);
      expect(accepted.headers.get('preference-applied')).toBe('respond-async');
      await api.untilTerminal((await accepted.json()).links.self.href);
    });
  });

  describe('with Prefer: wait=N', () => {
    it.each([
      ['a car', '/cars', BODIES.car, /^\/cars\/car_/],
      ['a virtual machine', '/virtual-machines', BODIES.vm, /^\/virtual-machines\/vm_/],
      ['a transcode', '/transcodes', BODIES.transcode, /^\/products\/prd_/],
      ['a widget order', '/widget-orders', BODIES.widgetOrder, /^\/widget-orders\/wo_/],
    ])('answers 201 with Location → the product when %s is finished in time', async (_name, path, body, product) => {
      const answer = await api.post(path, body, { Prefer: 'wait=30' });
      expect(answer.status).toBe(201);
      const monitor = await answer.json();
      expect(monitor.state).toBe('succeeded');
      expect(answer.headers.get('location')).toMatch(product);
      expect(answer.headers.get('location')).toBe(monitor.links.product.href);
      expect(answer.headers.get('content-location')).toBe(`/monitors/${monitor.id}`);
      expect(answer.headers.get('preference-applied')).toBe('wait=30');
      expect(linkTarget(answer.headers.get('link'), 'monitor')).toBe(`/monitors/${monitor.id}`);
      expect((await api.get(answer.headers.get('location') as string)).status).toBe(200);
    });

    it('answers 200 with the inline result when a reindex is finished in time', async () => {
      const answer = await api.post('/reindex', { scope: 'products' }, { Prefer: 'wait=30' });
      expect(answer.status).toBe(200);
      const monitor = await answer.json();
      expect(monitor).toMatchObject({ state: 'succeeded', result: { scope: 'products', documentsIndexed: 30_112 } });
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.headers.get('content-location')).toBe(`/monitors/${monitor.id}`);
      expect(answer.headers.get('preference-applied')).toBe('wait=30');
    });

    it('answers 200 with the error when the operation failed in time', async () => {
      const answer = await api.post('/cars', BODIES.ultravioletCar, { Prefer: 'wait=30' });
      expect(answer.status).toBe(200);
      const monitor = await answer.json();
      expect(monitor.state).toBe('failed');
      expect(monitor.error).toMatchObject({ type: 'https://longrun.dev/problems/operation-failed', status: 500 });
      expect(monitor.links.product).toBeUndefined();
      expect(answer.headers.get('location')).toBeNull();
    });

    it('answers 202 with the monitor when the operation is not finished in time', async () => {
      const answer = await api.post('/widget-orders', BODIES.manualWidgetOrder, { Prefer: 'wait=1' });
      expect(answer.status).toBe(202);
      const monitor = await answer.json();
      expect(monitor.state).not.toMatch(/succeeded|failed|cancelled/);
      expect(answer.headers.get('location')).toBe(`/monitors/${monitor.id}`);
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(answer.headers.get('preference-applied')).toBe('wait=1');
      expect((await api.post(`${monitor.links.self.href}/cancel`)).status).toBeLessThan(300);
    });
  });

  describe('with an Idempotency-Key', () => {
    const transcodeCount = async () => (await api.listAll('kind=transcode')).length;

    it('replays the first answer for a retry with the same body and creates no second operation', async () => {
      const before = await transcodeCount();
      const first = await api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'replay-1' });
      const retry = await api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'replay-1' });
      expect([first.status, retry.status]).toEqual([202, 202]);
      const [a, b] = [await first.json(), await retry.json()];
      expect(b.id).toBe(a.id);
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      expect(retry.headers.get('link')).toBe(first.headers.get('link'));
      expect(await transcodeCount()).toBe(before + 1);

      // Still the same monitor once it finished.
      await api.untilTerminal(a.links.self.href);
      const late = await api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'replay-1' });
      expect((await late.json()).id).toBe(a.id);
      expect(await transcodeCount()).toBe(before + 1);
    });

    it('answers 422 for the same key with another body, creating nothing', async () => {
      await api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'reused-1' });
      const before = await transcodeCount();
      const other = await api.post(
        '/transcodes',
        { ...BODIES.transcode, resolution: '720p' },
        { 'Idempotency-Key': 'reused-1' },
      );
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toBe('application/problem+json');
      expect(await other.json()).toMatchObject({
        type: 'https://longrun.dev/problems/idempotency-key-reused',
        status: 422,
        title: 'The Idempotency-Key was used for another request',
      });
      expect(await transcodeCount()).toBe(before);
    });

    it('keeps keys per tenant: another tenant with the same key gets its own operation', async () => {
      const mine = await (await api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'shared-key' })).json();
      const theirs = await (
        await api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'shared-key' }, 'globex')
      ).json();
      expect(theirs.id).not.toBe(mine.id);
    });

    it('replays the Location of an embedded-status resource (the same virtual machine)', async () => {
      const first = await api.post('/virtual-machines', BODIES.vm, { 'Idempotency-Key': 'vm-replay-1' });
      const retry = await api.post('/virtual-machines', BODIES.vm, { 'Idempotency-Key': 'vm-replay-1' });
      expect(retry.headers.get('location')).toBe(first.headers.get('location'));
      const machine = await api.get(retry.headers.get('location') as string);
      expect(machine.status).toBe(200);
      expect((await machine.json()).links.monitor.href).toBe((await first.json()).links.self.href);
    });

    it('creates one operation however many retries race the first request', async () => {
      const before = await transcodeCount();
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => api.post('/transcodes', BODIES.transcode, { 'Idempotency-Key': 'race-1' })),
      );
      const accepted = answers.filter((answer) => answer.status === 202);
      const refused = answers.filter((answer) => answer.status === 409);
      expect(accepted.length + refused.length).toBe(answers.length);
      expect(new Set(await Promise.all(accepted.map(async (answer) => (await answer.json()).id))).size).toBe(1);
      for (const answer of refused) {
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        expect((await answer.json()).type).toBe('https://longrun.dev/problems/idempotency-key-in-flight');
      }
      expect(await transcodeCount()).toBe(before + 1);
    });
  });
});

/** A SQLite store whose `createOperation` can be held open, to catch a request mid-acceptance. */
async function gatedStore(dataDir: string) {
  const inner = await createSqliteStore({ dataDir });
  let hold: { entered: () => void; released: Promise<void> } | undefined;
  const store = new Proxy(inner, {
    get(target, property) {
      if (property === 'createOperation') {
        return async (command: CreateOperationCommand) => {
          const held = hold;
          hold = undefined;
          if (held) {
            held.entered();
            await held.released;
          }
          return target.createOperation(command);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as OperationStore;
  return {
    store,
    /** Holds the next create; resolves `entered` once a request is inside it; `release` lets it go. */
    holdNextCreate() {
      let entered!: () => void;
      let release!: () => void;
      const inside = new Promise<void>((resolve) => {
        entered = resolve;
      });
      hold = { entered, released: new Promise<void>((resolve) => (release = resolve)) };
      return { inside, release };
    },
    close: () => inner.close(),
  };
}

describe('an Idempotency-Key whose first request is still being accepted', () => {
  it('answers 409 with Retry-After to a retry, then replays once the first was answered', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'longrun-gated-'));
    const gated = await gatedStore(dataDir);
    const t = await startTestServer({ store: gated.store, dataDir });
    const api = new ApiClient(t);
    try {
      const { inside, release } = gated.holdNextCreate();
      const first = api.post('/cars', BODIES.car, { 'Idempotency-Key': 'in-flight-1' });
      await inside;

      const retry = await api.post('/cars', BODIES.car, { 'Idempotency-Key': 'in-flight-1' });
      expect(retry.status).toBe(409);
      expect(retry.headers.get('content-type')).toBe('application/problem+json');
      expect(retry.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await retry.json()).toMatchObject({
        type: 'https://longrun.dev/problems/idempotency-key-in-flight',
        status: 409,
        title: 'A request with this Idempotency-Key is in progress',
      });
      // Another key is not held up by it.
      expect((await api.post('/cars', BODIES.car, { 'Idempotency-Key': 'in-flight-2' })).status).toBe(202);

      release();
      const answered = await first;
      expect(answered.status).toBe(202);
      const monitor = await answered.json();
      const replay = await api.post('/cars', BODIES.car, { 'Idempotency-Key': 'in-flight-1' });
      expect(replay.status).toBe(202);
      expect((await replay.json()).id).toBe(monitor.id);
      expect(api.serverErrors()).toEqual([]);
      await api.untilTerminal(monitor.links.self.href);
    } finally {
      await t.stop();
      await gated.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
