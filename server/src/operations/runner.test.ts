import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gate, openTempStore, REQUEST, startEngine, TENANT, waitUntil } from '../testing/engine-harness.ts';
import { ChangeFeed } from './changes.ts';
import type { OperationContext } from './context.ts';
import type { OperationEngine } from './engine.ts';
import { LeaseLostError, StoreUnavailableError } from './errors.ts';
import { defineKind, indexKinds } from './kind.ts';
import { createManualTime, type ManualTime } from './manual-time.ts';
import type { OperationRecord } from './model.ts';
import type { ClaimRequest, EndAndClaimResult, LeasedWrite, OperationStore } from './ports/index.ts';
import { OPERATION_PROBLEMS, workerLostProblem } from './problems.ts';
import { OperationRunner } from './runner.ts';

const LEASE_MS = 10_000;
const KIND = 'thing.make';

let store: OperationStore;
let dispose: () => Promise<void>;
let time: ManualTime;
const running: OperationEngine[] = [];

beforeEach(async () => {
  ({ store, dispose } = await openTempStore());
  time = createManualTime();
});

afterEach(async () => {
  for (const engine of running.splice(0)) await engine.stop({ timeoutMs: 0 });
  await dispose();
});

async function engineWith(config: Parameters<typeof startEngine>[1]) {
  const { engine } = await startEngine(store, { leaseMs: LEASE_MS, ...config }, time);
  running.push(engine);
  return engine;
}

async function accept(engine: OperationEngine): Promise<string> {
  const accepted = await engine.accept({ tenant: TENANT, kind: KIND, input: {}, request: REQUEST });
  if (accepted.outcome !== 'created') throw new Error(accepted.outcome);
  return accepted.operation.id;
}

/** A worker that claims an operation and then dies: it never renews, never finishes. */
async function claimAndDie(owner = 'dead-worker'): Promise<OperationRecord> {
  const claim = await store.claimNext(owner, [KIND], LEASE_MS, time.now());
  if (!claim) throw new Error('nothing to claim');
  return claim.operation;
}

/** Another process's recovery, run at a time past the lease. */
async function recoverElsewhere(): Promise<OperationRecord[]> {
  return store.recoverExpiredLeases(new Date(time.now().getTime() + LEASE_MS + 1), 3, workerLostProblem(3));
}

function aborted(ctx: OperationContext): Promise<unknown> {
  return new Promise((resolve) =>
    ctx.signal.addEventListener('abort', () => resolve(ctx.signal.reason), { once: true }),
  );
}

describe('losing the lease', () => {
  it('aborts the handler, refuses its writes, and lets the next attempt finish', async () => {
    const firstAttemptWaits = gate();
    const seen: { reason?: unknown; writeError?: unknown; laterWrite?: unknown } = {};
    const kind = defineKind<unknown, never, string>({
      name: KIND,
      async run(_input, ctx) {
        if (ctx.attempt > 1) return { result: 'second attempt' };
        await firstAttemptWaits.promise;
        await ctx.progress(50, 'from a worker that lost its lease').catch((error: unknown) => {
          seen.writeError = error;
        });
        seen.reason = ctx.signal.reason;
        try {
          ctx.progress(60);
        } catch (error) {
          seen.laterWrite = error;
        }
        return { result: 'first attempt' };
      },
    });
    const engine = await engineWith({ kinds: [kind] });
    const published: OperationRecord[] = [];
    engine.changes.subscribeAll((record) => published.push(record));
    const id = await accept(engine);
    await waitUntil(engine, id, (record) => record.state === 'running');
    expect(await recoverElsewhere()).toMatchObject([{ id, state: 'queued' }]);
    firstAttemptWaits.open();
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(done).toMatchObject({ attempts: 2, result: 'second attempt' });
    expect(seen.writeError).toBeInstanceOf(LeaseLostError);
    expect(seen.reason).toBeInstanceOf(LeaseLostError);
    expect(seen.laterWrite).toBeInstanceOf(LeaseLostError);
    expect(published.some((record) => record.progress.message === 'from a worker that lost its lease')).toBe(false);
  });

  it('is noticed by the heartbeat, which aborts the handler even when it writes nothing', async () => {
    const abortedWith = gate<unknown>();
    const kind = defineKind({
      name: KIND,
      async run(_input, ctx) {
        abortedWith.open(await aborted(ctx));
        return {};
      },
    });
    const engine = await engineWith({ kinds: [kind] });
    const id = await accept(engine);
    await waitUntil(engine, id, (record) => record.state === 'running');
    await recoverElsewhere();
    const thief = await claimAndDie('other-worker'); // another worker now holds it
    expect(thief.attempts).toBe(2);
    time.advance(LEASE_MS / 3); // one heartbeat: the renewal is refused
    expect(await abortedWith.promise).toBeInstanceOf(LeaseLostError);
    expect(await engine.get(TENANT, id)).toMatchObject({ state: 'running', leaseOwner: 'other-worker', attempts: 2 });
  });
});

