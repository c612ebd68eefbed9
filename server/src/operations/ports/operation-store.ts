/**
 * The store port: the one interface every database adapter implements.
 *
 * Every method is atomic. Adapters hold no business rules beyond the invariants named here; the
 * conformance suite (`describeStoreConformance`, exported from `@longrun/server/testing`) is the specification every adapter must pass.
 */

import { LongrunServerError } from '../longrun-server-error.ts';
import type { OperationRecord, StoredLink, StoredProblem, StoredStep } from '../model.ts';
import type { OperationState } from '../state.ts';

/** A new operation, as accepted by the engine. */
export type NewOperation = Pick<
  OperationRecord,
  | 'id'
  | 'tenant'
  | 'kind'
  | 'input'
  | 'request'
  | 'steps'
  | 'estimatedCompletionAt'
  | 'lockKey'
  | 'callbackUrl'
  | 'createdAt'
> & {
  /** A resource the operation is about from the start (embedded status): linked as its product. */
  product?: StoredLink | null;
};

/** An idempotency key and the fingerprint of the request that first used it. */
export interface IdempotencyClaim {
  key: string;
  /** Hash of method, path and body: the same key with another fingerprint is refused. */
  fingerprint: string;
  /** Until when (ISO 8601) the key is remembered. */
  expiresAt: string;
}

/** A resource created at accept time, in the same transaction (an embedded-status resource). */
export interface NewResource {
  collection: string;
  id: string;
  body: Record<string, unknown>;
}

/** What {@link OperationStore.createOperation} asks for. */
export interface CreateOperationCommand {
  operation: NewOperation;
  idempotency?: IdempotencyClaim | undefined;
  resource?: NewResource | undefined;
}

/** What became of a create: created, replayed, or refused with the reason. */
export type CreateOperationOutcome =
  | { outcome: 'created'; operation: OperationRecord }
  | { outcome: 'replayed'; operation: OperationRecord }
  | { outcome: 'idempotency-mismatch'; operation: OperationRecord }
  | { outcome: 'locked'; pending: OperationRecord };

/** Thrown by {@link OperationStore.listOperations} for a cursor it did not issue (HTTP: 400). */
export class InvalidCursorError extends LongrunServerError {
  override readonly name = 'InvalidCursorError';
  readonly code = 'invalid-cursor';
  readonly cursor: string;
  constructor(cursor: string) {
    super('invalid pagination cursor');
    this.cursor = cursor;
  }
}

/** A filter and page for {@link OperationStore.listOperations}. */
export interface ListOperationsQuery {
  tenant: string;
  state?: OperationState | undefined;
  kind?: string | undefined;
  /** Opaque cursor from a previous page. */
  after?: string | undefined;
  limit: number;
}

/** One page of operations, newest first. */
export interface OperationPage {
  items: OperationRecord[];
  /** Cursor for the next page, or null on the last. */
  next: string | null;
}

/** A change a worker makes to an operation it holds. */
export interface OperationPatch {
  state?: OperationState;
  progress?: { percent: number; message?: string | undefined };
  steps?: StoredStep[];
  estimatedCompletionAt?: string | null;
  result?: unknown;
  product?: StoredLink | null;
  related?: StoredLink[];
  error?: StoredProblem | null;
}

/** A resource published on success, in the same transaction as the terminal state. */
export interface PublishedResource {
  collection: string;
  id: string;
  body: Record<string, unknown>;
}

/** A lease on a claimed operation. `attempt` is the fencing token. */
export interface Lease {
  operationId: string;
  owner: string;
  /** Fencing token: equals the operation's `attempts` when claimed; stale tokens are refused. */
  attempt: number;
}

/** An operation a worker claimed, and the lease it holds it by. */
export interface Claim {
  operation: OperationRecord;
  lease: Lease;
}

/** One worker write of {@link OperationStore.updateOperations}: what `updateOperation` takes. */
export interface LeasedWrite {
  lease: Lease;
  patch: OperationPatch;
  resources?: readonly PublishedResource[] | undefined;
  /**
   * The record as this worker last saw it (its claim, or its own latest write). A hint: a store
   * may apply the patch to it and write without reading the row first, provided the row is still
   * at that version under the same lease; otherwise it reads the row as `updateOperation` does.
   */
  seen?: OperationRecord | undefined;
}

