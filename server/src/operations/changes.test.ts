import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore, REQUEST, TENANT } from '../testing/engine-harness.ts';
import { ChangeFeed, type ChangeNotice, type ChangeSource } from './changes.ts';
import { newOperationId } from './ids.ts';
import { createManualTime, type ManualTime } from './manual-time.ts';
import type { OperationRecord } from './model.ts';
import type { OperationStore } from './ports/index.ts';

let store: OperationStore;
let dispose: () => Promise<void>;
let time: ManualTime;
let feed: ChangeFeed;
let reads: number;

beforeEach(async () => {
  ({ store, dispose } = await openTempStore());
  time = createManualTime();
  reads = 0;
  feed = new ChangeFeed({
    read: (tenant, id) => {
      reads += 1;
      return store.getOperation(tenant, id);
    },
    clock: time,
    timers: time,
  });
});

afterEach(async () => {
  await dispose();
});

async function createOperation(): Promise<OperationRecord> {
  const now = time.now();
  const created = await store.createOperation({
    operation: {
      id: newOperationId(now),
      tenant: TENANT,
      kind: 'thing.make',
      input: {},
      request: REQUEST,
      steps: [],
      estimatedCompletionAt: null,
      lockKey: null,
      callbackUrl: null,
      createdAt: now.toISOString(),
    },
  });
  if (created.outcome !== 'created') throw new Error(created.outcome);
  return created.operation;
}

/** A real change to the operation in the store (it starts running), not published to the feed. */
async function changeInStore(): Promise<OperationRecord> {
  const claim = await store.claimNext('worker-1', ['thing.make'], 10_000, time.now());
  if (!claim) throw new Error('nothing to claim');
  return claim.operation;
}

