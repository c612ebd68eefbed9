/**
 * The operation context: everything a handler may do to the operation it runs, all fenced by the
 * worker's lease.
 *
 * Every write goes through `store.updateOperation(lease, …)` and is published to the change feed.
 * Writes made in the same tick (and while an earlier write is in flight) are merged into one store
 * write, so a handler may report progress freely. When the lease is lost, the signal aborts with a
 * {@link LeaseLostError} and every further write throws it.
 */

import type { ChangeFeed } from './changes.ts';
import { LeaseLostError } from './errors.ts';
import type { OperationRecord, StepState, StoredLink, StoredStep } from './model.ts';
import type { Clock, Timers } from './ports/clock.ts';
import type { Lease, OperationPatch, OperationStore, PublishedResource } from './ports/index.ts';
import { withStep } from './steps.ts';

/** Options of {@link OperationContext.step}. */
export interface StepOptions {
  /** A human-readable title shown on the monitor. */
  title?: string;
}

/** Options of {@link OperationContext.awaitAction}. */
export interface AwaitActionOptions {
  /** The step that waits: set `waiting` with the action link until the action arrives. */
  step: string;
  /** The request that delivers the action, linked from the waiting step. */
  action: { method: string; path: string };
}

/**
 * What a handler is given to report on and control its operation.
 *
 * Write methods (`progress`, `step`, `estimate`, `updateResource`) resolve once the change is
 * stored; awaiting them is optional (unawaited failures are not unhandled rejections). Once the
 * lease is lost or the handler has returned they throw {@link LeaseLostError} synchronously.
 */
export interface OperationContext {
  readonly operationId: string;
  readonly tenant: string;
  /** 1 on the first run, more when crash recovery re-runs the operation. */
  readonly attempt: number;
  /**
   * Aborts when a client asks to cancel (reason: an `AbortError` DOMException), when the lease is
   * lost ({@link LeaseLostError}), or when the worker stops and gives up waiting.
   */
  readonly signal: AbortSignal;
  /** The injected clock's time (use it instead of `new Date()` so tests control time). */
  now(): Date;
  /** Reports progress: `percent` in 0–100, with an optional message. */
  progress(percent: number, message?: string): Promise<void>;
  /** Sets workflow step `name` to `state` (a step the kind did not declare is appended). */
  step(name: string, state: StepState, options?: StepOptions): Promise<void>;
  /** Sets the ETA to now + `msRemaining` on the injected clock, or to unknown with null. */
  estimate(msRemaining: number | null): Promise<void>;
  /**
   * Waits for an outside action (an order's manual fulfilment): sets `options.step` `waiting`
   * with the action's link, stores it, and resolves with the payload delivered under `name`
   * (at once when it already was, e.g. on a re-run). The step goes back to `running` then.
   * Rejects with `signal.reason` when the signal aborts.
   */
  awaitAction<Payload = unknown>(name: string, options: AwaitActionOptions): Promise<Payload>;
  /** Resolves after `ms` on the injected timers; rejects with `signal.reason` on abort. */
  sleep(ms: number): Promise<void>;
  /** Stores a new body for a resource (an embedded-status resource's progress), fenced like every write. */
  updateResource(collection: string, id: string, body: Record<string, unknown>): Promise<void>;
  /**
   * Links a further resource the operation produced, on its monitor at once (an order's widgets
   * show up as they are made, before the order is fulfilled). The handler's final `related`, when
   * it returns one, replaces the list.
   */
  relate(link: StoredLink): Promise<void>;
}

/** What a {@link LeasedOperationContext} is built from (by the runner). */
export interface LeasedOperationContextOptions {
  /** The operation as claimed. */
  operation: OperationRecord;
  lease: Lease;
  store: OperationStore;
  changes: ChangeFeed;
  /** Owned by the runner, which aborts it on cancel or shutdown. */
  controller: AbortController;
  clock: Clock;
  timers: Timers;
  /**
   * Called each time the handler starts waiting in {@link OperationContext.awaitAction}, after the
   * waiting step is queued for writing: a stopping runner hands such an operation back at once.
   */
  onAwaitAction?: (() => void) | undefined;
}

/** A write not yet started; everything enqueued before it starts joins it. */
interface PendingWrite {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(reason: unknown): void;
}

/** A handler waiting in {@link OperationContext.awaitAction}. */
interface ActionWaiter {
  readonly name: string;
  readonly step: string;
  resolve(payload: unknown): void;
  reject(reason: unknown): void;
}

const ignore = (): void => {};

function pendingWrite(): PendingWrite {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Handlers may fire and forget: a failed write is reported by the next one, not as an unhandled rejection.
  promise.catch(ignore);
  return { promise, resolve, reject };
}

