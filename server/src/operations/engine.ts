/**
 * The operation engine: the facade the HTTP layer drives. It accepts operations, answers reads,
 * cancels, delivers outside actions, lets callers wait for changes, and owns the runner (when this
 * process is a worker) and the retention sweeper.
 *
 * Every change the engine or its runner makes is published once to {@link OperationEngine.changes}.
 * Nothing here knows about HTTP.
 */

import { ChangeFeed, type ChangeListener, type ChangeNotice, type ChangeSource } from './changes.ts';
import { UnknownKindError } from './errors.ts';
import { DEFAULT_IDEMPOTENCY_TTL_MS, fingerprintRequest } from './idempotency.ts';
import { newOperationId } from './ids.ts';
import { type AnyKind, indexKinds } from './kind.ts';
import { type OperationLogger, silentLogger } from './logger.ts';
import type { OperationRecord, StoredRequest } from './model.ts';
import { type Clock, systemClock, systemTimers, type TimerHandle, type Timers } from './ports/clock.ts';
import type {
  CreateOperationOutcome,
  ListOperationsQuery,
  NewResource,
  OperationPage,
  OperationStore,
  ResourceRecord,
  DeliverActionOutcome as StoreDeliverActionOutcome,
} from './ports/index.ts';
import { OperationRunner, type StopOptions } from './runner.ts';
import { isTerminal } from './state.ts';
import { initialSteps } from './steps.ts';
import { StoreOutageLog } from './store-outage.ts';

/** Default {@link EngineConfig.retentionMs}: terminal operations are kept 24 hours. */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Default {@link EngineConfig.sweepIntervalMs}: retention is enforced every minute. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** How an engine is built. */
export interface EngineConfig {
  store: OperationStore;
  /** Every kind this deployment accepts (an API-only process needs them too: steps, ETA, lock). */
  kinds: Iterable<AnyKind>;
  /** Run handlers in this process; false for an API-only process. @default true */
  runWorker?: boolean | undefined;
  /** Most handlers at once in this process. @default 8 */
  concurrency?: number | undefined;
  /** Worker lease duration, renewed every third. @default 10_000 */
  leaseMs?: number | undefined;
  /** Backstop poll for work accepted elsewhere. @default 250 */
  pollIntervalMs?: number | undefined;
  /** Runs before crash recovery gives up (`worker-lost`). @default 3 */
  maxAttempts?: number | undefined;
  /** How long terminal operations are kept. @default 86_400_000 (24 h) */
  retentionMs?: number | undefined;
  /** How often expired operations are deleted. @default 60_000 */
  sweepIntervalMs?: number | undefined;
  /** How long an idempotency key is remembered. @default 86_400_000 (24 h) */
  idempotencyTtlMs?: number | undefined;
  /** How long `stop()` waits for running handlers. @default 30_000 */
  stopTimeoutMs?: number | undefined;
  /** Lease owner name of this process. @default a random `wrk_…` id */
  workerId?: string | undefined;
  /** Changes made by other processes (e.g. PostgreSQL LISTEN/NOTIFY). @default none */
  changeSource?: ChangeSource | undefined;
  /** @default systemClock */
  clock?: Clock | undefined;
  /** @default systemTimers */
  timers?: Timers | undefined;
  /** A pino logger or anything with its shape. @default silentLogger */
  logger?: OperationLogger | undefined;
}

/** What {@link OperationEngine.accept} is asked to accept. */
export interface AcceptCommand {
  tenant: string;
  /** A registered kind's name. */
  kind: string;
  /** The handler's input (already validated against the spec). */
  input: unknown;
  /** The request, echoed on the monitor and fingerprinted for the idempotency key. */
  request: StoredRequest;
  /** The operation's id when the caller needs it first (e.g. inside `resource`). @default a new `op_…` id */
  id?: string | undefined;
  /** The request's `Idempotency-Key`. */
  idempotencyKey?: string | undefined;
  /** Where the monitor is POSTed on every state change. */
  callbackUrl?: string | null | undefined;
  /** A resource created with the operation (embedded status: the VM that carries its status). */
  resource?: NewResource | undefined;
  /** Where `resource` is read: linked as the operation's product from the start. */
  productHref?: string | undefined;
}

/** What became of a cancel request; undefined from {@link OperationEngine.cancel} for an unknown id. */
export type CancelOutcome =
  /** It was queued and is now `cancelled`. */
  | { outcome: 'cancelled'; operation: OperationRecord }
  /** It is running; its handler was told (here at once, elsewhere within a lease renewal). */
  | { outcome: 'requested'; operation: OperationRecord }
  /** It had already ended (HTTP: 409). */
  | { outcome: 'terminal'; operation: OperationRecord };

/**
 * What became of an outside action (the store's outcome; `not-waiting` and `terminal` are HTTP 409);
 * undefined from {@link OperationEngine.deliverAction} for an unknown id.
 */
export type DeliverActionOutcome = StoreDeliverActionOutcome;

/**
 * The operations facade: accept, read, cancel, act, wait, and run.
 *
 * @example
 * const engine = createEngine({ store, kinds: [createCar, reindex] });
 * await engine.start();
 * const accepted = await engine.accept({ tenant, kind: 'car.create', input, request });
 */
