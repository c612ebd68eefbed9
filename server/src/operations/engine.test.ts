import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { gate, openTempStore, REQUEST, startEngine, TENANT, waitUntil } from '../testing/engine-harness.ts';
import type { OperationContext } from './context.ts';
import type { OperationEngine } from './engine.ts';
import { UnknownKindError } from './errors.ts';
import { defineKind } from './kind.ts';
import { createManualTime, type ManualTime } from './manual-time.ts';
import type { OperationRecord } from './model.ts';
import type { OperationStore } from './ports/index.ts';
import { OPERATION_PROBLEMS } from './problems.ts';

type Car = { id: string; make: string };

let store: OperationStore;
let dir: string;
let dispose: () => Promise<void>;
const running: OperationEngine[] = [];

beforeEach(async () => {
  ({ store, dir, dispose } = await openTempStore());
});

afterEach(async () => {
  for (const engine of running.splice(0)) await engine.stop();
  await dispose();
});

async function engineWith(config: Parameters<typeof startEngine>[1], time?: ManualTime) {
  const started = await startEngine(store, config, time);
  running.push(started.engine);
  return started;
}

/** Every record published, to check each change is published exactly once. */
function recordPublished(engine: OperationEngine): OperationRecord[] {
  const seen: OperationRecord[] = [];
  engine.changes.subscribeAll((record) => seen.push(record));
  return seen;
}

/** Resolves when the handler's signal aborts, with the reason. */
function aborted(ctx: OperationContext): Promise<unknown> {
  return new Promise((resolve) =>
    ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true }),
  );
}

describe('accepting and running an operation', () => {
  const createCar = defineKind<{ make: string }, Car>({
    name: 'car.create',
    steps: [{ name: 'chassis', title: 'Build the chassis' }, { name: 'paint' }],
    estimateMs: () => 60_000,
    async run(input, ctx) {
      await ctx.step('chassis', 'running');
      await ctx.progress(50, 'chassis built');
      ctx.step('chassis', 'succeeded');
      ctx.step('paint', 'running');
      const car = { id: 'car_1', make: input.make };
      return { product: { collection: 'cars', id: car.id, href: `/cars/${car.id}`, body: car } };
    },
  });

  it('stores it queued with the kind steps and ETA, then runs it to succeeded with its product', async () => {
    const { engine, time } = await engineWith({ kinds: [createCar], runWorker: false });
    const accepted = await engine.accept({
      tenant: TENANT,
      kind: 'car.create',
      input: { make: 'Volvo' },
      request: REQUEST,
    });
    expect(accepted.outcome).toBe('created');
    if (accepted.outcome !== 'created') return;
    expect(accepted.operation).toMatchObject({
      id: expect.stringMatching(/^op_[0-9a-z]{26}$/),
      state: 'queued',
      version: 1,
      kind: 'car.create',
      input: { make: 'Volvo' },
      request: REQUEST,
      steps: [
        { name: 'chassis', state: 'pending', title: 'Build the chassis' },
        { name: 'paint', state: 'pending' },
      ],
      estimatedCompletionAt: new Date(time.now().getTime() + 60_000).toISOString(),
      lockKey: null,
    });
  });

  it('publishes every change once, in version order, ending succeeded with the product stored', async () => {
    const { engine } = await engineWith({ kinds: [createCar] });
    const published = recordPublished(engine);
    const accepted = await engine.accept({
      tenant: TENANT,
      kind: 'car.create',
      input: { make: 'Volvo' },
      request: REQUEST,
    });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(done).toMatchObject({
      state: 'succeeded',
      progress: { percent: 100 },
      estimatedCompletionAt: null,
      product: { rel: 'product', href: '/cars/car_1' },
      related: [],
      error: null,
      attempts: 1,
      leaseOwner: null,
      steps: [
        { name: 'chassis', state: 'succeeded', title: 'Build the chassis' },
        { name: 'paint', state: 'succeeded' },
      ],
    });
    expect((await engine.getResource(TENANT, 'cars', 'car_1'))?.body).toEqual({ id: 'car_1', make: 'Volvo' });
    const versions = published.filter((record) => record.id === id).map((record) => record.version);
    expect(versions).toEqual(Array.from({ length: done.version }, (_, i) => i + 1));
    expect(published.map((record) => record.state)).toContain('running');
  });

  it('refuses a kind nobody registered', async () => {
    const { engine } = await engineWith({ kinds: [createCar] });
    await expect(
      engine.accept({ tenant: TENANT, kind: 'boat.create', input: {}, request: REQUEST }),
    ).rejects.toBeInstanceOf(UnknownKindError);
  });

  it('lists and reads a tenant’s operations only', async () => {
    const { engine } = await engineWith({ kinds: [createCar], runWorker: false });
    const accepted = await engine.accept({
      tenant: TENANT,
      kind: 'car.create',
      input: { make: 'Saab' },
      request: REQUEST,
    });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    expect((await engine.list({ tenant: TENANT, limit: 10 })).items.map((record) => record.id)).toEqual([id]);
    expect((await engine.list({ tenant: 'tenant-b', limit: 10 })).items).toEqual([]);
    expect(await engine.get('tenant-b', id)).toBeUndefined();
  });
});