/** The {@link OperationContext} the runner gives a handler, plus the hooks the runner drives. */
export class LeasedOperationContext implements OperationContext {
  readonly operationId: string;
  readonly tenant: string;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly #lease: Lease;
  readonly #store: OperationStore;
  readonly #changes: ChangeFeed;
  readonly #controller: AbortController;
  readonly #clock: Clock;
  readonly #timers: Timers;
  /** The newest record seen (own writes, in-process publishes, heartbeat re-reads). */
  #record: OperationRecord;
  /** The steps as the handler set them, including changes not yet written. */
  #steps: StoredStep[];
  #related: StoredLink[];
  #patch: OperationPatch | undefined;
  readonly #resources = new Map<string, PublishedResource>();
  #next: PendingWrite | undefined;
  /** The last write started; writes run one at a time, in order. */
  #tail: Promise<void> = Promise.resolve();
  #lost = false;
  #closed = false;
  /** Whether the handler reports progress itself; until it does, its finished steps measure it. */
  #reportsProgress = false;
  readonly #actionWaiters = new Set<ActionWaiter>();
  #unsubscribe: (() => void) | undefined;
  readonly #onAwaitAction: (() => void) | undefined;

  constructor(options: LeasedOperationContextOptions) {
    this.operationId = options.operation.id;
    this.tenant = options.operation.tenant;
    this.attempt = options.lease.attempt;
    this.signal = options.controller.signal;
    this.#lease = options.lease;
    this.#store = options.store;
    this.#changes = options.changes;
    this.#controller = options.controller;
    this.#clock = options.clock;
    this.#timers = options.timers;
    this.#record = options.operation;
    this.#steps = options.operation.steps;
    this.#related = options.operation.related;
    this.#onAwaitAction = options.onAwaitAction;
  }

  /**
   * True while the handler waits in {@link OperationContext.awaitAction}: for a person or another
   * system, perhaps for days. What it waits for is stored on the operation (the step is `waiting`,
   * and a delivered action is kept), so a run stopped there loses nothing: the next run waits again,
   * or resumes at once with what was delivered meanwhile.
   */
  get awaitingAction(): boolean {
    return this.#actionWaiters.size > 0;
  }

  /** True once a write was refused or a renewal failed. */
  get leaseLost(): boolean {
    return this.#lost;
  }

  /** The newest record of the operation this context has seen (its claim, its writes, re-reads). */
  get record(): OperationRecord {
    return this.#record;
  }

  /** The steps as the handler last set them (written or about to be). */
  get steps(): readonly StoredStep[] {
    return this.#steps;
  }

  now(): Date {
    return this.#clock.now();
  }