/** What a runner asks to claim: the arguments of {@link OperationStore.claimBatch} but the time. */
export interface ClaimRequest {
  owner: string;
  kinds: readonly string[];
  leaseMs: number;
  limit: number;
}

/** What {@link OperationStore.updateOperationsAndClaim} did: each part settled as its own call would. */
export interface EndAndClaimResult {
  /** One per write, in order, as {@link OperationStore.updateOperations} settles them. */
  results: PromiseSettledResult<OperationRecord | undefined>[];
  /** As {@link OperationStore.claimBatch} would have resolved or rejected. */
  claims: PromiseSettledResult<Claim[]>;
}

/** What became of {@link OperationStore.deliverAction}. */
export type DeliverActionOutcome =
  /** Recorded: the step's handler resumes with the payload. */
  | { outcome: 'delivered'; operation: OperationRecord }
  /** Nothing changed: no step waits for an action of that name, or one was already recorded under it. */
  | { outcome: 'not-waiting'; operation: OperationRecord }
  /** Nothing changed: the operation has ended. */
  | { outcome: 'terminal'; operation: OperationRecord };

/** A stored domain resource (a car, a VM, a product document…). */
export interface ResourceRecord {
  tenant: string;
  collection: string;
  id: string;
  body: Record<string, unknown>;
  /** The operation that created it. */
  operationId: string;
  createdAt: string;
  updatedAt: string;
}

/** The port every database adapter implements. */
export interface OperationStore {
  /** Short name for logs and docs (`sqlite`, `postgres`). */
  readonly name: string;

  /**
   * Durably inserts an operation (and its idempotency key and initial resource), unless the
   * key was seen (replayed / mismatch) or the lock key is held by an active operation (locked).
   * Resolves only after the write is durable.
   *
   * The new record is `queued`, version 1, attempts 0, `updatedAt` = `createdAt`. The idempotency
   * key is checked first (a retry of a pending request replays rather than being locked); a key
   * whose `expiresAt` is not after `operation.createdAt` counts as absent and is taken over.
   * Concurrent creates behave as if run one after another. Rejects (creating nothing) when the id
   * or the initial resource already exists.
   */
  createOperation(command: CreateOperationCommand): Promise<CreateOperationOutcome>;

  /**
   * The work of every tenant not yet finished: how many operations are queued and running, and
   * when the oldest queued one was accepted (metrics: queue depth and age). Optional: a store
   * without it reports no queue gauges.
   */
  queueStats?(): Promise<QueueStats>;

  /** One operation of a tenant, or undefined (another tenant's ids do not exist). */
  getOperation(tenant: string, id: string): Promise<OperationRecord | undefined>;

  /**
   * A tenant's operations, newest first (by id), filtered and cursor-paginated. Every item is
   * visited exactly once across pages. Rejects with {@link InvalidCursorError} for a foreign cursor.
   */
  listOperations(query: ListOperationsQuery): Promise<OperationPage>;

  /**
   * Claims the oldest queued operation of the given kinds for `owner` until `now + leaseMs`:
   * state → running, attempts + 1, startedAt set on first claim. Undefined when none is queued.
   */
  claimNext(owner: string, kinds: readonly string[], leaseMs: number, now: Date): Promise<Claim | undefined>;

  /**
   * Claims up to `limit` queued operations of the given kinds for `owner`, oldest first, each as
   * {@link claimNext} would, in one step: a store with round trips or commits to pay pays them
   * once per batch. Fewer (or none) when fewer are queued; never one that another claimer holds.
   */
  claimBatch(owner: string, kinds: readonly string[], leaseMs: number, now: Date, limit: number): Promise<Claim[]>;

  /**
   * Extends a lease to `now + leaseMs`; false when the lease was lost (fenced: another attempt,
   * another owner, or no longer running). Changes neither `version` nor `updatedAt`: the lease is
   * not part of the monitor, so a renewal must not change its ETag or emit an event.
   */
  renewLease(lease: Lease, leaseMs: number, now: Date): Promise<boolean>;

