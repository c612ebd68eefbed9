import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openTempStore, REQUEST, TENANT } from '../testing/engine-harness.ts';
import { ChangeFeed } from './changes.ts';
import { LeasedOperationContext } from './context.ts';
import { LeaseLostError } from './errors.ts';
import { newOperationId } from './ids.ts';
import { createManualTime, type ManualTime } from './manual-time.ts';
import type { OperationRecord } from './model.ts';
import type { Lease, OperationStore } from './ports/index.ts';
import { workerLostProblem } from './problems.ts';

const KIND = 'thing.make';
const LEASE_MS = 10_000;

let store: OperationStore;
let dispose: () => Promise<void>;
let time: ManualTime;
let feed: ChangeFeed;
let published: OperationRecord[];

beforeEach(async () => {
  ({ store, dispose } = await openTempStore());
  time = createManualTime();
  feed = new ChangeFeed({ read: (tenant, id) => store.getOperation(tenant, id), clock: time, timers: time });
  published = [];
  feed.subscribeAll((record) => published.push(record));
});

afterEach(async () => {
  await dispose();
});

/** A queued operation claimed by this test as a worker, and the context a handler would get. */
async function claimedContext(): Promise<{
  context: LeasedOperationContext;
  lease: Lease;
  controller: AbortController;
}> {
  const now = time.now();
  await store.createOperation({
    operation: {
      id: newOperationId(now),
      tenant: TENANT,
      kind: KIND,
      input: {},
      request: REQUEST,
      steps: [
        { name: 'build', state: 'pending' },
        { name: 'confirm', state: 'pending' },
      ],
      estimatedCompletionAt: null,
      lockKey: null,
      callbackUrl: null,
      createdAt: now.toISOString(),
    },
  });
  const claim = await store.claimNext('worker-1', [KIND], LEASE_MS, now);
  if (!claim) throw new Error('nothing claimed');
  const controller = new AbortController();
  const context = new LeasedOperationContext({
    operation: claim.operation,
    lease: claim.lease,
    store,
    changes: feed,
    controller,
    clock: time,
    timers: time,
  });
  return { context, lease: claim.lease, controller };
}

/** Another process decides the worker is gone: the lease is recovered from under it. */
async function loseLeaseToRecovery(): Promise<void> {
  const later = new Date(time.now().getTime() + LEASE_MS + 1);
  const recovered = await store.recoverExpiredLeases(later, 3, workerLostProblem(3));
  expect(recovered).toHaveLength(1);
}

describe('OperationContext writes', () => {
  it('merge everything reported in one tick into one store write', async () => {
    const { context } = await claimedContext();
    await Promise.all([
      context.progress(10),
      context.step('build', 'running', { title: 'Building' }),
      context.progress(40, 'welding'),
      context.estimate(5_000),
    ]);
    expect(published).toHaveLength(1);
    const [record] = published;
    expect(record).toMatchObject({
      version: 3, // accepted 1, claimed 2, this write 3
      progress: { percent: 40, message: 'welding' },
      estimatedCompletionAt: new Date(time.now().getTime() + 5_000).toISOString(),
    });
    expect(record?.steps[0]).toEqual({ name: 'build', state: 'running', title: 'Building' });
    expect(await store.getOperation(TENANT, context.operationId)).toEqual(record);
  });

  it('merge what is reported while a write is in flight into the next one', async () => {
    const { context } = await claimedContext();
    const writes = vi.spyOn(store, 'updateOperation');
    const first = context.progress(10);
    while (writes.mock.calls.length === 0) await Promise.resolve(); // the first write is in flight
    const later = [context.progress(20), context.progress(30), context.step('build', 'succeeded')];
    await Promise.all([first, ...later]);
    expect(writes).toHaveBeenCalledTimes(2);
    expect(published.map((record) => record.progress.percent)).toEqual([10, 30]);
  });

  it('show progress by finished steps for a kind that reports none, and leave it to a kind that does', async () => {
    const { context } = await claimedContext();
    await context.step('build', 'running');
    await context.step('build', 'succeeded');
    await context.step('confirm', 'skipped');
    expect(published.map((record) => record.progress.percent)).toEqual([0, 50, 99]);
    const reporting = await claimedContext();
    await reporting.context.progress(10);
    await reporting.context.step('build', 'succeeded');
    expect((await store.getOperation(TENANT, reporting.context.operationId))?.progress).toEqual({ percent: 10 });
  });

  it('may be fired and forgotten', async () => {
    const { context } = await claimedContext();
    void context.progress(5);
    await context.flush();
    expect((await store.getOperation(TENANT, context.operationId))?.progress).toEqual({ percent: 5 });
  });

  it('refuse a percentage outside 0–100 and a negative ETA', async () => {
    const { context } = await claimedContext();
    expect(() => context.progress(101)).toThrow(RangeError);
    expect(() => context.progress(Number.NaN)).toThrow(RangeError);
    expect(() => context.estimate(-1)).toThrow(RangeError);
  });

  it('clear the ETA with null', async () => {
    const { context } = await claimedContext();
    await context.estimate(1_000);
    await context.estimate(null);
    expect((await store.getOperation(TENANT, context.operationId))?.estimatedCompletionAt).toBeNull();
  });

  it('publish an embedded-status resource, fenced by the lease', async () => {
    const { context } = await claimedContext();
    await context.updateResource('virtual-machines', 'vm_1', { status: 'provisioning', progress: 10 });
    await context.updateResource('virtual-machines', 'vm_1', { status: 'booting', progress: 80 });
    expect((await store.getResource(TENANT, 'virtual-machines', 'vm_1'))?.body).toEqual({
      status: 'booting',
      progress: 80,
    });
    await loseLeaseToRecovery();
    await expect(context.updateResource('virtual-machines', 'vm_1', { status: 'zombie' })).rejects.toThrow(
      LeaseLostError,
    );
    expect((await store.getResource(TENANT, 'virtual-machines', 'vm_1'))?.body).toEqual({
      status: 'booting',
      progress: 80,
    });
  });
});