  progress(percent: number, message?: string): Promise<void> {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new RangeError(`progress must be a percentage from 0 to 100: ${percent}`);
    }
    this.#reportsProgress = true;
    return this.#enqueue((patch) => {
      patch.progress = message === undefined ? { percent } : { percent, message };
    });
  }

  step(name: string, state: StepState, options: StepOptions = {}): Promise<void> {
    return this.#enqueue((patch) => {
      this.#steps = withStep(this.#steps, name, state, options);
      patch.steps = this.#steps;
      if (this.#reportsProgress) return;
      // A kind that only moves through its steps shows progress by them (never going back).
      const percent = stepsPercent(this.#steps);
      if (percent > (patch.progress?.percent ?? this.#record.progress.percent)) patch.progress = { percent };
    });
  }

  estimate(msRemaining: number | null): Promise<void> {
    if (msRemaining !== null && !(Number.isFinite(msRemaining) && msRemaining >= 0)) {
      throw new RangeError(`remaining time must be a non-negative number of ms or null: ${msRemaining}`);
    }
    return this.#enqueue((patch) => {
      patch.estimatedCompletionAt =
        msRemaining === null ? null : new Date(this.#clock.now().getTime() + msRemaining).toISOString();
    });
  }

  updateResource(collection: string, id: string, body: Record<string, unknown>): Promise<void> {
    return this.#enqueue(() => {
      // The latest body per resource wins within one write.
      this.#resources.set(`${collection}\u0000${id}`, { collection, id, body });
    });
  }

  relate(link: StoredLink): Promise<void> {
    return this.#enqueue((patch) => {
      // A re-run links the same resources again: keep one link per (rel, href).
      if (this.#related.some((known) => known.rel === link.rel && known.href === link.href)) return;
      this.#related = [...this.#related, { ...link }];
      patch.related = this.#related;
    });
  }

  awaitAction<Payload = unknown>(name: string, options: AwaitActionOptions): Promise<Payload> {
    this.#assertWritable();
    if (Object.hasOwn(this.#record.actions, name)) {
      // Delivered to an earlier attempt: a step left waiting by it is no longer waiting.
      if (this.#steps.some((step) => step.name === options.step && step.state === 'waiting')) {
        void this.step(options.step, 'running');
      }
      return Promise.resolve(this.#record.actions[name] as Payload);
    }
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    return new Promise<Payload>((resolve, reject) => {
      const onAbort = (): void => {
        this.#dropWaiter(waiter);
        reject(this.signal.reason);
      };
      const waiter: ActionWaiter = {
        name,
        step: options.step,
        resolve: (payload) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(payload as Payload);
        },
        reject: (reason) => {
          this.signal.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      this.#actionWaiters.add(waiter);
      this.signal.addEventListener('abort', onAbort, { once: true });
      // In-process deliveries arrive through the feed; the runner's heartbeat brings foreign ones.
      this.#unsubscribe ??= this.#changes.subscribe(this.operationId, (record) => this.observe(record));
      const action = { name, method: options.action.method, path: options.action.path };
      this.#enqueue((patch) => {
        this.#steps = withStep(this.#steps, options.step, 'waiting', { action });
        patch.steps = this.#steps;
      }).catch((error: unknown) => {
        if (this.#dropWaiter(waiter)) waiter.reject(error);
      });
      this.#onAwaitAction?.();
    });
  }

  sleep(ms: number): Promise<void> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#timers.clearTimeout(timer);
        reject(this.signal.reason);
      };
      const timer = this.#timers.setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Runner hook: takes a newer record (a heartbeat re-read), resolving delivered actions. */
  observe(record: OperationRecord): void {
    if (record.id !== this.operationId || record.version <= this.#record.version) return;
    this.#record = record;
    for (const waiter of [...this.#actionWaiters]) {
      if (!Object.hasOwn(record.actions, waiter.name)) continue;
      this.#dropWaiter(waiter);
      if (!this.#closed && !this.#lost) {
        // The wait is over; the handler carries on with the step (merged with its next write).
        this.#steps = withStep(this.#steps, waiter.step, 'running');
        this.#pendingPatch().steps = this.#steps;
        void this.#schedule();
      }
      waiter.resolve(record.actions[waiter.name]);
    }
  }

  /** Runner hook: the lease is gone; abort the handler and refuse its writes. */
  loseLease(): void {
    if (this.#closed) return;
    this.#lost = true;
    if (!this.signal.aborted) this.#controller.abort(new LeaseLostError(this.operationId));
  }

  /** Runner hook: the handler is done; refuse further writes and stop listening. */
  close(): void {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#actionWaiters.clear();
  }

  /** Runner hook: resolves once every write enqueued so far has finished (never rejects). */
  async flush(): Promise<void> {
    if (this.#next) await this.#next.promise.catch(ignore);
    await this.#tail;
  }

  #assertWritable(): void {
    if (this.#lost) throw new LeaseLostError(this.operationId);
    if (this.#closed) {
      throw new LeaseLostError(
        this.operationId,
        `operation ${this.operationId} has finished; its handler can no longer change it`,
      );
    }
  }

  #enqueue(change: (patch: OperationPatch) => void): Promise<void> {
    this.#assertWritable();
    change(this.#pendingPatch());
    return this.#schedule();
  }

  /** The patch the next write will carry, started when there is none. */
  #pendingPatch(): OperationPatch {
    if (!this.#patch) this.#patch = {};
    return this.#patch;
  }

  #schedule(): Promise<void> {
    if (this.#next) return this.#next.promise;
    const next = pendingWrite();
    this.#next = next;
    // After this tick's synchronous changes, and after the write in flight: both merge into `next`.
    queueMicrotask(() => {
      this.#tail = this.#tail.then(() => this.#write(next));
    });
    return next.promise;
  }

  /** Writes everything enqueued so far as one patch. Never rejects: `next` carries the outcome. */
  async #write(next: PendingWrite): Promise<void> {
    if (this.#next === next) this.#next = undefined;
    const patch = this.#patch ?? {};
    this.#patch = undefined;
    const resources = [...this.#resources.values()];
    this.#resources.clear();
    if (this.#lost) {
      next.reject(new LeaseLostError(this.operationId));
      return;
    }
    try {
      const record = await this.#store.updateOperation(
        this.#lease,
        patch,
        this.#clock.now(),
        resources.length > 0 ? resources : undefined,
      );
      if (!record) {
        this.loseLease();
        next.reject(new LeaseLostError(this.operationId));
        return;
      }
      this.#changes.publish(record);
      this.observe(record);
      next.resolve();
    } catch (error) {
      next.reject(error);
    }
  }

  #dropWaiter(waiter: ActionWaiter): boolean {
    const dropped = this.#actionWaiters.delete(waiter);
    if (this.#actionWaiters.size === 0) {
      this.#unsubscribe?.();
      this.#unsubscribe = undefined;
    }
    return dropped;
  }
}

/** The share of `steps` finished (succeeded or skipped), as a whole percentage below 100: 100 is the outcome's. */
function stepsPercent(steps: readonly StoredStep[]): number {
  if (steps.length === 0) return 0;
  const finished = steps.filter((step) => step.state === 'succeeded' || step.state === 'skipped').length;
  return Math.min(99, Math.floor((finished * 100) / steps.length));
}
