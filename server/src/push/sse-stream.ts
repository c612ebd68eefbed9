/**
 * The event stream of one monitor (`GET /monitors/{id}/events`) as the text frames to write:
 * `retry:` first, then one `monitor` event per change (`id:` its version, `data:` the monitor as
 * one line of JSON), `: keep-alive` comments while nothing changes, and the end after the event of
 * a terminal state. Versions only go up: one already sent, or not newer than `Last-Event-ID`, is
 * skipped.
 *
 * Nothing here knows about HTTP: the caller writes the frames and aborts `signal` when the client
 * goes away.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import type { ChangeListener } from '../operations/changes.ts';
import type { OperationRecord } from '../operations/model.ts';
import { systemTimers, type TimerHandle, type Timers } from '../operations/ports/clock.ts';
import { isTerminal } from '../operations/state.ts';

/** Default {@link MonitorEventStreamOptions.keepAliveMs}: a comment every 15 seconds. */
export const DEFAULT_KEEP_ALIVE_MS = 15_000;
/** Default {@link MonitorEventStreamOptions.retryMs}: what a client waits before reconnecting. */
export const DEFAULT_RECONNECT_MS = 2_000;
/** Changes held for a slow reader before older ones are dropped (the newest is always kept). */
const MAX_QUEUED_CHANGES = 64;

/** What {@link monitorEventStream} reads from. */
export interface MonitorEventStreamOptions {
  operationId: string;
  /** Reads the operation as it is now (the tenant's `engine.get`). */
  read(): Promise<OperationRecord | undefined>;
  /** Subscribes to the operation's changes (the engine's `subscribe`); returns the unsubscribe function. */
  subscribe(operationId: string, listener: ChangeListener): () => void;
  /** The monitor representation of an operation. */
  render(operation: OperationRecord): unknown;
  /** The `Last-Event-ID` the client sent: versions up to it are not sent again. */
  lastEventId?: number | undefined;
  /** Fires when the client goes away; the stream then ends and unsubscribes. */
  signal: AbortSignal;
  /** @default 15_000 */
  keepAliveMs?: number | undefined;
  /** @default 2_000 */
  retryMs?: number | undefined;
  /** @default systemTimers */
  timers?: Timers | undefined;
}

/** One server-sent event frame. */
export function eventFrame(id: number, event: string, data: unknown): string {
  // JSON.stringify escapes line breaks inside strings, so the data is one `data:` line.
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The keep-alive comment: ignored by readers, but it keeps proxies from closing an idle stream. */
export const KEEP_ALIVE_FRAME = ': keep-alive\n\n';

/**
 * The frames of a monitor's event stream (see the module comment). Subscribes before it reads the
 * monitor, so no change falls between the two; on every keep-alive it reads the monitor again, so
 * a change published by another process is seen even without a change source.
 */
export async function* monitorEventStream(options: MonitorEventStreamOptions): AsyncGenerator<string, void, undefined> {
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
  const inbox = new ChangeInbox(options.timers ?? systemTimers);
  const unsubscribe = options.subscribe(options.operationId, (record) => inbox.push(record));
  const close = () => inbox.close();
  options.signal.addEventListener('abort', close, { once: true });
  try {
    let sent = options.lastEventId ?? 0;
    yield `retry: ${options.retryMs ?? DEFAULT_RECONNECT_MS}\n\n`;
    const current = await options.read();
    if (current === undefined) return;
    inbox.push(current);
    while (!options.signal.aborted) {
      const next = await inbox.take(keepAliveMs);
      if (next === 'closed') return;
      if (next === 'idle') {
        yield KEEP_ALIVE_FRAME;
        const latest = await options.read();
        if (latest === undefined) return;
        inbox.push(latest);
        continue;
      }
      if (next.version <= sent) continue;
      sent = next.version;
      yield eventFrame(next.version, 'monitor', options.render(next));
      if (isTerminal(next.state)) return;
    }
  } finally {
    unsubscribe();
    options.signal.removeEventListener('abort', close);
    inbox.close();
  }
}

/** The changes not yet written, and the one reader waiting for them. */
class ChangeInbox {
  readonly #timers: Timers;
  readonly #queue: OperationRecord[] = [];
  #closed = false;
  #waiter: ((next: OperationRecord | 'idle' | 'closed') => void) | undefined;
  #timer: TimerHandle;

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  push(record: OperationRecord): void {
    if (this.#closed) return;
    if (this.#waiter) {
      this.#settle(record);
      return;
    }
    this.#queue.push(record);
    // A reader that cannot keep up gets the newest state rather than an ever longer backlog.
    if (this.#queue.length > MAX_QUEUED_CHANGES) this.#queue.splice(0, this.#queue.length - MAX_QUEUED_CHANGES);
  }

  /** The next change, `idle` after `idleMs` without one, or `closed`. */
  take(idleMs: number): Promise<OperationRecord | 'idle' | 'closed'> {
    if (this.#closed) return Promise.resolve('closed');
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.#waiter = resolve;
      this.#timer = this.#timers.setTimeout(() => this.#settle('idle'), idleMs);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    this.#settle('closed');
  }

  #settle(next: OperationRecord | 'idle' | 'closed'): void {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    waiter(next);
  }
}
