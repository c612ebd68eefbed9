import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../operations/changes.ts';
import { createManualTime } from '../operations/manual-time.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { OperationState } from '../operations/state.ts';
import { eventFrame, KEEP_ALIVE_FRAME, monitorEventStream } from './sse-stream.ts';

const ID = 'op_01jabcdef0123456789abcdefg';

function record(version: number, state: OperationState = 'running'): OperationRecord {
  return {
    id: ID,
    tenant: 'tenant-a',
    kind: 'car.create',
    state,
    version,
    input: null,
    request: { method: 'POST', path: '/cars' },
    progress: { percent: version },
    steps: [],
    estimatedCompletionAt: null,
    result: null,
    product: null,
    related: [],
    error: null,
    cancelRequested: false,
    lockKey: null,
    callbackUrl: null,
    actions: {},
    attempts: 1,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: '2031-05-06T07:08:09.000Z',
    updatedAt: '2031-05-06T07:08:09.000Z',
    startedAt: null,
    finishedAt: null,
  };
}

/** A stream over a real change feed on hand-driven time; `stored` is what a read returns. */
function setUp(options: { lastEventId?: number; stored?: OperationRecord | undefined } = {}) {
  const time = createManualTime();
  const state = { stored: 'stored' in options ? options.stored : record(1, 'queued') };
  const feed = new ChangeFeed({ read: async () => state.stored, clock: time, timers: time });
  const controller = new AbortController();
  const stream = monitorEventStream({
    operationId: ID,
    read: async () => state.stored,
    subscribe: (id, listener) => feed.subscribe(id, listener),
    render: (operation) => ({ version: operation.version, state: operation.state }),
    lastEventId: options.lastEventId,
    signal: controller.signal,
    keepAliveMs: 1000,
    retryMs: 1500,
    timers: time,
  });
  const publish = (next: OperationRecord) => {
    state.stored = next;
    feed.publish(next);
  };
  return { time, feed, stream, controller, state, publish };
}

const frame = (operation: OperationRecord) =>
  eventFrame(operation.version, 'monitor', { version: operation.version, state: operation.state });

describe('monitorEventStream', () => {
  it('advises a reconnection delay, sends the monitor as it is, then every change, and ends after the terminal one', async () => {
    const { stream, publish } = setUp();
    expect((await stream.next()).value).toBe('retry: 1500\n\n');
    expect((await stream.next()).value).toBe(frame(record(1, 'queued')));
    const next = stream.next();
    publish(record(2));
    expect((await next).value).toBe(frame(record(2)));
    publish(record(3));
    publish(record(4, 'succeeded'));
    expect((await stream.next()).value).toBe(frame(record(3)));
    expect((await stream.next()).value).toBe(frame(record(4, 'succeeded')));
    expect(await stream.next()).toStrictEqual({ done: true, value: undefined });
  });

  it('writes each event as `id`, `event: monitor` and one `data` line of JSON', () => {
    expect(eventFrame(7, 'monitor', { note: 'two\nlines' })).toBe(
      'id: 7\nevent: monitor\ndata: {"note":"two\\nlines"}\n\n',
    );
  });

  it('resumes after Last-Event-ID: nothing up to it is sent again', async () => {
    const { stream, publish } = setUp({ lastEventId: 3, stored: record(3) });
    await stream.next(); // retry
    const next = stream.next();
    publish(record(4));
    expect((await next).value).toBe(frame(record(4)));
  });

  it('starts with the monitor as it is now when it is newer than Last-Event-ID', async () => {
    const { stream } = setUp({ lastEventId: 2, stored: record(5) });
    await stream.next();
    expect((await stream.next()).value).toBe(frame(record(5)));
  });

  it('never goes back: a version not newer than the last one sent is skipped', async () => {
    const { stream, feed } = setUp({ stored: record(4) });
    await stream.next();
    expect((await stream.next()).value).toBe(frame(record(4)));
    const next = stream.next();
    feed.publish(record(3));
    feed.publish(record(4));
    feed.publish(record(6));
    expect((await next).value).toBe(frame(record(6)));
  });

  it('sends a keep-alive comment while nothing changes, and reads the monitor again to see changes made elsewhere', async () => {
    const { stream, time, state } = setUp({ stored: record(2) });
    await stream.next();
    await stream.next();
    const idle = stream.next();
    // Changed by another process: no publish here.
    state.stored = record(3);
    time.advance(1000);
    expect((await idle).value).toBe(KEEP_ALIVE_FRAME);
    expect((await stream.next()).value).toBe(frame(record(3)));
  });

  it('ends and unsubscribes when the client goes away', async () => {
    const { stream, feed, controller, time } = setUp({ stored: record(2) });
    await stream.next();
    await stream.next();
    expect(feed.listenerCount(ID)).toBe(1);
    const waiting = stream.next();
    controller.abort();
    expect(await waiting).toStrictEqual({ done: true, value: undefined });
    expect(feed.listenerCount(ID)).toBe(0);
    expect(time.pendingTimers()).toBe(0);
  });

  it('ends at once when the monitor is gone', async () => {
    const { stream, feed } = setUp({ stored: undefined });
    await stream.next();
    expect(await stream.next()).toStrictEqual({ done: true, value: undefined });
    expect(feed.listenerCount(ID)).toBe(0);
  });

  it('misses no change published between subscribing and reading', async () => {
    const time = createManualTime();
    const feed = new ChangeFeed({ read: async () => undefined, clock: time, timers: time });
    let release!: (value: OperationRecord) => void;
    const stream = monitorEventStream({
      operationId: ID,
      // The read is slow: a change is published while it is under way.
      read: () => new Promise<OperationRecord>((resolve) => (release = resolve)),
      subscribe: (id, listener) => feed.subscribe(id, listener),
      render: (operation) => ({ version: operation.version, state: operation.state }),
      signal: new AbortController().signal,
      timers: time,
    });
    await stream.next();
    const first = stream.next();
    await Promise.resolve();
    feed.publish(record(2));
    release(record(1, 'queued'));
    expect((await first).value).toBe(frame(record(2)));
  });
});
