/**
 * The dispatcher: the stored operation is the outbox. An accepted operation of an outside kind is
 * stored `queued` like any other (one commit); the dispatcher then claims it with the runner's
 * lease machinery and publishes its task. Whatever crashes where, the two cannot drift apart:
 *
 * - crash after the commit, before the claim: the operation stays `queued`; a dispatcher claims it;
 * - crash after the claim, before the broker confirmed the task: nobody reports on it, the lease
 *   expires, crash recovery re-queues it (attempt + 1) and it is dispatched again;
 * - a task delivered twice (the broker redelivers what a dead worker had not acknowledged): both
 *   deliveries carry the same attempt and token, and a worker acknowledges a task only once it
 *   has reported `started`, so a task someone started is never handed out again by the broker —
 *   only by recovery, with a new token.
 *
 * While the task waits in the queue its lease is the long dispatch lease; the worker's reports
 * cut it to a heartbeat lease and keep it alive. A worker that goes silent loses the lease and
 * recovery dispatches the operation again with attempt + 1, until `maxAttempts` (then `worker-lost`).
 *
 * The dispatcher also forwards to workers what clients do: a cancel request, a delivered action.
 */
import type { ChangeFeed } from '../operations/changes.ts';
import type { AnyKind } from '../operations/kind.ts';
import type { OperationLogger } from '../operations/logger.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { Clock, TimerHandle, Timers } from '../operations/ports/clock.ts';
import type { Lease, OperationStore } from '../operations/ports/operation-store.ts';
import { workerLostProblem } from '../operations/problems.ts';
import { isTerminal } from '../operations/state.ts';
import { StoreOutageLog } from '../operations/store-outage.ts';
import type { BrokerTransport } from './broker-transport.ts';
import { encodeToken, PROTOCOL_VERSION, type TaskMessage } from './protocol.ts';

/** What a {@link TaskDispatcher} needs. */
export interface TaskDispatcherOptions {
  store: OperationStore;
  changes: ChangeFeed;
  /** The outside kinds, by name. */
  kinds: ReadonlyMap<string, AnyKind>;
  /** The task queue of each outside kind, by kind name. */
  queues: ReadonlyMap<string, string>;
  transport: BrokerTransport;
  clock: Clock;
  timers: Timers;
  logger: OperationLogger;
  /** The lease owner name the dispatcher claims under. */
  owner: string;
  /** How long a task may wait in the queue before it is dispatched again. */
  dispatchLeaseMs: number;
  /** The lease a worker's reports keep alive (it reports every third of it). */
  heartbeatLeaseMs: number;
  /** Backstop poll for operations accepted by other processes. */
  pollIntervalMs: number;
  /** Set when no local runner recovers expired leases: the dispatcher then does, with this limit. */
  recoverWithMaxAttempts?: number | undefined;
}

/** What the dispatcher already told workers about one dispatch. */
interface Forwarded {
  token: string;
  cancelled: boolean;
  actions: Set<string>;
}

/** Most claims made at once. */
const MAX_CLAIM_BATCH = 16;

/** Publishes the tasks of queued outside operations; see the module comment. */
export class TaskDispatcher {
  readonly #o: TaskDispatcherOptions;
  readonly #kindNames: string[];
  readonly #forwarded = new Map<string, Forwarded>();
  #running = false;
  #filling: Promise<void> | undefined;
  #fillAgain = false;
  #pollTimer: TimerHandle | undefined;
  #recoveryTimer: TimerHandle | undefined;
  #unsubscribe: (() => void) | undefined;
  // The dispatch poll and crash recovery retry on every tick while the database is away.
  readonly #dispatchOutage: StoreOutageLog;
  readonly #recoveryOutage: StoreOutageLog;

  constructor(options: TaskDispatcherOptions) {
    this.#o = options;
    this.#kindNames = [...options.kinds.keys()];
    this.#dispatchOutage = new StoreOutageLog(options.logger, 'outside task dispatcher');
    this.#recoveryOutage = new StoreOutageLog(options.logger, 'outside task recovery');
  }