export class OperationEngine {
  /** The feed every change is published to (SSE, long polls, webhooks subscribe here). */
  readonly changes: ChangeFeed;
  /** The registered kinds, by name. */
  readonly kinds: ReadonlyMap<string, AnyKind>;
  /** The runner, when this process runs handlers. */
  readonly runner: OperationRunner | undefined;
  readonly #store: OperationStore;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #logger: OperationLogger;
  readonly #retentionMs: number;
  readonly #sweepIntervalMs: number;
  readonly #idempotencyTtlMs: number;
  readonly #changeSource: ChangeSource | undefined;
  #detachSource: (() => Promise<void>) | undefined;
  #sweepTimer: TimerHandle | undefined;
  readonly #sweepOutage: StoreOutageLog;
  #started = false;

  constructor(config: EngineConfig) {
    this.#store = config.store;
    this.#clock = config.clock ?? systemClock;
    this.#timers = config.timers ?? systemTimers;
    this.#logger = config.logger ?? silentLogger;
    this.#retentionMs = nonNegative(config.retentionMs ?? DEFAULT_RETENTION_MS, 'retentionMs');
    this.#sweepIntervalMs = nonNegative(config.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS, 'sweepIntervalMs');
    this.#idempotencyTtlMs = nonNegative(config.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS, 'idempotencyTtlMs');
    this.#changeSource = config.changeSource;
    this.#sweepOutage = new StoreOutageLog(this.#logger, 'retention sweep');
    this.kinds = indexKinds(config.kinds);
    this.changes = new ChangeFeed({
      read: (tenant, id) => this.#store.getOperation(tenant, id),
      clock: this.#clock,
      timers: this.#timers,
      logger: this.#logger,
    });
    this.runner =
      config.runWorker === false
        ? undefined
        : new OperationRunner({
            store: this.#store,
            kinds: this.kinds,
            changes: this.changes,
            clock: this.#clock,
            timers: this.#timers,
            logger: this.#logger,
            concurrency: config.concurrency,
            leaseMs: config.leaseMs,
            pollIntervalMs: config.pollIntervalMs,
            maxAttempts: config.maxAttempts,
            stopTimeoutMs: config.stopTimeoutMs,
            workerId: config.workerId,
          });
  }

  /** This process's worker id, or undefined when it runs no handlers. */
  get workerId(): string | undefined {
    return this.runner?.workerId;
  }