/** Moves time a third of a lease at a time, letting each recovery's store writes finish in between. */
async function advanceByThirds(total: number): Promise<void> {
  for (let moved = 0; moved < total; moved += LEASE_MS / 3) {
    time.advance(Math.min(LEASE_MS / 3, total - moved));
    await settle();
  }
}

/**
 * Lets what the timers started run to its next timer: turns of the event loop, each waiting for
 * the store's writes to be durable (a store read resolves only once every commit before it is on
 * disk, and the SQLite store syncs off the event loop, so a write takes more than a turn).
 */
async function settle(turns = 10): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    await store.queueStats?.();
  }
}

describe('crash recovery', () => {
  const finishes = defineKind<unknown, never, number>({
    name: KIND,
    run: async (_input, ctx) => ({ result: ctx.attempt }),
  });

  it('on start, re-runs an operation whose worker died, as attempt 2', async () => {
    const api = await engineWith({ kinds: [finishes], runWorker: false });
    const id = await accept(api);
    await claimAndDie();
    time.advance(LEASE_MS + 1);
    const worker = await engineWith({ kinds: [finishes] });
    const done = await waitUntil(worker, id, (record) => record.state === 'succeeded');
    expect(done).toMatchObject({ attempts: 2, result: 2 });
  });

  it('while running, re-queues an expired lease and finishes it on another worker', async () => {
    const api = await engineWith({ kinds: [finishes], runWorker: false });
    const id = await accept(api); // accepted in another process
    await claimAndDie(); // its lease expires one lease period from now
    time.advance(1);
    const worker = await engineWith({ kinds: [finishes], pollIntervalMs: 3_600_000 });
    expect(await worker.get(TENANT, id)).toMatchObject({ state: 'running', attempts: 1 }); // not expired at start
    await advanceByThirds(LEASE_MS + LEASE_MS / 3); // one of the worker's next recoveries finds it expired
    expect(await waitUntil(worker, id, (record) => record.state === 'succeeded')).toMatchObject({
      attempts: 2,
      result: 2,
    });
  });

  it('picks it up within a third of a lease after the lease ran out, not a whole lease later', async () => {
    const api = await engineWith({ kinds: [finishes], runWorker: false });
    const id = await accept(api);
    await claimAndDie(); // its lease runs out at LEASE_MS
    time.advance(LEASE_MS / 2);
    const worker = await engineWith({ kinds: [finishes], pollIntervalMs: 3_600_000 });
    expect(await worker.get(TENANT, id)).toMatchObject({ state: 'running', attempts: 1 }); // not expired at start
    await advanceByThirds(LEASE_MS); // to 1.5 leases: past expiry by half a lease, before start + a lease
    expect(await waitUntil(worker, id, (record) => record.state === 'succeeded')).toMatchObject({ attempts: 2 });
  });

  it('after maxAttempts lost workers, ends failed with worker-lost', async () => {
    const api = await engineWith({ kinds: [finishes], runWorker: false });
    const id = await accept(api);
    const recovery = new OperationRunner({
      store,
      kinds: indexKinds([finishes]),
      changes: api.changes,
      clock: time,
      timers: time,
      leaseMs: LEASE_MS,
      maxAttempts: 3,
    });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await claimAndDie(`dead-worker-${attempt}`);
      time.advance(LEASE_MS + 1);
      const [recovered] = await recovery.recoverExpired();
      expect(recovered).toMatchObject({ id, attempts: attempt, state: attempt < 3 ? 'queued' : 'failed' });
    }
    const failed = await api.get(TENANT, id);
    expect(failed?.error).toMatchObject({ type: OPERATION_PROBLEMS.workerLost.type, status: 500 });
    expect(failed?.finishedAt).not.toBeNull();
  });

  it('ends an operation cancelled when its worker died after a cancel was requested', async () => {
    const api = await engineWith({ kinds: [finishes], runWorker: false });
    const id = await accept(api);
    await claimAndDie();
    expect(await api.cancel(TENANT, id)).toMatchObject({ outcome: 'requested' });
    time.advance(LEASE_MS + 1);
    const worker = await engineWith({ kinds: [finishes] });
    expect(await worker.get(TENANT, id)).toMatchObject({ state: 'cancelled', product: null });
  });
});