  /** Starts dispatching: at once, on every accept in this process, and on a poll. */
  start(): void {
    if (this.#running || this.#kindNames.length === 0) return;
    this.#running = true;
    this.#unsubscribe = this.#o.changes.subscribeAll((record) => this.#onChange(record));
    this.wake();
    this.#schedulePoll();
    if (this.#o.recoverWithMaxAttempts !== undefined) this.#scheduleRecovery();
  }

  /** Claims and publishes queued outside operations now. */
  wake(): void {
    if (!this.#running) return;
    if (this.#filling) {
      this.#fillAgain = true;
      return;
    }
    this.#filling = this.#dispatchAll()
      .then(
        () => this.#dispatchOutage.succeeded(),
        (error: unknown) => this.#dispatchOutage.failed(error, 'dispatching outside tasks failed'),
      )
      .finally(() => {
        this.#filling = undefined;
      });
  }

  /** Stops claiming; tasks being published finish. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#o.timers.clearTimeout(this.#pollTimer);
    this.#o.timers.clearTimeout(this.#recoveryTimer);
    await this.#filling;
  }

  /**
   * Re-sends a cancel for a dispatch (a report arrived for an operation a client asked to cancel,
   * perhaps before its worker had bound to the control exchange).
   */
  resendCancel(record: OperationRecord, token: string): void {
    const forwarded = this.#forwardedFor(record.id, token);
    if (forwarded.cancelled) return;
    forwarded.cancelled = true;
    this.#sendControl({ protocol: PROTOCOL_VERSION, type: 'cancel', operationId: record.id, token });
  }

  /** Sends a delivered action to the worker of a dispatch. */
  sendAction(record: OperationRecord, token: string, name: string): void {
    this.#forwardedFor(record.id, token).actions.add(name);
    this.#sendControl({
      protocol: PROTOCOL_VERSION,
      type: 'action',
      operationId: record.id,
      token,
      name,
      payload: record.actions[name],
    });
  }

  #onChange(record: OperationRecord): void {
    if (!this.#o.kinds.has(record.kind)) return;
    if (record.state === 'queued') {
      this.wake();
      return;
    }
    if (isTerminal(record.state)) {
      this.#forwarded.delete(record.id);
      return;
    }
    if (record.state !== 'running') return;
    const token = encodeToken({ tenant: record.tenant, attempt: record.attempts });
    if (record.cancelRequested) this.resendCancel(record, token);
    const forwarded = this.#forwardedFor(record.id, token);
    for (const name of Object.keys(record.actions)) {
      if (!forwarded.actions.has(name)) this.sendAction(record, token, name);
    }
  }

  #forwardedFor(operationId: string, token: string): Forwarded {
    let forwarded = this.#forwarded.get(operationId);
    if (forwarded?.token !== token) {
      forwarded = { token, cancelled: false, actions: new Set() };
      this.#forwarded.set(operationId, forwarded);
    }
    return forwarded;
  }

  #sendControl(message: Parameters<BrokerTransport['publishControl']>[0]): void {
    this.#o.transport.publishControl(message).catch((error: unknown) => {
      this.#o.logger.error({ err: error, operationId: message.operationId }, 'sending a control message failed');
    });
  }

  async #dispatchAll(): Promise<void> {
    do {
      this.#fillAgain = false;
      // Claims go out in growing batches (1, 2, 4… up to 16): a store that group-commits takes a
      // batch in one transaction, and an empty queue costs a single claim.
      let batch = 1;
      while (this.#running) {
        const now = this.#o.clock.now();
        const claims = await Promise.allSettled(
          Array.from({ length: batch }, () =>
            this.#o.store.claimNext(this.#o.owner, this.#kindNames, this.#o.dispatchLeaseMs, now),
          ),
        );
        const claimed: { operation: OperationRecord; lease: Lease }[] = [];
        let failure: unknown;
        for (const claim of claims) {
          if (claim.status === 'rejected') failure = claim.reason;
          else if (claim.value) claimed.push(claim.value);
        }
        // Published even if a sibling claim failed: they are leased to this dispatcher now.
        await Promise.all(claimed.map((claim) => this.#publish(claim.operation, claim.lease)));
        if (failure !== undefined) throw failure;
        if (claimed.length < batch) break;
        batch = Math.min(batch * 2, MAX_CLAIM_BATCH);
      }
    } while (this.#fillAgain && this.#running);
  }

  async #publish(operation: OperationRecord, lease: Lease): Promise<void> {
    this.#o.changes.publish(operation);
    const queue = this.#o.queues.get(operation.kind) as string;
    const task: TaskMessage = {
      protocol: PROTOCOL_VERSION,
      type: 'task',
      operationId: operation.id,
      kind: operation.kind,
      input: operation.input,
      attempt: lease.attempt,
      token: encodeToken({ tenant: operation.tenant, attempt: lease.attempt }),
      deadline:
        operation.leaseExpiresAt ?? new Date(this.#o.clock.now().getTime() + this.#o.dispatchLeaseMs).toISOString(),
      heartbeatMs: Math.max(1, Math.floor(this.#o.heartbeatLeaseMs / 3)),
    };
    try {
      await this.#o.transport.publishTask(queue, task);
      this.#o.logger.debug({ operationId: operation.id, attempt: lease.attempt, queue }, 'dispatched an outside task');
    } catch (error) {
      this.#o.logger.error({ err: error, operationId: operation.id }, 'publishing a task failed; handing it back');
      try {
        const record = await this.#o.store.updateOperation(lease, { state: 'queued' }, this.#o.clock.now());
        if (record) this.#o.changes.publish(record);
      } catch (handBackError) {
        // Recovery re-queues it once the dispatch lease expires.
        this.#o.logger.error({ err: handBackError, operationId: operation.id }, 'handing a task back failed');
      }
    }
  }

  #schedulePoll(): void {
    if (!this.#running) return;
    this.#pollTimer = this.#o.timers.setTimeout(() => {
      this.wake();
      this.#schedulePoll();
    }, this.#o.pollIntervalMs);
  }

  #scheduleRecovery(): void {
    if (!this.#running) return;
    this.#recoveryTimer = this.#o.timers.setTimeout(() => {
      const maxAttempts = this.#o.recoverWithMaxAttempts as number;
      this.#o.store
        .recoverExpiredLeases(this.#o.clock.now(), maxAttempts, workerLostProblem(maxAttempts))
        .then(
          (changed) => {
            this.#recoveryOutage.succeeded();
            for (const record of changed) this.#o.changes.publish(record);
          },
          (error: unknown) => this.#recoveryOutage.failed(error, 'crash recovery failed'),
        )
        .finally(() => this.#scheduleRecovery());
    }, this.#o.heartbeatLeaseMs / 3);
  }
}