  /**
   * Applies a worker's change, bumping `version` and `updatedAt`. Refused (undefined) when the
   * lease is stale: another attempt owns the operation, or it is terminal. `resources` are
   * published in the same transaction, with any patch (a running operation publishes the widgets it
   * made so far, or an embedded-status resource's body). Terminal patches also clear the lease and
   * set `finishedAt`.
   *
   * Cancel wins: a patch to `succeeded` on an operation with `cancelRequested` ends it `cancelled`
   * instead, ignoring the patch's `result`, `product` and `related` and publishing no `resources`
   * (no product is published after a cancel request). A patch to `queued` hands the operation back
   * and clears the lease. Rejects with `IllegalTransitionError` for a move the state machine
   * forbids, changing nothing.
   */
  updateOperation(
    lease: Lease,
    patch: OperationPatch,
    now: Date,
    resources?: readonly PublishedResource[],
  ): Promise<OperationRecord | undefined>;

  /**
   * Applies several workers' writes, each exactly as {@link updateOperation} would (fenced by its
   * lease, cancel wins, resources published with it), in as few round trips as the store can.
   * Each write stands alone: one refused or rejected leaves the others applied. Settles with one
   * result per write, in order.
   */
  updateOperations(
    writes: readonly LeasedWrite[],
    now: Date,
  ): Promise<PromiseSettledResult<OperationRecord | undefined>[]>;

  /**
   * Optional: {@link updateOperations} of `writes` and {@link claimBatch} of `claim`, both at `now`,
   * in as few round trips as the store can (PostgreSQL: one statement when the endings need no
   * read). A busy runner then pays one round trip per batch to end its operations and take the
   * next. Each part settles as its own call would have, on its own: a write refused, or a claim
   * that fails, leaves the other part as it would be. The operations claimed are never among those
   * being ended (those are running, a claim takes queued ones). A store without it is called twice.
   */
  updateOperationsAndClaim?(writes: readonly LeasedWrite[], claim: ClaimRequest, now: Date): Promise<EndAndClaimResult>;

  /**
   * Asks to cancel. A queued operation becomes `cancelled` at once (`finishedAt` set, its lock
   * released); a running one gets `cancelRequested` (asking again changes nothing). Returns the
   * record after the change, `terminal` when it already was; undefined for another tenant's id.
   */
  requestCancel(tenant: string, id: string, now: Date): Promise<CancelRequestOutcome | undefined>;

  /**
   * Records an outside action under `action` (version + 1, `delivered`) when a step is `waiting`
   * for an action of that name and no payload is recorded under it yet; otherwise changes nothing
   * (`not-waiting`, or `terminal` once the operation has ended). The check and the write are one
   * atomic step: of concurrent deliveries of one action, from any number of processes, exactly one
   * is `delivered`. Undefined for an unknown id or another tenant's.
   */
  deliverAction(
    tenant: string,
    id: string,
    action: string,
    payload: unknown,
    now: Date,
  ): Promise<DeliverActionOutcome | undefined>;

  /**
   * Crash recovery: running operations whose lease expired before `now` go back to `queued`
   * when `attempts < maxAttempts`, else end `failed` with `problem`; a cancel-requested one ends
   * `cancelled`. The lease is cleared and `version` bumped. Returns those changed.
   */
  recoverExpiredLeases(now: Date, maxAttempts: number, problem: StoredProblem): Promise<OperationRecord[]>;

  /** One stored resource of a tenant, or undefined. */
  getResource(tenant: string, collection: string, id: string): Promise<ResourceRecord | undefined>;

  /**
   * Creates or replaces a resource body (a worker publishing progress into an embedded-status
   * resource); `createdAt` is kept on replace.
   */
  putResource(resource: Omit<ResourceRecord, 'createdAt' | 'updatedAt'>, now: Date): Promise<ResourceRecord>;

  /**
   * Retention: deletes terminal operations finished before `finishedBefore` (with their idempotency
   * keys) and idempotency keys expired by `now`. Resources stay. Returns how many operations were
   * deleted.
   */
  deleteExpired(finishedBefore: Date, now: Date): Promise<number>;

  /** Commits pending writes, then releases connections and file handles. */
  close(): Promise<void>;
}

/** What {@link OperationStore.queueStats} reports, across every tenant. */
export interface QueueStats {
  queued: number;
  running: number;
  /** `createdAt` of the oldest queued operation, or null when none is queued. */
  oldestQueuedAt: string | null;
}

/** What {@link OperationStore.requestCancel} did: cancelled at once, asked a running one to stop, or found it ended. */
export type CancelRequestOutcome =
  | { outcome: 'cancelled' | 'requested'; operation: OperationRecord }
  | { outcome: 'terminal'; operation: OperationRecord };
