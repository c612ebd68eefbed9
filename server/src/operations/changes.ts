/**
 * The change feed: the one place that tells every waiter in this process that an operation
 * changed (long polls, SSE streams, a handler awaiting an action, webhook dispatch).
 *
 * The engine and runner publish each change they make exactly once. Changes made by other
 * processes arrive through a {@link ChangeSource} (e.g. PostgreSQL LISTEN/NOTIFY) as notices; the
 * feed reads the record only when someone here waits on that operation. Without a source, a
 * waiter still sees foreign changes when its timeout re-reads the store.
 *
 * Memory per waiter is one small object, one timer and one set entry: no buffers, no copies.
 */

import { type OperationLogger, silentLogger } from './logger.ts';
import type { OperationRecord } from './model.ts';
import type { ChangeNotice, ChangeSource } from './ports/change-source.ts';
import { type Clock, systemClock, systemTimers, type TimerHandle, type Timers } from './ports/clock.ts';
import { isTerminal } from './state.ts';

export type { ChangeNotice, ChangeSource } from './ports/change-source.ts';

/** Called with the record after each change to an operation. */
export type ChangeListener = (record: OperationRecord) => void;

/** Reads the current record of an operation (the store's `getOperation`). */
export type ReadOperation = (tenant: string, id: string) => Promise<OperationRecord | undefined>;

/** What a {@link ChangeFeed} needs. */
export interface ChangeFeedOptions {
  /** Reads the current record (on subscribe, on timeout, on a foreign notice). */
  read: ReadOperation;
  /** @default systemClock */
  clock?: Clock;
  /** @default systemTimers */
  timers?: Timers;
  /** @default silentLogger */
  logger?: OperationLogger;
}

/** Something told of a change: a listener function or an object (waiters, to avoid closures). */
type Subscriber = ChangeListener | { onChange(record: OperationRecord): void };

/** The subscribers of one operation and the highest version they were shown. */
interface Subscription {
  readonly subscribers: Set<Subscriber>;
  version: number;
}

/**
 * Publishes operation changes to everyone waiting on them in this process.
 *
 * @example
 * const record = await feed.waitForChange(tenant, id, knownVersion, 30_000, request.signal);
 * if (record && record.version > knownVersion) respond(record); else respondNotModified();
 */
export class ChangeFeed {
  readonly #read: ReadOperation;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #logger: OperationLogger;
  readonly #byOperation = new Map<string, Subscription>();
  readonly #everything = new Set<ChangeListener>();
  /** What waiters call back into: one object per feed, not one closure per waiter. */
  readonly #host: WaiterHost;