  /**
   * Accepts an operation: stores it `queued` with the kind's steps, ETA and lock key, publishes
   * it and wakes the runner. A replayed or refused create (same idempotency key, different body;
   * lock held) changes nothing.
   *
   * @throws UnknownKindError when `command.kind` is not registered.
   */
  async accept(command: AcceptCommand): Promise<CreateOperationOutcome> {
    const kind = this.kinds.get(command.kind);
    if (!kind) throw new UnknownKindError(command.kind);
    const now = this.#clock.now();
    const input = command.input as never;
    const outcome = await this.#store.createOperation({
      operation: {
        id: command.id ?? newOperationId(now),
        tenant: command.tenant,
        kind: kind.name,
        input: command.input,
        request: command.request,
        steps: initialSteps(kind.steps),
        estimatedCompletionAt: this.#estimate(kind, input, now),
        lockKey: kind.lockKey?.(input) ?? null,
        callbackUrl: command.callbackUrl ?? null,
        createdAt: now.toISOString(),
        product: command.productHref === undefined ? null : { rel: 'product', href: command.productHref },
      },
      idempotency:
        command.idempotencyKey === undefined
          ? undefined
          : {
              key: command.idempotencyKey,
              fingerprint: fingerprintRequest(command.request, command.callbackUrl),
              expiresAt: new Date(now.getTime() + this.#idempotencyTtlMs).toISOString(),
            },
      resource: command.resource,
    });
    if (outcome.outcome === 'created') {
      this.changes.publish(outcome.operation);
      this.runner?.wake();
      this.#logger.debug(
        { operationId: outcome.operation.id, kind: kind.name, tenant: command.tenant },
        'accepted an operation',
      );
    }
    return outcome;
  }

  /** One of a tenant's operations, or undefined (another tenant's do not exist). */
  get(tenant: string, id: string): Promise<OperationRecord | undefined> {
    return this.#store.getOperation(tenant, id);
  }

  /** A tenant's operations, newest first, filtered and cursor-paginated. */
  list(query: ListOperationsQuery): Promise<OperationPage> {
    return this.#store.listOperations(query);
  }

  /**
   * Asks to cancel: a queued operation ends `cancelled` now; a running one's handler is aborted
   * (at once in this process) and it ends `cancelled` with no product.
   */
  async cancel(tenant: string, id: string): Promise<CancelOutcome | undefined> {
    const current = await this.#store.getOperation(tenant, id);
    if (!current) return undefined;
    if (isTerminal(current.state)) return { outcome: 'terminal', operation: current };
    // Asking again changes nothing, so nothing is published twice.
    if (current.state === 'running' && current.cancelRequested) return { outcome: 'requested', operation: current };
    const outcome = await this.#store.requestCancel(tenant, id, this.#clock.now());
    if (!outcome) return undefined;
    if (outcome.outcome !== 'terminal' && outcome.operation.version > current.version) {
      this.changes.publish(outcome.operation);
    }
    if (outcome.outcome === 'requested') this.runner?.cancelLocal(id);
    return outcome;
  }

  /**
   * Delivers an outside action to a step waiting for it (`awaitAction(name, …)` in the handler),
   * which then resumes. Only the first delivery counts: the store checks and records it in one
   * atomic step, so of racing deliveries on any number of processes exactly one is `delivered`.
   */
  async deliverAction(
    tenant: string,
    id: string,
    name: string,
    payload: unknown,
  ): Promise<DeliverActionOutcome | undefined> {
    const outcome = await this.#store.deliverAction(tenant, id, name, payload, this.#clock.now());
    if (outcome?.outcome === 'delivered') this.changes.publish(outcome.operation);
    return outcome;
  }

  /**
   * Resolves as soon as the operation's version exceeds `sinceVersion` (at once when it already
   * does), else after `timeoutMs` with its current record; undefined for an unknown id. Rejects
   * with `signal.reason` on abort. (Long polls: `Prefer: wait` with `If-None-Match`.)
   */
  waitForChange(
    tenant: string,
    id: string,
    sinceVersion: number,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<OperationRecord | undefined> {
    return this.changes.waitForChange(tenant, id, sinceVersion, timeoutMs, signal);
  }

  /**
   * Resolves as soon as the operation is terminal, else after `timeoutMs` with its current record;
   * undefined for an unknown id. (`Prefer: wait=N` on the accepting request.)
   */
  waitForTerminal(
    tenant: string,
    id: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<OperationRecord | undefined> {
    return this.changes.waitForTerminal(tenant, id, timeoutMs, signal);
  }

  /** Calls `listener` on each change to `operationId` published in this process (SSE); returns unsubscribe. */
  subscribe(operationId: string, listener: ChangeListener): () => void {
    return this.changes.subscribe(operationId, listener);
  }

  /** One of a tenant's stored resources (a product, an embedded-status resource), or undefined. */
  getResource(tenant: string, collection: string, id: string): Promise<ResourceRecord | undefined> {
    return this.#store.getResource(tenant, collection, id);
  }

  /** Deletes terminal operations older than the retention period (and expired idempotency keys). */
  async sweepExpired(): Promise<number> {
    const now = this.#clock.now();
    const deleted = await this.#store.deleteExpired(new Date(now.getTime() - this.#retentionMs), now);
    if (deleted > 0) this.#logger.info({ deleted }, 'deleted operations past retention');
    return deleted;
  }

  /** Starts the change source, the runner (unless API-only) and the retention sweeper. */
  async start(): Promise<void> {
    if (this.#started) throw new Error('the engine is already started');
    this.#started = true;
    if (this.#changeSource) {
      this.#detachSource = await this.#changeSource.listen((notice) => this.#onForeignChange(notice));
    }
    await this.runner?.start();
    this.#scheduleSweep();
  }

  /**
   * Stops sweeping, drains the runner (see {@link OperationRunner.stop}) and detaches the change
   * source. The store stays open: whoever opened it closes it.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#timers.clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    await this.runner?.stop(options);
    await this.#detachSource?.();
    this.#detachSource = undefined;
  }

  /**
   * A change made by another process: its waiters here are told (the feed reads it), work queued
   * elsewhere wakes this runner, and a cancel aborts the handler if it runs here, at once rather
   * than at the next lease renewal.
   */
  #onForeignChange(notice: ChangeNotice): void {
    this.changes.notify(notice);
    if (!this.runner) return;
    if (notice.state === 'queued') this.runner.wake();
    else if (notice.state === 'running' && notice.cancelRequested) this.runner.cancelLocal(notice.operationId);
  }

  #scheduleSweep(): void {
    this.#sweepTimer = this.#timers.setTimeout(() => {
      this.sweepExpired()
        .then(
          () => this.#sweepOutage.succeeded(),
          (error: unknown) => this.#sweepOutage.failed(error, 'retention sweep failed'),
        )
        .finally(() => {
          if (this.#started) this.#scheduleSweep();
        });
    }, this.#sweepIntervalMs);
  }

  #estimate(kind: AnyKind, input: never, now: Date): string | null {
    if (!kind.estimateMs) return null;
    const ms = kind.estimateMs(input);
    if (!(Number.isFinite(ms) && ms >= 0)) {
      this.#logger.warn({ kind: kind.name, estimateMs: ms }, 'a kind estimated an invalid duration; no ETA');
      return null;
    }
    return new Date(now.getTime() + ms).toISOString();
  }
}

/** Builds an {@link OperationEngine}; call `start()` to run it. */
export function createEngine(config: EngineConfig): OperationEngine {
  return new OperationEngine(config);
}

function nonNegative(value: number, what: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${what} must be a non-negative number: ${value}`);
  return value;
}
