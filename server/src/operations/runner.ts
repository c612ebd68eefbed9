/**
 * The runner: claims queued operations of the registered kinds, runs their handlers under a
 * renewed lease, and writes how each one ended.
 *
 * - Bounded concurrency: at most `concurrency` handlers at once in this process.
 * - Wake-ups: {@link OperationRunner.wake} claims at once (the engine calls it on accept); a poll
 *   every `pollIntervalMs` is the backstop for work accepted by other processes.
 * - Leases: held for `leaseMs`, renewed every `leaseMs / 3`. A lost lease aborts the handler and
 *   fences its writes. Each renewal re-reads the operation, so a cancel requested through another
 *   process aborts the handler within `leaseMs / 3`; one requested here aborts it at once.
 * - Crash rule: on start and every `leaseMs`, operations whose worker stopped renewing go back to
 *   `queued` (and run again, attempts + 1) until `maxAttempts`, then end `failed` with the
 *   `worker-lost` problem; a cancel-requested one ends `cancelled`.
 * - Stopping drains: no more claims, running handlers finish (up to a timeout); those still
 *   running then are aborted and handed back (`queued`) for another worker.
 * - A handler that throws because the store is unavailable (a progress or step write failed)
 *   does not end its operation `failed`: it is handed back to the queue and runs again (up to
 *   `maxAttempts` runs).
 * - A terminal write that finds the store unavailable is tried again, with backoff, for up to a
 *   lease period: an outage shorter than that costs no re-run. One that still fails is logged and
 *   left: the lease then expires and crash recovery runs the operation again. Every try is fenced
 *   by the lease's attempt, so one that comes after recovery re-queued the operation is refused.
 * - The database going away stops no loop: claims and crash recovery fail, are retried on their
 *   next tick, and each says once that it lost the database and once that it reaches it again.
 */

import type { ChangeFeed } from './changes.ts';
import { LeasedOperationContext } from './context.ts';
import { cancelRequestedReason, StoreUnavailableError, UnknownKindError, workerStoppingReason } from './errors.ts';
import { newId } from './ids.ts';
import type { AnyKind } from './kind.ts';
import { type OperationLogger, silentLogger } from './logger.ts';
import type { OperationRecord } from './model.ts';
import {
  cancelledWrite,
  failedWrite,
  InvalidOutcomeError,
  invalidOutcomeProblem,
  succeededWrite,
  type TerminalWrite,
} from './outcome.ts';
import { type Clock, systemClock, systemTimers, type TimerHandle, type Timers } from './ports/clock.ts';
import type { Claim, ClaimRequest, EndAndClaimResult, Lease, LeasedWrite, OperationStore } from './ports/index.ts';
import { problemFromError, workerLostProblem } from './problems.ts';
import { StoreOutageLog } from './store-outage.ts';

/** Default {@link OperationRunnerOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 8;
/** Default {@link OperationRunnerOptions.leaseMs}. */
export const DEFAULT_LEASE_MS = 10_000;
/** Default {@link OperationRunnerOptions.pollIntervalMs}. */
export const DEFAULT_POLL_INTERVAL_MS = 250;
/** Default {@link OperationRunnerOptions.maxAttempts}. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Default {@link OperationRunnerOptions.stopTimeoutMs}. */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;
/** Bounds of the wait between tries of an ending while the store is unavailable, in milliseconds. */
const ENDING_RETRY_MS = { min: 100, max: 2_000 } as const;