describe('stopping', () => {
  it('stops claiming and waits for running handlers to finish', async () => {
    const finish = gate();
    const kind = defineKind({
      name: KIND,
      async run() {
        await finish.promise;
        return { result: 'finished while stopping' };
      },
    });
    const engine = await engineWith({ kinds: [kind], concurrency: 1 });
    const first = await accept(engine);
    const second = await accept(engine);
    await waitUntil(engine, first, (record) => record.state === 'running');
    let stopped = false;
    const stopping = engine.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    finish.open();
    await stopping;
    expect(await engine.get(TENANT, first)).toMatchObject({ state: 'succeeded', result: 'finished while stopping' });
    expect(await engine.get(TENANT, second)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('after the timeout, aborts what is still running and hands it back to the queue', async () => {
    const reasons: unknown[] = [];
    const kind = defineKind({
      name: KIND,
      async run(_input, ctx) {
        if (ctx.attempt > 1) return {};
        reasons.push(await aborted(ctx));
        await new Promise(() => {}); // ignores the abort and never ends
        return {};
      },
    });
    const engine = await engineWith({ kinds: [kind] });
    const id = await accept(engine);
    await waitUntil(engine, id, (record) => record.state === 'running');
    const stopping = engine.stop({ timeoutMs: 5_000 });
    await settle();
    time.advance(5_000);
    await stopping;
    expect(reasons[0]).toMatchObject({ name: 'AbortError' });
    expect(await engine.get(TENANT, id)).toMatchObject({ state: 'queued', leaseOwner: null, attempts: 1 });
    const next = await engineWith({ kinds: [kind] });
    expect(await waitUntil(next, id, (record) => record.state === 'succeeded')).toMatchObject({ attempts: 2 });
  });

  it('does not wait for a handler waiting for an outside action: hands it back with its step waiting, and the next run resumes with what was delivered', async () => {
    const kind = defineKind<unknown, never, string>({
      name: KIND,
      steps: [{ name: 'confirm' }],
      async run(_input, ctx) {
        const payload = await ctx.awaitAction<{ by: string }>('confirm', {
          step: 'confirm',
          action: { method: 'POST', path: '/things/confirmation' },
        });
        return { result: `confirmed by ${payload.by}` };
      },
    });
    const engine = await engineWith({ kinds: [kind] });
    const id = await accept(engine);
    await waitUntil(engine, id, (record) => record.steps[0]?.state === 'waiting');
    // No timer is advanced: a stop that waited for this handler would never end.
    await engine.stop({ timeoutMs: 60_000 });
    const handedBack = await engine.get(TENANT, id);
    expect(handedBack).toMatchObject({ state: 'queued', leaseOwner: null, error: null });
    expect(handedBack?.steps[0]).toMatchObject({ name: 'confirm', state: 'waiting' });
    const api = await engineWith({ kinds: [kind], runWorker: false });
    expect(await api.deliverAction(TENANT, id, 'confirm', { by: 'ana' })).toMatchObject({ outcome: 'delivered' });
    const next = await engineWith({ kinds: [kind] });
    expect(await waitUntil(next, id, (record) => record.state === 'succeeded')).toMatchObject({
      result: 'confirmed by ana',
    });
  });

  it('hands back at once a handler that starts waiting for an outside action while the runner stops', async () => {
    const finishFirst = gate();
    const kind = defineKind({
      name: KIND,
      steps: [{ name: 'work' }, { name: 'confirm' }],
      async run(_input, ctx) {
        await finishFirst.promise;
        await ctx.step('work', 'succeeded');
        await ctx.awaitAction('confirm', { step: 'confirm', action: { method: 'POST', path: '/things/confirmation' } });
        return {};
      },
    });
    const engine = await engineWith({ kinds: [kind] });
    const id = await accept(engine);
    await waitUntil(engine, id, (record) => record.state === 'running');
    const stopping = engine.stop({ timeoutMs: 60_000 });
    await settle();
    finishFirst.open();
    await stopping;
    const handedBack = await engine.get(TENANT, id);
    expect(handedBack).toMatchObject({ state: 'queued', leaseOwner: null });
    expect(handedBack?.steps.map((step) => step.state)).toEqual(['succeeded', 'waiting']);
  });

  it('with abort, aborts handlers at once; one that gives up is handed back, not failed', async () => {
    const kind = defineKind({
      name: KIND,
      async run(_input, ctx) {
        await aborted(ctx);
        throw ctx.signal.reason;
      },
    });
    const engine = await engineWith({ kinds: [kind] });
    const id = await accept(engine);
    await waitUntil(engine, id, (record) => record.state === 'running');
    await engine.stop({ abort: true });
    expect(await engine.get(TENANT, id)).toMatchObject({ state: 'queued', error: null });
  });
});

describe('the database away when a handler ends', () => {
  it('writes the ending once the database answers again within the lease: the operation does not run again', async () => {
    const failed = [gate(), gate()];
    let failures = 0;
    // The store's batched ending write fails twice as PostgreSQL's does when the database is away.
    const away = withStoreMethod(store, 'updateOperations', (...args) => {
      const failure = failed[failures];
      if (failure === undefined) return store.updateOperations(...args);
      failures += 1;
      failure.open();
      return Promise.reject(new StoreUnavailableError('PostgreSQL connection lost: the database is away'));
    });
    let runs = 0;
    const kind = defineKind<unknown, never, string>({
      name: KIND,
      async run() {
        runs += 1;
        return { result: 'made' };
      },
    });
    const { engine } = await startEngine(away, { kinds: [kind], leaseMs: LEASE_MS }, time);
    running.push(engine);
    const id = await accept(engine);
    // Each try waits on the runner's timers: time moves once the try has failed and its wait began.
    const afterTheTurn = () => new Promise((resolve) => setImmediate(resolve));
    await failed[0]?.promise;
    await afterTheTurn();
    time.advance(100);
    await failed[1]?.promise;
    await afterTheTurn();
    time.advance(200);
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded');
    expect(done.attempts).toBe(1);
    expect(runs).toBe(1);
  });
});

describe('the database away while a handler runs', () => {
  /** A kind that writes one progress report, then succeeds; `attempts` holds the attempt of each run. */
  function progressingKind() {
    const attempts: number[] = [];
    const kind = defineKind<unknown, never, string>({
      name: KIND,
      async run(_input, ctx) {
        attempts.push(ctx.attempt);
        await ctx.progress(50, 'half way');
        return { result: 'made' };
      },
    });
    return { attempts, kind };
  }

  it('runs the operation again instead of ending it failed when a progress write finds the database away', async () => {
    let failures = 1;
    // The first leased write (the handler's progress) fails as PostgreSQL's does in a failover.
    const flaky = withStoreMethod(store, 'updateOperation', (...args) => {
      if (failures === 0) return store.updateOperation(...args);
      failures -= 1;
      return Promise.reject(new StoreUnavailableError('PostgreSQL connection lost: terminating connection'));
    });
    const { attempts, kind } = progressingKind();
    const { engine } = await startEngine(flaky, { kinds: [kind], leaseMs: LEASE_MS }, time);
    running.push(engine);
    const id = await accept(engine);
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded' || record.state === 'failed');
    expect(done.state).toBe('succeeded');
    expect(attempts).toStrictEqual([1, 2]);
  });

  it('ends it failed once it has run maxAttempts times, each failed by the database', async () => {
    // Every progress write loses its connection; the hand-backs go through.
    const flaky = withStoreMethod(store, 'updateOperation', (...args) =>
      args[1].state === 'queued'
        ? store.updateOperation(...args)
        : Promise.reject(new StoreUnavailableError('PostgreSQL connection lost: terminating connection')),
    );
    const { attempts, kind } = progressingKind();
    const { engine } = await startEngine(flaky, { kinds: [kind], leaseMs: LEASE_MS, maxAttempts: 3 }, time);
    running.push(engine);
    const id = await accept(engine);
    const done = await waitUntil(engine, id, (record) => record.state === 'succeeded' || record.state === 'failed');
    expect(done.state).toBe('failed');
    expect(attempts).toStrictEqual([1, 2, 3]);
  });
});

describe('a store that ends and claims in one call', () => {
  /** `store` with `updateOperationsAndClaim` made of its own two calls, each use recorded. */
  function endingAndClaiming(claimFails: () => boolean = () => false) {
    const calls: { writes: number; limit: number }[] = [];
    const both: OperationStore = new Proxy(store, {
      get(target, property) {
        if (property === 'updateOperationsAndClaim') {
          return async (writes: readonly LeasedWrite[], claim: ClaimRequest, now: Date): Promise<EndAndClaimResult> => {
            calls.push({ writes: writes.length, limit: claim.limit });
            const results = await target.updateOperations(writes, now);
            if (claimFails()) {
              return {
                results,
                claims: { status: 'rejected', reason: new StoreUnavailableError('the database is away') },
              };
            }
            const value = await target.claimBatch(claim.owner, claim.kinds, claim.leaseMs, now, claim.limit);
            return { results, claims: { status: 'fulfilled', value } };
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { both, calls };
  }

  const quick = defineKind<unknown, never, string>({
    name: KIND,
    async run() {
      return { result: 'made' };
    },
  });

  it('claims the next operations with the endings of the last ones', async () => {
    const { both, calls } = endingAndClaiming();
    const { engine } = await startEngine(both, { kinds: [quick], leaseMs: LEASE_MS, concurrency: 3 }, time);
    running.push(engine);
    const ids = await Promise.all(Array.from({ length: 12 }, () => accept(engine)));
    for (const id of ids) expect((await waitUntil(engine, id, (r) => r.state === 'succeeded')).attempts).toBe(1);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.writes > 0 && call.limit > 0)).toBe(true);
  });

  it('applies the endings when the claim fails, and claims again at the next poll', async () => {
    let failures = 1;
    const { both, calls } = endingAndClaiming(() => failures-- > 0);
    const { engine } = await startEngine(
      both,
      { kinds: [quick], leaseMs: LEASE_MS, concurrency: 1, pollIntervalMs: 100 },
      time,
    );
    running.push(engine);
    const ids = await Promise.all(Array.from({ length: 3 }, () => accept(engine)));
    await waitUntil(engine, ids[0] as string, (r) => r.state === 'succeeded');
    await new Promise((resolve) => setImmediate(resolve));
    time.advance(100);
    for (const id of ids) expect((await waitUntil(engine, id, (r) => r.state === 'succeeded')).attempts).toBe(1);
    expect(calls.length).toBeGreaterThan(0);
  });
});

describe('OperationRunner options', () => {
  it('refuses nonsense bounds', () => {
    const changes = new ChangeFeed({ read: async () => undefined });
    const base = { store, kinds: indexKinds([]), changes };
    expect(() => new OperationRunner({ ...base, concurrency: 0 })).toThrow(RangeError);
    expect(() => new OperationRunner({ ...base, leaseMs: -1 })).toThrow(RangeError);
    expect(() => new OperationRunner({ ...base, maxAttempts: 1.5 })).toThrow(RangeError);
  });

  it('names itself with a random wrk_ id unless told', () => {
    const changes = new ChangeFeed({ read: async () => undefined });
    const a = new OperationRunner({ store, kinds: indexKinds([]), changes });
    const b = new OperationRunner({ store, kinds: indexKinds([]), changes });
    expect(a.workerId).toMatch(/^wrk_/);
    expect(a.workerId).not.toBe(b.workerId);
    expect(new OperationRunner({ store, kinds: indexKinds([]), changes, workerId: 'w1' }).workerId).toBe('w1');
  });
});

/** `store` with one method replaced (a database that fails some writes); every other method is the store's own. */
function withStoreMethod<K extends 'updateOperation' | 'updateOperations'>(
  store: OperationStore,
  key: K,
  method: OperationStore[K],
): OperationStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === key) return method;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