/** Lets pending store reads settle (the store answers reads on the next turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('ChangeFeed.waitForChange', () => {
  it('resolves at once when the stored version is already newer', async () => {
    const created = await createOperation();
    expect(await feed.waitForChange(TENANT, created.id, 0, 30_000)).toEqual(created);
    expect(feed.listenerCount()).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('resolves as soon as a newer version is published', async () => {
    const created = await createOperation();
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000);
    await settle();
    expect(feed.listenerCount(created.id)).toBe(1);
    const running = await changeInStore();
    feed.publish(running);
    expect(await waiting).toEqual(running);
    expect(feed.listenerCount()).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('does not resolve for a version it already has', async () => {
    const created = await createOperation();
    let resolved = false;
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000).then((record) => {
      resolved = true;
      return record;
    });
    await settle();
    feed.publish(created);
    await settle();
    expect(resolved).toBe(false);
    time.advance(30_000);
    expect(await waiting).toEqual(created);
  });

  it('after the timeout resolves with the current record, even one changed by another process', async () => {
    const created = await createOperation();
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000);
    await settle();
    const running = await changeInStore(); // never published here
    time.advance(30_000);
    expect(await waiting).toEqual(running);
    expect(feed.listenerCount()).toBe(0);
  });

  it('resolves undefined for an unknown id or another tenant', async () => {
    const created = await createOperation();
    expect(await feed.waitForChange(TENANT, 'op_unknown', 0, 30_000)).toBeUndefined();
    expect(await feed.waitForChange('tenant-b', created.id, 0, 30_000)).toBeUndefined();
    expect(feed.listenerCount()).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('rejects with the reason when aborted, and cleans up', async () => {
    const created = await createOperation();
    const controller = new AbortController();
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000, controller.signal);
    await settle();
    controller.abort(new Error('client went away'));
    await expect(waiting).rejects.toThrow('client went away');
    expect(feed.listenerCount()).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('rejects at once for a signal already aborted, subscribing nothing', async () => {
    const created = await createOperation();
    await expect(
      feed.waitForChange(TENANT, created.id, 0, 30_000, AbortSignal.abort(new Error('gone'))),
    ).rejects.toThrow('gone');
    expect(feed.listenerCount()).toBe(0);
    expect(reads).toBe(0);
  });
});

describe('ChangeFeed with thousands of waiters', () => {
  const WAITERS = 10_000;

  it('tells 10,000 waiters of one change and drops them all', async () => {
    const created = await createOperation();
    const waiting = Array.from({ length: WAITERS }, () =>
      feed.waitForChange(TENANT, created.id, created.version, 30_000),
    );
    await settle();
    expect(feed.listenerCount(created.id)).toBe(WAITERS);
    expect(time.pendingTimers()).toBe(WAITERS);
    const running = await changeInStore();
    feed.publish(running);
    const records = await Promise.all(waiting);
    expect(records.every((record) => record?.version === running.version)).toBe(true);
    expect(feed.listenerCount()).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('drops 10,000 waiters that time out or are aborted', async () => {
    const created = await createOperation();
    const controller = new AbortController();
    const timingOut = Array.from({ length: WAITERS / 2 }, () =>
      feed.waitForChange(TENANT, created.id, created.version, 30_000),
    );
    const aborted = Array.from({ length: WAITERS / 2 }, () =>
      feed
        .waitForChange(TENANT, created.id, created.version, 60_000, controller.signal)
        .catch((reason: unknown) => reason),
    );
    await settle();
    expect(feed.listenerCount()).toBe(WAITERS);
    time.advance(30_000);
    expect(await Promise.all(timingOut)).toHaveLength(WAITERS / 2);
    expect(feed.listenerCount()).toBe(WAITERS / 2);
    controller.abort(new Error('shutting down'));
    const reasons = await Promise.all(aborted);
    expect(reasons.every((reason) => reason instanceof Error && reason.message === 'shutting down')).toBe(true);
    expect(feed.listenerCount()).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('keeps well under 2 KB of heap per waiting long poll', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const created = await createOperation();
    const controller = new AbortController();
    gc();
    const before = process.memoryUsage().heapUsed;
    const waiting = Array.from({ length: WAITERS }, () =>
      feed.waitForChange(TENANT, created.id, created.version, 30_000, controller.signal).catch(() => undefined),
    );
    await settle();
    gc();
    const perWaiter = (process.memoryUsage().heapUsed - before) / WAITERS;
    controller.abort();
    await Promise.all(waiting);
    expect(perWaiter).toBeLessThan(2048);
  });
});

describe('ChangeFeed publishing', () => {
  it('tells subscribers of that operation only, in order, and stops when unsubscribed', async () => {
    const created = await createOperation();
    const other = await createOperation();
    const seen: number[] = [];
    const unsubscribe = feed.subscribe(created.id, (record) => seen.push(record.version));
    feed.publish({ ...other, version: 5 });
    feed.publish({ ...created, version: 2 });
    feed.publish({ ...created, version: 3 });
    unsubscribe();
    feed.publish({ ...created, version: 4 });
    expect(seen).toEqual([2, 3]);
    expect(feed.listenerCount()).toBe(0);
  });

  it('never shows subscribers an older version after a newer one', async () => {
    const created = await createOperation();
    const seen: number[] = [];
    feed.subscribe(created.id, (record) => seen.push(record.version));
    feed.publish({ ...created, version: 3 });
    feed.publish({ ...created, version: 2 });
    feed.publish({ ...created, version: 3 });
    expect(seen).toEqual([3]);
  });

  it('keeps telling the others when one listener throws', async () => {
    const created = await createOperation();
    const seen: string[] = [];
    feed.subscribe(created.id, () => {
      throw new Error('broken listener');
    });
    feed.subscribe(created.id, () => seen.push('second'));
    feed.publish({ ...created, version: 2 });
    expect(seen).toEqual(['second']);
  });

  it('tells subscribeAll listeners every change made in this process', async () => {
    const a = await createOperation();
    const b = await createOperation();
    const seen: string[] = [];
    const unsubscribe = feed.subscribeAll((record) => seen.push(`${record.id}@${record.version}`));
    feed.publish(a);
    feed.publish(b);
    unsubscribe();
    feed.publish(a);
    expect(seen).toEqual([`${a.id}@1`, `${b.id}@1`]);
  });
});

describe('ChangeFeed notices from other processes', () => {
  it('reads and publishes a noticed change when someone waits on it', async () => {
    const created = await createOperation();
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000);
    await settle();
    const running = await changeInStore();
    feed.notify({ tenant: TENANT, operationId: created.id, version: running.version });
    expect(await waiting).toEqual(running);
  });

  it('tells the waiters of a noticed change but not subscribeAll listeners (the writer told those)', async () => {
    const created = await createOperation();
    const everywhere: number[] = [];
    feed.subscribeAll((record) => everywhere.push(record.version));
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000);
    await settle();
    const running = await changeInStore();
    feed.notify({ tenant: TENANT, operationId: created.id, version: running.version });
    expect(await waiting).toEqual(running);
    expect(everywhere).toEqual([]);
  });

  it('reads nothing for a change nobody here waits on, or one already seen', async () => {
    const created = await createOperation();
    feed.notify({ tenant: TENANT, operationId: created.id, version: 2 });
    expect(reads).toBe(0);
    const seen: number[] = [];
    feed.subscribe(created.id, (record) => seen.push(record.version));
    feed.publish({ ...created, version: 2 });
    feed.notify({ tenant: TENANT, operationId: created.id, version: 2 });
    expect(reads).toBe(0);
  });

  it('takes notices from an attached source until detached', async () => {
    let deliver: ((notice: ChangeNotice) => void) | undefined;
    const source: ChangeSource = {
      async listen(onNotice) {
        deliver = onNotice;
        return async () => {
          deliver = undefined;
        };
      },
    };
    const detach = await feed.attach(source);
    const created = await createOperation();
    const waiting = feed.waitForChange(TENANT, created.id, created.version, 30_000);
    await settle();
    const running = await changeInStore();
    deliver?.({ tenant: TENANT, operationId: created.id, version: running.version });
    expect(await waiting).toEqual(running);
    await detach();
    expect(deliver).toBeUndefined();
  });
});

describe('ChangeFeed.waitForTerminal', () => {
  it('follows changes until the operation ends', async () => {
    const created = await createOperation();
    const waiting = feed.waitForTerminal(TENANT, created.id, 30_000);
    await settle();
    const running = await changeInStore();
    feed.publish(running);
    await settle();
    const finished = { ...running, version: running.version + 1, state: 'succeeded' as const };
    feed.publish(finished);
    expect(await waiting).toEqual(finished);
    expect(feed.listenerCount()).toBe(0);
  });

  it('gives up at the deadline with the current record', async () => {
    const created = await createOperation();
    const waiting = feed.waitForTerminal(TENANT, created.id, 5_000);
    await settle();
    time.advance(5_000);
    expect(await waiting).toEqual(created);
    expect(time.pendingTimers()).toBe(0);
  });
});