describe('idempotent accept', () => {
  const noop = defineKind({ name: 'thing.make', run: async () => ({}) });

  it('replays the same key and body, refuses the same key with another body, creates nothing more', async () => {
    const { engine } = await engineWith({ kinds: [noop], runWorker: false });
    const command = { tenant: TENANT, kind: 'thing.make', input: {}, request: REQUEST, idempotencyKey: 'key-1' };
    const first = await engine.accept(command);
    const again = await engine.accept({ ...command, request: { ...REQUEST, body: { n: 1 } } });
    const other = await engine.accept({ ...command, request: { ...REQUEST, body: { n: 2 } } });
    expect(first.outcome).toBe('created');
    expect(again.outcome).toBe('replayed');
    expect(other.outcome).toBe('idempotency-mismatch');
    if (first.outcome !== 'created' || again.outcome !== 'replayed') return;
    expect(again.operation.id).toBe(first.operation.id);
    expect((await engine.list({ tenant: TENANT, limit: 10 })).items).toHaveLength(1);
  });

  it('refuses the same key with another callback URL, and replays it with the same one', async () => {
    const { engine } = await engineWith({ kinds: [noop], runWorker: false });
    const command = { tenant: TENANT, kind: 'thing.make', input: {}, request: REQUEST, idempotencyKey: 'key-cb' };
    const first = await engine.accept({ ...command, callbackUrl: 'https://a.example.com/done' });
    const same = await engine.accept({ ...command, callbackUrl: 'https://a.example.com/done' });
    const elsewhere = await engine.accept({ ...command, callbackUrl: 'https://b.example.com/done' });
    const without = await engine.accept(command);
    expect([first.outcome, same.outcome, elsewhere.outcome, without.outcome]).toEqual([
      'created',
      'replayed',
      'idempotency-mismatch',
      'idempotency-mismatch',
    ]);
  });
});