  constructor(options: ChangeFeedOptions) {
    this.#read = options.read;
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#host = {
      remove: (operationId, subscriber) => this.#remove(operationId, subscriber),
      clearTimer: (handle) => this.#timers.clearTimeout(handle),
      read: (tenant, id) => this.#read(tenant, id),
    };
  }

  /**
   * Tells every subscriber of `record.id`, then every {@link subscribeAll} listener. A version not
   * newer than one already shown to that operation's subscribers is not shown again, so waiters
   * never see an operation go back in time.
   */
  publish(record: OperationRecord): void {
    this.#tellSubscribers(record);
    for (const listener of [...this.#everything]) this.#tell(listener, record);
  }

  /**
   * Calls `listener` on each change to operation `operationId`; returns the unsubscribe function.
   * A listener that first read the record itself (SSE) should skip versions it has already sent.
   */
  subscribe(operationId: string, listener: ChangeListener): () => void {
    this.#add(operationId, listener);
    return () => this.#remove(operationId, listener);
  }

  /**
   * Calls `listener` on every change published in this process (not on foreign notices): for
   * webhook and callback dispatch, which must send each change once across all processes.
   */
  subscribeAll(listener: ChangeListener): () => void {
    this.#everything.add(listener);
    return () => {
      this.#everything.delete(listener);
    };
  }

  /**
   * Resolves with the operation as soon as its version exceeds `sinceVersion` (at once when the
   * stored one already does), else after `timeoutMs` with the current record (the caller compares
   * versions); undefined when the tenant has no such operation. Rejects with `signal.reason` when
   * `signal` aborts; every path unsubscribes and clears its timer.
   */
  waitForChange(
    tenant: string,
    id: string,
    sinceVersion: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<OperationRecord | undefined> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = new ChangeWaiter(this.#host, tenant, id, sinceVersion, signal, resolve, reject);
      this.#add(id, waiter);
      signal?.addEventListener('abort', waiter);
      waiter.timer = this.#timers.setTimeout(() => waiter.timeout(), timeoutMs);
      // Subscribed first, read second: a change committed in between is not missed.
      this.#read(tenant, id).then(
        (current) => {
          if (!current) waiter.settle(undefined);
          else if (current.version > sinceVersion) waiter.settle(current);
        },
        (error: unknown) => waiter.fail(error),
      );
    });
  }

  /**
   * Resolves as soon as the operation is terminal, else after `timeoutMs` with its current record
   * (`Prefer: wait=N` on a request that may finish quickly); undefined when there is no such
   * operation. Rejects with `signal.reason` when `signal` aborts.
   */
  async waitForTerminal(
    tenant: string,
    id: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<OperationRecord | undefined> {
    const deadline = this.#clock.now().getTime() + timeoutMs;
    let record = await this.#read(tenant, id);
    while (record && !isTerminal(record.state)) {
      const remaining = deadline - this.#clock.now().getTime();
      if (remaining <= 0) break;
      const next = await this.waitForChange(tenant, id, record.version, remaining, signal);
      if (!next || next.version <= record.version) return next ?? record;
      record = next;
    }
    return record;
  }

  /**
   * Takes a notice of a change made by another process: reads and publishes the record when
   * someone here waits on that operation and has not seen that version yet.
   */
  notify(notice: ChangeNotice): void {
    const subscription = this.#byOperation.get(notice.operationId);
    if (!subscription || notice.version <= subscription.version) return;
    this.#read(notice.tenant, notice.operationId).then(
      (record) => {
        // Only this operation's waiters: subscribeAll listeners (webhooks) were told by the
        // process that made the change, and must hear of it once across all processes.
        if (record) this.#tellSubscribers(record);
      },
      (error: unknown) =>
        this.#logger.warn({ err: error, operationId: notice.operationId }, 'reading a noticed change failed'),
    );
  }

  /** Starts taking notices from `source`; resolves to a function that stops it. */
  attach(source: ChangeSource): Promise<() => Promise<void>> {
    return source.listen((notice) => this.notify(notice));
  }

  /** How many subscribers wait on `operationId`, or on any operation when omitted. */
  listenerCount(operationId?: string): number {
    if (operationId !== undefined) return this.#byOperation.get(operationId)?.subscribers.size ?? 0;
    let count = 0;
    for (const subscription of this.#byOperation.values()) count += subscription.subscribers.size;
    return count;
  }

  /** Tells the subscribers of `record.id`, unless they were shown that version (or a newer one). */
  #tellSubscribers(record: OperationRecord): void {
    const subscription = this.#byOperation.get(record.id);
    if (!subscription || record.version <= subscription.version) return;
    subscription.version = record.version;
    // A copy: subscribers unsubscribe while being told.
    for (const subscriber of [...subscription.subscribers]) this.#tell(subscriber, record);
  }

  #add(operationId: string, subscriber: Subscriber): void {
    let subscription = this.#byOperation.get(operationId);
    if (!subscription) {
      subscription = { subscribers: new Set(), version: 0 };
      this.#byOperation.set(operationId, subscription);
    }
    subscription.subscribers.add(subscriber);
  }

  #remove(operationId: string, subscriber: Subscriber): void {
    const subscription = this.#byOperation.get(operationId);
    if (!subscription) return;
    subscription.subscribers.delete(subscriber);
    if (subscription.subscribers.size === 0) this.#byOperation.delete(operationId);
  }

  #tell(subscriber: Subscriber, record: OperationRecord): void {
    try {
      if (typeof subscriber === 'function') subscriber(record);
      else subscriber.onChange(record);
    } catch (error) {
      // One broken listener must not keep the change from the others.
      this.#logger.error({ err: error, operationId: record.id }, 'a change listener threw');
    }
  }
}

/** The feed's side of a waiter. */
interface WaiterHost {
  remove(operationId: string, subscriber: Subscriber): void;
  clearTimer(handle: TimerHandle): void;
  read: ReadOperation;
}

/**
 * One pending {@link ChangeFeed.waitForChange}: it is its own change subscriber and abort listener
 * (`handleEvent`), so a waiter costs one object, one timer and one closure.
 */
class ChangeWaiter {
  readonly #host: WaiterHost;
  readonly #tenant: string;
  readonly #id: string;
  readonly #since: number;
  readonly #signal: AbortSignal | undefined;
  readonly #resolve: (record: OperationRecord | undefined) => void;
  readonly #reject: (reason: unknown) => void;
  #done = false;
  timer: TimerHandle = undefined;

  constructor(
    host: WaiterHost,
    tenant: string,
    id: string,
    since: number,
    signal: AbortSignal | undefined,
    resolve: (record: OperationRecord | undefined) => void,
    reject: (reason: unknown) => void,
  ) {
    this.#host = host;
    this.#tenant = tenant;
    this.#id = id;
    this.#since = since;
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  onChange(record: OperationRecord): void {
    if (record.tenant === this.#tenant && record.version > this.#since) this.settle(record);
  }

  /** The signal aborted. */
  handleEvent(): void {
    if (this.#finish()) this.#reject(this.#signal?.reason);
  }

  timeout(): void {
    if (!this.#finish()) return;
    this.#host.read(this.#tenant, this.#id).then(this.#resolve, this.#reject);
  }

  settle(record: OperationRecord | undefined): void {
    if (this.#finish()) this.#resolve(record);
  }

  fail(error: unknown): void {
    if (this.#finish()) this.#reject(error);
  }

  /** Unsubscribes and clears the timer; false when already done. */
  #finish(): boolean {
    if (this.#done) return false;
    this.#done = true;
    this.#host.remove(this.#id, this);
    this.#host.clearTimer(this.timer);
    this.#signal?.removeEventListener('abort', this);
    return true;
  }
}