describe('OperationContext.relate', () => {
  it('links a produced resource on the monitor at once, once per rel and href', async () => {
    const { context } = await claimedContext();
    await context.relate({ rel: 'widget', href: '/widgets/wdg_1' });
    await context.relate({ rel: 'widget', href: '/widgets/wdg_2' });
    await context.relate({ rel: 'widget', href: '/widgets/wdg_1' });
    const stored = await store.getOperation(TENANT, context.operationId);
    expect(stored?.state).toBe('running');
    expect(stored?.related).toEqual([
      { rel: 'widget', href: '/widgets/wdg_1' },
      { rel: 'widget', href: '/widgets/wdg_2' },
    ]);
  });
});

describe('OperationContext after losing its lease', () => {
  it('aborts the signal with LeaseLostError and refuses every further write', async () => {
    const { context } = await claimedContext();
    await loseLeaseToRecovery();
    await expect(context.progress(50)).rejects.toBeInstanceOf(LeaseLostError);
    expect(context.signal.aborted).toBe(true);
    expect(context.signal.reason).toBeInstanceOf(LeaseLostError);
    expect(context.leaseLost).toBe(true);
    expect(() => context.progress(60)).toThrow(LeaseLostError);
    expect(() => context.step('build', 'running')).toThrow(LeaseLostError);
    const stored = await store.getOperation(TENANT, context.operationId);
    expect(stored).toMatchObject({ state: 'queued', progress: { percent: 0 } });
  });

  it('refuses writes once the handler is done', async () => {
    const { context } = await claimedContext();
    context.close();
    expect(() => context.progress(1)).toThrow(/can no longer change it/);
  });
});

describe('OperationContext.sleep', () => {
  it('waits on the injected timers', async () => {
    const { context } = await claimedContext();
    let woke = false;
    const sleeping = context.sleep(1_000).then(() => {
      woke = true;
    });
    time.advance(999);
    await Promise.resolve();
    expect(woke).toBe(false);
    time.advance(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('rejects with the abort reason and clears its timer', async () => {
    const { context, controller } = await claimedContext();
    const sleeping = context.sleep(60_000);
    controller.abort(new DOMException('cancelled', 'AbortError'));
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
    expect(time.pendingTimers()).toBe(0);
  });
});

describe('OperationContext.awaitAction', () => {
  const options = { step: 'confirm', action: { method: 'POST', path: '/orders/1/confirm' } };

  it('marks the step waiting with its action link, and resumes with the payload delivered in this process', async () => {
    const { context } = await claimedContext();
    const waiting = context.awaitAction<{ ok: boolean }>('confirm', options);
    await context.flush();
    const stored = await store.getOperation(TENANT, context.operationId);
    expect(stored?.steps[1]).toEqual({
      name: 'confirm',
      state: 'waiting',
      action: { name: 'confirm', ...options.action },
    });
    const delivered = await store.deliverAction(TENANT, context.operationId, 'confirm', { ok: true }, time.now());
    if (delivered?.outcome !== 'delivered') throw new Error('not delivered');
    feed.publish(delivered.operation); // what the engine does after delivering
    expect(await waiting).toEqual({ ok: true });
    await context.flush();
    expect((await store.getOperation(TENANT, context.operationId))?.steps[1]).toEqual({
      name: 'confirm',
      state: 'running',
    });
    expect(feed.listenerCount()).toBe(0);
  });

  it('resumes with a payload delivered by another process, seen by a heartbeat re-read', async () => {
    const { context } = await claimedContext();
    const waiting = context.awaitAction('confirm', options);
    await context.flush();
    await store.deliverAction(TENANT, context.operationId, 'confirm', 'yes', time.now()); // not published here
    const reread = await store.getOperation(TENANT, context.operationId);
    if (!reread) throw new Error('gone');
    context.observe(reread);
    expect(await waiting).toBe('yes');
  });

  it('resolves at once when the action was delivered before (a re-run after a crash)', async () => {
    const { context } = await claimedContext();
    const waiting = context.awaitAction('confirm', options);
    await context.flush();
    const delivered = await store.deliverAction(TENANT, context.operationId, 'confirm', 42, time.now());
    if (delivered?.outcome === 'delivered') feed.publish(delivered.operation);
    await waiting;
    await context.step('confirm', 'waiting'); // as an earlier attempt may have left it
    expect(await context.awaitAction('confirm', options)).toBe(42);
    await context.flush();
    expect(context.steps[1]).toEqual({ name: 'confirm', state: 'running' });
  });

  it('rejects with the abort reason on cancel and stops listening', async () => {
    const { context, controller } = await claimedContext();
    const waiting = context.awaitAction('confirm', options);
    await context.flush();
    controller.abort(new DOMException('cancellation of the operation was requested', 'AbortError'));
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(feed.listenerCount()).toBe(0);
  });

  it('rejects with LeaseLostError when the waiting step cannot be stored', async () => {
    const { context } = await claimedContext();
    await loseLeaseToRecovery();
    await expect(context.awaitAction('confirm', options)).rejects.toBeInstanceOf(LeaseLostError);
    expect(feed.listenerCount()).toBe(0);
  });
});