/** What an {@link OperationRunner} needs. */
export interface OperationRunnerOptions {
  store: OperationStore;
  /** The kinds this process runs, by name (see `indexKinds`). */
  kinds: ReadonlyMap<string, AnyKind>;
  changes: ChangeFeed;
  /** @default systemClock */
  clock?: Clock | undefined;
  /** @default systemTimers */
  timers?: Timers | undefined;
  /** @default silentLogger */
  logger?: OperationLogger | undefined;
  /** Most handlers running at once. @default 8 */
  concurrency?: number | undefined;
  /** Lease duration; renewed every third of it. @default 10_000 */
  leaseMs?: number | undefined;
  /** Backstop poll for work accepted by other processes. @default 250 */
  pollIntervalMs?: number | undefined;
  /** Runs before crash recovery gives up with `worker-lost`. @default 3 */
  maxAttempts?: number | undefined;
  /** How long {@link OperationRunner.stop} waits for running handlers. @default 30_000 */
  stopTimeoutMs?: number | undefined;
  /** This worker's lease owner name. @default a random `wrk_…` id */
  workerId?: string | undefined;
}

/** Options of {@link OperationRunner.stop}. */
export interface StopOptions {
  /** How long to wait for running handlers. @default the runner's `stopTimeoutMs` */
  timeoutMs?: number;
  /** Abort every running handler's signal at once instead of letting it finish. @default false */
  abort?: boolean;
}

/** One claimed operation and its handler run. */
interface Job {
  readonly operation: OperationRecord;
  readonly lease: Lease;
  readonly controller: AbortController;
  readonly context: LeasedOperationContext;
  /** A client asked to cancel: the ending is `cancelled` whatever the handler does. */
  cancelRequested: boolean;
  /** Aborted because the worker is stopping: a throw hands the operation back. */
  stopping: boolean;
  /** Handed back by {@link OperationRunner.stop}: nothing more is written. */
  abandoned: boolean;
  /** The handler returned or threw: no more heartbeats. */
  handlerDone: boolean;
  heartbeat: TimerHandle | undefined;
  beating: Promise<void> | undefined;
  done: Promise<void>;
}

type RunnerState = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * Runs the handlers of queued operations in this process.
 *
 * @example
 * const runner = new OperationRunner({ store, kinds: indexKinds([createCar]), changes });
 * await runner.start();
 * // …
 * await runner.stop();
 */
export class OperationRunner {
  /** This process's lease owner name. */
  readonly workerId: string;
  readonly #store: OperationStore;
  readonly #kinds: ReadonlyMap<string, AnyKind>;
  readonly #kindNames: readonly string[];
  readonly #changes: ChangeFeed;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #logger: OperationLogger;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #pollIntervalMs: number;
  readonly #maxAttempts: number;
  readonly #stopTimeoutMs: number;
  readonly #jobs = new Map<string, Job>();
  /** Jobs whose handler has not returned: what the concurrency bound counts. */
  #running = 0;
  readonly #endings: EndingBatcher;
  #state: RunnerState = 'idle';
  #filling: Promise<void> | undefined;
  #fillAgain = false;
  #recovering: Promise<unknown> | undefined;
  #pollTimer: TimerHandle | undefined;
  #recoveryTimer: TimerHandle | undefined;
  readonly #claimsOutage: StoreOutageLog;
  readonly #recoveryOutage: StoreOutageLog;
  readonly #endingsOutage: StoreOutageLog;

  constructor(options: OperationRunnerOptions) {
    this.#store = options.store;
    this.#kinds = options.kinds;
    // Outside kinds are dispatched to a broker by its adapter; this runner only runs local handlers.
    this.#kindNames = [...options.kinds.values()].filter((kind) => kind.outside === undefined).map((kind) => kind.name);
    this.#changes = options.changes;
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#concurrency = positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, 'concurrency');
    this.#leaseMs = positive(options.leaseMs ?? DEFAULT_LEASE_MS, 'leaseMs');
    this.#pollIntervalMs = positive(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, 'pollIntervalMs');
    this.#maxAttempts = positiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
    this.#stopTimeoutMs = Math.max(0, options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    this.workerId = options.workerId ?? newId('wrk');
    this.#endings = new EndingBatcher(this.#store, this.#clock);
    this.#claimsOutage = new StoreOutageLog(this.#logger, 'operation runner', { workerId: this.workerId });
    this.#recoveryOutage = new StoreOutageLog(this.#logger, 'lease recovery', { workerId: this.workerId });
    this.#endingsOutage = new StoreOutageLog(this.#logger, 'operation endings', { workerId: this.workerId });
  }