describe('a failing handler', () => {
  it('ends the operation failed with an operation-failed problem carrying the message', async () => {
    const explode = defineKind({
      name: 'thing.explode',
      steps: [{ name: 'fuse' }],
      async run(_input, ctx) {
        await ctx.step('fuse', 'running');
        throw new Error('the fuse was too short');
      },
    });
    const { engine } = await engineWith({ kinds: [explode] });
    const accepted = await engine.accept({ tenant: TENANT, kind: 'thing.explode', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    const done = await waitUntil(engine, id, (record) => record.state === 'failed');
    expect(done.error).toEqual({ ...OPERATION_PROBLEMS.operationFailed, detail: 'the fuse was too short' });
    expect(done.steps).toEqual([{ name: 'fuse', state: 'failed' }]);
    expect(done.product).toBeNull();
  });

  it('ends failed with invalid-outcome when the handler returns something that is not an outcome', async () => {
    const sloppy = defineKind({ name: 'thing.sloppy', run: async () => 'done' as never });
    const { engine } = await engineWith({ kinds: [sloppy] });
    const accepted = await engine.accept({ tenant: TENANT, kind: 'thing.sloppy', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    const done = await waitUntil(engine, id, (record) => record.state === 'failed');
    expect(done.error?.type).toBe(OPERATION_PROBLEMS.invalidOutcome.type);
  });
});

describe('cancelling', () => {
  it('aborts a running handler at once and ends cancelled with no product, even if the handler returns one', async () => {
    const reasons: unknown[] = [];
    const started = gate();
    const stubborn = defineKind<unknown, Car>({
      name: 'car.create',
      async run(_input, ctx) {
        started.open();
        reasons.push(await aborted(ctx));
        return {
          product: { collection: 'cars', id: 'car_x', href: '/cars/car_x', body: { id: 'car_x', make: 'Ghost' } },
        };
      },
    });
    const { engine } = await engineWith({ kinds: [stubborn] });
    const accepted = await engine.accept({ tenant: TENANT, kind: 'car.create', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    await started.promise;
    const cancel = await engine.cancel(TENANT, id);
    expect(cancel).toMatchObject({ outcome: 'requested', operation: { state: 'running', cancelRequested: true } });
    const done = await waitUntil(engine, id, (record) => record.state === 'cancelled');
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ name: 'AbortError' });
    expect(done).toMatchObject({ product: null, related: [], result: null, error: null });
    expect(await engine.getResource(TENANT, 'cars', 'car_x')).toBeUndefined();
    expect(await engine.cancel(TENANT, id)).toMatchObject({ outcome: 'terminal' });
  });

  it('cancels a queued operation at once; a second cancel finds it terminal; an unknown id is undefined', async () => {
    const never = defineKind({ name: 'thing.make', run: async () => ({}) });
    const { engine } = await engineWith({ kinds: [never], runWorker: false });
    const published = recordPublished(engine);
    const accepted = await engine.accept({ tenant: TENANT, kind: 'thing.make', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    expect(await engine.cancel(TENANT, id)).toMatchObject({ outcome: 'cancelled', operation: { state: 'cancelled' } });
    expect(await engine.cancel(TENANT, id)).toMatchObject({ outcome: 'terminal' });
    expect(await engine.cancel('tenant-b', id)).toBeUndefined();
    expect(published.map((record) => record.state)).toEqual(['queued', 'cancelled']);
  });

  it('reaches a handler in another process through its heartbeat', async () => {
    const time = createManualTime();
    const started = gate();
    const reasons: unknown[] = [];
    const waitsForCancel = defineKind({
      name: 'thing.make',
      async run(_input, ctx) {
        started.open();
        reasons.push(await aborted(ctx));
        return {};
      },
    });
    // Two processes: an API-only one and a worker, each with its own connection to one file.
    const { engine: api } = await engineWith({ kinds: [waitsForCancel], runWorker: false }, time);
    const workerStore = await createSqliteStore({ dataDir: dir });
    const worker = (await startEngine(workerStore, { kinds: [waitsForCancel], leaseMs: 9_000 }, time)).engine;
    try {
      const accepted = await api.accept({ tenant: TENANT, kind: 'thing.make', input: {}, request: REQUEST });
      const id = accepted.outcome === 'created' ? accepted.operation.id : '';
      time.advance(250); // the worker's backstop poll finds work accepted elsewhere
      await started.promise;
      expect(await api.cancel(TENANT, id)).toMatchObject({ outcome: 'requested' });
      expect(reasons).toEqual([]);
      time.advance(3_000); // one heartbeat: renew, re-read, see the cancel request
      const done = await waitUntil(worker, id, (record) => record.state === 'cancelled');
      expect(reasons[0]).toMatchObject({ name: 'AbortError' });
      expect(done.product).toBeNull();
    } finally {
      await worker.stop();
      await workerStore.close();
    }
  });
});

describe('outside actions', () => {
  const fulfil = defineKind<unknown, never, { confirmedBy: string }>({
    name: 'widget-order.fulfil',
    steps: [{ name: 'pick' }, { name: 'confirm', title: 'Manual confirmation' }],
    async run(_input, ctx) {
      await ctx.step('pick', 'succeeded');
      const payload = await ctx.awaitAction<{ by: string }>('confirm-delivery', {
        step: 'confirm',
        action: { method: 'POST', path: `/widget-orders/${ctx.operationId}/confirmation` },
      });
      await ctx.step('confirm', 'succeeded');
      return { result: { confirmedBy: payload.by } };
    },
  });

  it('show a waiting step with its action, and resume when the action is delivered', async () => {
    const { engine } = await engineWith({ kinds: [fulfil] });
    const accepted = await engine.accept({ tenant: TENANT, kind: 'widget-order.fulfil', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    const waiting = await waitUntil(engine, id, (record) => record.steps[1]?.state === 'waiting');
    expect(waiting.steps[1]).toEqual({
      name: 'confirm',
      state: 'waiting',
      title: 'Manual confirmation',
      action: { name: 'confirm-delivery', method: 'POST', path: `/widget-orders/${id}/confirmation` },
    });
    expect(await engine.deliverAction(TENANT, id, 'something-else', {})).toMatchObject({ outcome: 'not-waiting' });
    expect(await engine.deliverAction('tenant-b', id, 'confirm-delivery', {})).toBeUndefined();
    expect(await engine.deliverAction(TENANT, id, 'confirm-delivery', { by: 'ana' })).toMatchObject({
      outcome: 'delivered',
      operation: { actions: { 'confirm-delivery': { by: 'ana' } } },
    });
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(done.result).toEqual({ confirmedBy: 'ana' });
    expect(done.steps.map((step) => step.state)).toEqual(['succeeded', 'succeeded']);
    expect(await engine.deliverAction(TENANT, id, 'confirm-delivery', { by: 'bo' })).toMatchObject({
      outcome: 'terminal',
    });
  });

  it('deliver only the first of racing confirmations, from this engine and another on the same store', async () => {
    const { engine } = await engineWith({ kinds: [fulfil] });
    // An API-only engine on the same store plays a second API process.
    const { engine: other } = await engineWith({ kinds: [fulfil], runWorker: false });
    const published = [engine, other].map(recordPublished);
    const accepted = await engine.accept({ tenant: TENANT, kind: 'widget-order.fulfil', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    const waiting = await waitUntil(engine, id, (record) => record.steps[1]?.state === 'waiting');
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 === 0 ? engine : other).deliverAction(TENANT, id, 'confirm-delivery', { by: `clerk-${i}` }),
      ),
    );
    const delivered = outcomes.filter((outcome) => outcome?.outcome === 'delivered');
    expect(delivered).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome?.outcome === 'not-waiting')).toHaveLength(9);
    const winner = delivered[0]?.operation;
    if (winner === undefined) throw new Error('expected one delivery');
    expect(winner.version).toBe(waiting.version + 1);
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(done.result).toEqual({ confirmedBy: (winner.actions['confirm-delivery'] as { by: string }).by });
    // Refused deliveries change nothing, so nothing is published for them.
    expect(published.flat().filter((record) => record.version === waiting.version + 1)).toHaveLength(1);
  });
});

describe('one at a time', () => {
  it('refuses a second operation with the same lock key while the first is active, naming it', async () => {
    const finish = gate();
    const reindex = defineKind({
      name: 'reindex.run',
      lockKey: () => 'reindex',
      async run() {
        await finish.promise;
        return {};
      },
    });
    const { engine } = await engineWith({ kinds: [reindex] });
    const first = await engine.accept({ tenant: TENANT, kind: 'reindex.run', input: {}, request: REQUEST });
    const id = first.outcome === 'created' ? first.operation.id : '';
    expect(first.outcome === 'created' && first.operation.lockKey).toBe('reindex');
    const second = await engine.accept({ tenant: TENANT, kind: 'reindex.run', input: {}, request: REQUEST });
    expect(second).toMatchObject({ outcome: 'locked', pending: { id } });
    const otherTenant = await engine.accept({ tenant: 'tenant-b', kind: 'reindex.run', input: {}, request: REQUEST });
    expect(otherTenant.outcome).toBe('created');
    finish.open();
    await waitUntil(engine, id, (record) => record.state === 'succeeded');
    const third = await engine.accept({ tenant: TENANT, kind: 'reindex.run', input: {}, request: REQUEST });
    expect(third.outcome).toBe('created');
  });
});

describe('concurrency', () => {
  it('never runs more handlers at once than the bound', async () => {
    let active = 0;
    let most = 0;
    const release = gate();
    const busy = defineKind({
      name: 'thing.make',
      async run() {
        active += 1;
        most = Math.max(most, active);
        await release.promise;
        active -= 1;
        return {};
      },
    });
    const { engine } = await engineWith({ kinds: [busy], concurrency: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const accepted = await engine.accept({ tenant: TENANT, kind: 'thing.make', input: { i }, request: REQUEST });
      if (accepted.outcome === 'created') ids.push(accepted.operation.id);
    }
    const first = ids[0] ?? '';
    await waitUntil(engine, first, (record) => record.state === 'running');
    expect(engine.runner?.activeCount).toBe(2);
    expect((await engine.list({ tenant: TENANT, state: 'queued', limit: 10 })).items).toHaveLength(4);
    release.open();
    for (const id of ids) await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(most).toBe(2);
  });
});

describe('waiting for the outcome', () => {
  it('waitForTerminal returns the finished operation, or the current one at the deadline', async () => {
    const finish = gate();
    const slow = defineKind({
      name: 'thing.make',
      async run() {
        await finish.promise;
        return { result: 7 };
      },
    });
    const { engine, time } = await engineWith({ kinds: [slow] });
    const accepted = await engine.accept({ tenant: TENANT, kind: 'thing.make', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    await waitUntil(engine, id, (record) => record.state === 'running');
    const early = engine.waitForTerminal(TENANT, id, 2_000);
    await new Promise((resolve) => setImmediate(resolve));
    time.advance(2_000);
    expect((await early)?.state).toBe('running');
    const later = engine.waitForTerminal(TENANT, id, 2_000);
    finish.open();
    expect(await later).toMatchObject({ state: 'succeeded', result: 7 });
  });
});

describe('retention', () => {
  it('deletes finished operations once the retention period has passed', async () => {
    const quick = defineKind({ name: 'thing.make', run: async () => ({}) });
    const { engine, time } = await engineWith({ kinds: [quick], retentionMs: 3_600_000 });
    const accepted = await engine.accept({ tenant: TENANT, kind: 'thing.make', input: {}, request: REQUEST });
    const id = accepted.outcome === 'created' ? accepted.operation.id : '';
    await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(await engine.sweepExpired()).toBe(0);
    time.advance(3_600_001);
    expect(await engine.sweepExpired()).toBe(1);
    expect(await engine.get(TENANT, id)).toBeUndefined();
  });
});