  /** How many handlers are running now (not counting operations whose ending is being written). */
  get activeCount(): number {
    return this.#running;
  }

  /** Recovers expired leases, then starts claiming; resolves once the first claims were made. */
  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`the runner cannot start when ${this.#state}`);
    this.#state = 'running';
    this.#logger.info({ workerId: this.workerId, kinds: this.#kindNames }, 'operation runner started');
    await this.#recoverAndReschedule();
    await this.#fill();
    this.#schedulePoll();
  }

  /** Claims work now (work was accepted in this process); a no-op unless running. */
  wake(): void {
    if (this.#state === 'running') void this.#fill();
  }

  /**
   * Aborts the handler of `operationId` if it runs here, with a cancel reason; the operation then
   * ends `cancelled`. False when it does not run in this process.
   */
  cancelLocal(operationId: string): boolean {
    const job = this.#jobs.get(operationId);
    if (!job) return false;
    this.#abortForCancel(job);
    return true;
  }

  /**
   * Crash recovery now: re-queues (or fails with `worker-lost`) operations whose lease expired,
   * publishes each change and wakes the runner for the re-queued ones.
   */
  async recoverExpired(): Promise<OperationRecord[]> {
    const changed = await this.#store.recoverExpiredLeases(
      this.#clock.now(),
      this.#maxAttempts,
      workerLostProblem(this.#maxAttempts),
    );
    for (const record of changed) {
      this.#changes.publish(record);
      this.#logger.warn(
        { operationId: record.id, kind: record.kind, state: record.state, attempts: record.attempts },
        'recovered an operation whose worker stopped renewing its lease',
      );
    }
    if (changed.some((record) => record.state === 'queued')) this.wake();
    return changed;
  }

  /**
   * Stops claiming and waits for running handlers (up to `timeoutMs`); handlers still running
   * then are aborted, their writes refused, and their operations handed back to the queue. A
   * handler waiting for an outside action ({@link LeasedOperationContext.awaitAction}) is not waited
   * for: it is aborted at once and its operation handed back, its waiting step kept.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    if (this.#state !== 'running') return;
    this.#state = 'stopping';
    this.#timers.clearTimeout(this.#pollTimer);
    this.#timers.clearTimeout(this.#recoveryTimer);
    // A claim in flight still becomes a job: wait for it so the drain includes it.
    await this.#filling;
    await this.#recovering;
    for (const job of this.#jobs.values()) {
      // A handler waiting for an outside action (a person's confirmation) may wait for days, and
      // what it waits for is stored on its operation: it is handed back now, not waited for, and
      // its next run (here after a restart, or on another worker) waits again.
      if (options.abort || job.context.awaitingAction) this.#abortForShutdown(job);
    }
    const drained = await this.#waitForJobs(options.timeoutMs ?? this.#stopTimeoutMs);
    if (!drained) await Promise.all([...this.#jobs.values()].map((job) => this.#abandon(job)));
    this.#state = 'stopped';
    this.#logger.info({ workerId: this.workerId, drained }, 'operation runner stopped');
  }

  #schedulePoll(): void {
    if (this.#state !== 'running') return;
    this.#pollTimer = this.#timers.setTimeout(() => {
      void this.#fill().finally(() => this.#schedulePoll());
    }, this.#pollIntervalMs);
  }

  async #recoverAndReschedule(): Promise<void> {
    const recovering = this.recoverExpired().then(
      () => this.#recoveryOutage.succeeded(),
      (error: unknown) => this.#recoveryOutage.failed(error, 'crash recovery failed'),
    );
    this.#recovering = recovering;
    await recovering;
    this.#recovering = undefined;
    if (this.#state !== 'running') return;
    // Every third of a lease, like heartbeats: an operation whose worker died is picked up at most
    // a third of a lease after its lease ran out (a restarted process does not wait a whole lease).
    this.#recoveryTimer = this.#timers.setTimeout(() => void this.#recoverAndReschedule(), this.#leaseMs / 3);
  }

  /** Claims until the concurrency bound is reached or nothing is queued; one loop at a time. */
  #fill(): Promise<void> {
    if (this.#filling) {
      this.#fillAgain = true;
      return this.#filling;
    }
    const filling = this.#claimWhileRoom()
      .catch((error: unknown) => {
        this.#logger.error({ err: error, workerId: this.workerId }, 'starting claimed operations failed');
      })
      .finally(() => {
        this.#filling = undefined;
        // A slot freed after the loop's last look (a handler that returned while the loop was
        // ending) is claimed now, not at the next wake-up (an ending written, the poll).
        if (this.#fillAgain && this.#state === 'running') void this.#fill();
      });
    this.#filling = filling;
    return filling;
  }

  async #claimWhileRoom(): Promise<void> {
    do {
      this.#fillAgain = false;
      // Every free slot in one claim: a store takes the batch in one statement or one commit, and
      // an empty queue costs a single claim.
      while (this.#state === 'running' && this.#room() > 0) {
        const wanted = this.#room();
        let claims: Claim[];
        try {
          // With the endings of this turn when the store writes both in one round trip.
          claims = await this.#endings.claim({
            owner: this.workerId,
            kinds: this.#kindNames,
            leaseMs: this.#leaseMs,
            limit: wanted,
          });
        } catch (error) {
          // Tried again at the next poll (or wake-up): the loop goes on through an outage.
          this.#claimsOutage.failed(error, 'claiming operations failed');
          return;
        }
        this.#claimsOutage.succeeded();
        for (const claim of claims) this.#launch(claim.operation, claim.lease);
        if (claims.length < wanted) break;
      }
    } while (this.#fillAgain && this.#state === 'running');
  }

  /**
   * How many more operations may be claimed now: a slot is free once its handler has returned,
   * while its ending is still being written, so the next claim overlaps that write. Operations
   * held at once stay under twice the concurrency.
   */
  #room(): number {
    return Math.min(this.#concurrency - this.#running, 2 * this.#concurrency - this.#jobs.size);
  }

  /** The handler of `job` has returned (or will not run): its slot is free for the next claim. */
  #handlerReturned(job: Job): void {
    if (job.handlerDone) return;
    job.handlerDone = true;
    this.#running -= 1;
    this.wake();
  }

  #launch(operation: OperationRecord, lease: Lease): void {
    this.#changes.publish(operation);
    const controller = new AbortController();
    const context = new LeasedOperationContext({
      operation,
      lease,
      store: this.#store,
      changes: this.#changes,
      controller,
      clock: this.#clock,
      timers: this.#timers,
      // A handler that starts waiting for an outside action while the runner stops is not waited for.
      onAwaitAction: () => {
        if (this.#state === 'stopping') this.#abortForShutdown(job);
      },
    });
    const job: Job = {
      operation,
      lease,
      controller,
      context,
      cancelRequested: operation.cancelRequested,
      stopping: false,
      abandoned: false,
      handlerDone: false,
      heartbeat: undefined,
      beating: undefined,
      done: Promise.resolve(),
    };
    this.#jobs.set(operation.id, job);
    this.#running += 1;
    job.done = this.#execute(job)
      .catch((error: unknown) => {
        this.#logger.error({ err: error, operationId: operation.id }, 'writing the end of an operation failed');
      })
      .finally(() => {
        this.#handlerReturned(job);
        this.#jobs.delete(operation.id);
        this.wake();
      });
  }

  async #execute(job: Job): Promise<void> {
    const { operation, context } = job;
    const log = {
      operationId: operation.id,
      kind: operation.kind,
      attempt: job.lease.attempt,
      workerId: this.workerId,
    };
    const kind = this.#kinds.get(operation.kind);
    if (job.cancelRequested || !kind) {
      this.#handlerReturned(job);
      context.close();
      const write = kind
        ? cancelledWrite(operation.steps)
        : failedWrite(problemFromError(new UnknownKindError(operation.kind)), operation.steps);
      await this.#writeEnd(job, write);
      return;
    }
    this.#logger.debug(log, 'running operation');
    this.#scheduleHeartbeat(job);
    let outcome: unknown;
    let failure: unknown;
    let threw = false;
    try {
      outcome = await kind.run(operation.input as never, context);
    } catch (error) {
      threw = true;
      failure = error;
    }
    this.#handlerReturned(job);
    this.#timers.clearTimeout(job.heartbeat);
    await job.beating;
    context.close();
    await context.flush();
    if (job.abandoned) return;
    if (context.leaseLost) {
      this.#logger.warn(log, 'lost the lease while running an operation; its outcome was dropped');
      return;
    }
    if (job.cancelRequested) {
      await this.#writeEnd(job, cancelledWrite(context.steps));
    } else if (threw && job.stopping) {
      await this.#handBack(job);
    } else if (threw && causedByStoreOutage(failure) && job.lease.attempt < this.#maxAttempts) {
      // The handler failed because the database was away (a progress or step write), not by its
      // own fault: ending it `failed` would turn a failover into a lost operation. It runs again,
      // up to `maxAttempts` runs as crash recovery allows (a write that always loses its connection
      // must not run the operation forever).
      this.#logger.warn({ ...log, err: failure }, 'the database went away while the operation ran; it runs again');
      await this.#handBack(job, true);
    } else if (threw) {
      this.#logger.info({ ...log, err: failure }, 'operation handler failed');
      await this.#writeEnd(job, failedWrite(problemFromError(failure), context.steps));
    } else {
      let write: TerminalWrite;
      try {
        write = succeededWrite(outcome, context.steps);
      } catch (error) {
        if (!(error instanceof InvalidOutcomeError)) throw error;
        this.#logger.error({ ...log, err: error }, 'operation handler returned an invalid outcome');
        write = failedWrite(invalidOutcomeProblem(error), context.steps);
      }
      await this.#writeEnd(job, write);
    }
  }

  async #writeEnd(job: Job, write: TerminalWrite): Promise<void> {
    const leasedWrite: LeasedWrite = {
      lease: job.lease,
      patch: write.patch,
      resources: write.resources.length > 0 ? write.resources : undefined,
      seen: job.context.record,
    };
    const record = await this.#throughOutage(() => this.#endings.write(leasedWrite));
    if (!record) {
      this.#logger.warn({ operationId: job.operation.id }, 'lost the lease before writing the end of an operation');
      return;
    }
    this.#changes.publish(record);
    this.#logger.info(
      { operationId: record.id, kind: record.kind, state: record.state, attempt: job.lease.attempt },
      'operation finished',
    );
  }

  /**
   * Runs `write` (an ending, a hand-back); while the store is unavailable, tries again with backoff
   * for up to a lease period from the first try (the outcome is kept in memory meanwhile). Rejects
   * with the last error after that: crash recovery then runs the operation again.
   */
  async #throughOutage(write: () => Promise<OperationRecord | undefined>): Promise<OperationRecord | undefined> {
    const giveUpAt = this.#clock.now().getTime() + this.#leaseMs;
    let delay: number = ENDING_RETRY_MS.min;
    for (;;) {
      try {
        const record = await write();
        this.#endingsOutage.succeeded();
        return record;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError) || this.#clock.now().getTime() + delay > giveUpAt) throw error;
        this.#endingsOutage.failed(error, 'writing the end of an operation failed; trying again');
      }
      await new Promise<void>((resolve) => this.#timers.setTimeout(resolve, delay));
      delay = Math.min(2 * delay, ENDING_RETRY_MS.max);
    }
  }

  /**
   * Gives a claimed operation back to the queue (shutdown: for another worker; a handler failed by
   * an outage: to run again). `throughOutage` waits for the store as an ending does; a stopping
   * worker tries once.
   */
  async #handBack(job: Job, throughOutage = false): Promise<void> {
    try {
      const handBack = () => this.#store.updateOperation(job.lease, { state: 'queued' }, this.#clock.now());
      const record = await (throughOutage ? this.#throughOutage(handBack) : handBack());
      if (record) this.#changes.publish(record);
    } catch (error) {
      // Recovery re-queues it once the lease expires.
      this.#logger.error({ err: error, operationId: job.operation.id }, 'handing an operation back failed');
    }
  }

  #scheduleHeartbeat(job: Job): void {
    job.heartbeat = this.#timers.setTimeout(() => {
      job.heartbeat = undefined;
      job.beating = this.#beat(job).finally(() => {
        job.beating = undefined;
      });
    }, this.#leaseMs / 3);
  }

  async #beat(job: Job): Promise<void> {
    if (job.handlerDone) return;
    try {
      const held = await this.#store.renewLease(job.lease, this.#leaseMs, this.#clock.now());
      if (!held) {
        this.#logger.warn({ operationId: job.operation.id, workerId: this.workerId }, 'lease lost on renewal');
        job.context.loseLease();
        return;
      }
      const current = await this.#store.getOperation(job.operation.tenant, job.operation.id);
      if (current?.cancelRequested) this.#abortForCancel(job);
      if (current) job.context.observe(current);
    } catch (error) {
      // A transient store error: try again on the next beat; the lease outlives two misses.
      this.#logger.warn({ err: error, operationId: job.operation.id }, 'renewing a lease failed');
    }
    if (!job.handlerDone) this.#scheduleHeartbeat(job);
  }

  #abortForCancel(job: Job): void {
    job.cancelRequested = true;
    if (!job.controller.signal.aborted) job.controller.abort(cancelRequestedReason());
  }

  #abortForShutdown(job: Job): void {
    job.stopping = true;
    if (!job.controller.signal.aborted) job.controller.abort(workerStoppingReason());
  }

  /** Stop timed out: abort the handler, refuse its writes and hand its operation back. */
  async #abandon(job: Job): Promise<void> {
    this.#abortForShutdown(job);
    job.abandoned = true;
    this.#handlerReturned(job);
    this.#timers.clearTimeout(job.heartbeat);
    await job.beating;
    job.context.close();
    await job.context.flush();
    if (!job.context.leaseLost) await this.#handBack(job);
    this.#logger.warn(
      { operationId: job.operation.id },
      'gave up waiting for a handler at stop; handed its operation back',
    );
  }

  #waitForJobs(timeoutMs: number): Promise<boolean> {
    if (this.#jobs.size === 0) return Promise.resolve(true);
    const all = Promise.all([...this.#jobs.values()].map((job) => job.done));
    return new Promise((resolve) => {
      const timer = this.#timers.setTimeout(() => resolve(false), timeoutMs);
      void all.then(() => {
        this.#timers.clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * Writes the endings of operations in batches: the endings of one turn of the event loop go out
 * together at its end, and those that come while a batch is being written go out together in the
 * next, so a busy worker pays one store call per batch and an idle one waits for nothing. A claim
 * asked in the same turn goes with them when the store can write both at once
 * (`updateOperationsAndClaim`): a handler that returns frees its slot and ends its operation in
 * the same turn, so a busy worker pays one round trip per batch for both.
 */
class EndingBatcher {
  readonly #store: OperationStore;
  readonly #clock: Clock;
  #pending: { write: LeasedWrite; settle: (result: PromiseSettledResult<OperationRecord | undefined>) => void }[] = [];
  /** The claim asked for the next batch (the runner claims one batch at a time), if any. */
  #claim: { request: ClaimRequest; settle: (result: PromiseSettledResult<Claim[]>) => void } | undefined;
  #flushing = false;

  constructor(store: OperationStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Resolves as `updateOperation` would for this write. */
  write(write: LeasedWrite): Promise<OperationRecord | undefined> {
    const settled = new Promise<PromiseSettledResult<OperationRecord | undefined>>((settle) => {
      this.#pending.push({ write, settle });
    });
    this.#schedule();
    return settled.then(unsettle);
  }

  /**
   * Resolves as `claimBatch` would for `request`: at once on a store that cannot write a claim
   * with endings, else with the next batch of endings.
   */
  claim(request: ClaimRequest): Promise<Claim[]> {
    if (this.#store.updateOperationsAndClaim === undefined || this.#claim !== undefined) {
      return this.#store.claimBatch(request.owner, request.kinds, request.leaseMs, this.#clock.now(), request.limit);
    }
    const settled = new Promise<PromiseSettledResult<Claim[]>>((settle) => {
      this.#claim = { request, settle };
    });
    this.#schedule();
    return settled.then(unsettle);
  }

  #schedule(): void {
    if (this.#flushing) return;
    // At the end of this turn of the event loop, so endings (and a claim) that come together go together.
    this.#flushing = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    try {
      while (this.#pending.length > 0 || this.#claim !== undefined) {
        const batch = this.#pending;
        const claim = this.#claim;
        this.#pending = [];
        this.#claim = undefined;
        const writes = batch.map((entry) => entry.write);
        let results: PromiseSettledResult<OperationRecord | undefined>[];
        let claims: PromiseSettledResult<Claim[]> | undefined;
        try {
          ({ results, claims } = await this.#send(writes, claim?.request));
        } catch (error) {
          results = batch.map(() => ({ status: 'rejected', reason: error }));
          claims = { status: 'rejected', reason: error };
        }
        batch.forEach((entry, index) => {
          entry.settle(results[index] ?? { status: 'rejected', reason: new Error('the store returned no result') });
        });
        if (claim !== undefined) {
          claim.settle(claims ?? { status: 'rejected', reason: new Error('the store returned no claims') });
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** One store call for the writes and the claim when the store has one for both. */
  async #send(
    writes: readonly LeasedWrite[],
    claim: ClaimRequest | undefined,
  ): Promise<{ results: EndAndClaimResult['results']; claims: EndAndClaimResult['claims'] | undefined }> {
    const now = this.#clock.now();
    if (claim === undefined) return { results: await this.#store.updateOperations(writes, now), claims: undefined };
    if (writes.length > 0 && this.#store.updateOperationsAndClaim !== undefined) {
      return this.#store.updateOperationsAndClaim(writes, claim, now);
    }
    const [results, claims] = await Promise.all([
      writes.length > 0 ? this.#store.updateOperations(writes, now) : [],
      this.#store.claimBatch(claim.owner, claim.kinds, claim.leaseMs, now, claim.limit).then(
        (value): PromiseSettledResult<Claim[]> => ({ status: 'fulfilled', value }),
        (reason: unknown): PromiseSettledResult<Claim[]> => ({ status: 'rejected', reason }),
      ),
    ]);
    return { results, claims };
  }
}

/** The value of a settled result, or its reason thrown. */
function unsettle<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function positive(value: number, what: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${what} must be a positive number: ${value}`);
  return value;
}

function positiveInteger(value: number, what: string): number {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${what} must be a positive integer: ${value}`);
  return value;
}

/** Whether `error`, or an error it was caused by, is the store being unavailable. */
function causedByStoreOutage(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
    if (cause instanceof StoreUnavailableError) return true;
  }
  return false;
}
