/**
 * The store's record changes as pure functions: given a record and a command, the next record.
 *
 * The adapter reads, calls one of these, and writes the result in the same transaction, so every
 * rule of the port (version bumps, fencing, cancel-wins, recovery) lives here once. Nothing here
 * touches SQL; a future adapter that reads-then-writes may reuse it.
 */
import type { OperationRecord, StoredProblem } from './model.ts';
import type { DeliverActionOutcome, Lease, LeasedWrite, NewOperation, OperationPatch } from './ports/index.ts';
import { assertTransition, isTerminal } from './state.ts';

/** A just-accepted operation: queued, version 1, nothing done yet. */
export function acceptedRecord(operation: NewOperation): OperationRecord {
  return {
    id: operation.id,
    tenant: operation.tenant,
    kind: operation.kind,
    state: 'queued',
    version: 1,
    input: operation.input ?? null,
    request: operation.request,
    progress: { percent: 0 },
    steps: operation.steps ?? [],
    estimatedCompletionAt: operation.estimatedCompletionAt ?? null,
    result: null,
    product: operation.product ?? null,
    related: [],
    error: null,
    cancelRequested: false,
    lockKey: operation.lockKey ?? null,
    callbackUrl: operation.callbackUrl ?? null,
    actions: {},
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: operation.createdAt,
    updatedAt: operation.createdAt,
    startedAt: null,
    finishedAt: null,
  };
}

/** True when `lease` still holds `record`: running, same owner, same attempt (fencing token). */
export function holdsLease(record: OperationRecord, lease: Lease): boolean {
  return (
    record.id === lease.operationId &&
    record.state === 'running' &&
    record.leaseOwner === lease.owner &&
    record.attempts === lease.attempt
  );
}

/** `record` claimed by `owner` until `now + leaseMs`: running, one more attempt. */
export function claimedRecord(record: OperationRecord, owner: string, leaseMs: number, now: Date): OperationRecord {
  assertTransition(record.state, 'running');
  const at = now.toISOString();
  return {
    ...record,
    state: 'running',
    version: record.version + 1,
    attempts: record.attempts + 1,
    leaseOwner: owner,
    leaseExpiresAt: leaseDeadline(now, leaseMs),
    startedAt: record.startedAt ?? at,
    updatedAt: at,
  };
}

/**
 * `record` with its lease extended to `now + leaseMs`. Version and `updatedAt` stay: the lease is
 * not part of the monitor, and a renewal must not change its ETag or emit an event.
 */
export function renewedRecord(record: OperationRecord, leaseMs: number, now: Date): OperationRecord {
  return { ...record, leaseExpiresAt: leaseDeadline(now, leaseMs) };
}

/** The outcome of applying a worker's patch. */
export interface PatchedRecord {
  record: OperationRecord;
  /** False when the published resources must be dropped (cancel won over success). */
  publish: boolean;
}

/**
 * `record` after a worker's `patch`: version + 1, `updatedAt` = now. A terminal state clears the
 * lease and sets `finishedAt`; `queued` (the worker hands it back) clears the lease.
 *
 * Cancel wins: `succeeded` on a cancel-requested operation ends `cancelled` instead, without
 * `result`, `product` or `related` and with nothing published.
 *
 * @throws IllegalTransitionError when the state machine forbids the move.
 */
export function patchedRecord(record: OperationRecord, patch: OperationPatch, now: Date): PatchedRecord {
  const requested = patch.state ?? record.state;
  if (requested !== record.state) assertTransition(record.state, requested);
  const cancelWins = requested === 'succeeded' && record.cancelRequested;
  const state = cancelWins ? 'cancelled' : requested;
  const at = now.toISOString();
  const next: OperationRecord = { ...record, state, version: record.version + 1, updatedAt: at };
  if (patch.progress !== undefined) next.progress = progressOf(patch.progress);
  if (patch.steps !== undefined) next.steps = patch.steps;
  if (patch.estimatedCompletionAt !== undefined) next.estimatedCompletionAt = patch.estimatedCompletionAt;
  if (patch.error !== undefined) next.error = patch.error;
  if (!cancelWins) {
    if (patch.result !== undefined) next.result = patch.result;
    if (patch.product !== undefined) next.product = patch.product;
    if (patch.related !== undefined) next.related = patch.related;
  }
  if (isTerminal(state) || state === 'queued') {
    next.leaseOwner = null;
    next.leaseExpiresAt = null;
  }
  if (isTerminal(state)) next.finishedAt = at;
  return { record: next, publish: !cancelWins };
}

/** What a cancel request did. */
export type CancelChange =
  | { outcome: 'cancelled' | 'requested'; record: OperationRecord; changed: boolean }
  | { outcome: 'terminal'; record: OperationRecord; changed: false };

/**
 * `record` after a cancel request: queued → `cancelled` now; running → `cancelRequested` (once:
 * asking again changes nothing); terminal → unchanged.
 */
export function cancelledRecord(record: OperationRecord, now: Date): CancelChange {
  if (isTerminal(record.state)) return { outcome: 'terminal', record, changed: false };
  const at = now.toISOString();
  if (record.state === 'queued') {
    assertTransition(record.state, 'cancelled');
    const next: OperationRecord = {
      ...record,
      state: 'cancelled',
      cancelRequested: true,
      version: record.version + 1,
      updatedAt: at,
      finishedAt: at,
    };
    return { outcome: 'cancelled', record: next, changed: true };
  }
  if (record.cancelRequested) return { outcome: 'requested', record, changed: false };
  const next: OperationRecord = { ...record, cancelRequested: true, version: record.version + 1, updatedAt: at };
  return { outcome: 'requested', record: next, changed: true };
}

/** What an outside action did to a record: the same shape as the port's {@link DeliverActionOutcome}. */
export interface ActionChange {
  outcome: DeliverActionOutcome['outcome'];
  /** The record after the change (`delivered`), or unchanged. */
  record: OperationRecord;
}

/**
 * `record` with an outside action recorded under `action` (version + 1), when a step is waiting for
 * an action of that name and none is recorded under it yet: only the first delivery counts.
 * Otherwise unchanged: `terminal` once it has ended, else `not-waiting`.
 */
export function actionRecord(record: OperationRecord, action: string, payload: unknown, now: Date): ActionChange {
  if (isTerminal(record.state)) return { outcome: 'terminal', record };
  if (!awaitsAction(record, action)) return { outcome: 'not-waiting', record };
  return {
    outcome: 'delivered',
    record: {
      ...record,
      actions: { ...record.actions, [action]: payload ?? null },
      version: record.version + 1,
      updatedAt: now.toISOString(),
    },
  };
}

/**
 * True when a step of `record` is `waiting` for the action `action` and no payload is recorded
 * under that name (the step stays `waiting` until its handler resumes, so the record decides).
 */
export function awaitsAction(record: OperationRecord, action: string): boolean {
  return (
    !Object.hasOwn(record.actions, action) &&
    record.steps.some((step) => step.state === 'waiting' && step.action?.name === action)
  );
}

/**
 * A running `record` whose lease expired: back to `queued` while `attempts < maxAttempts`, else
 * `failed` with `problem`; `cancelled` when a cancel was requested (nobody is left to honour it
 * and no product may follow). The lease is cleared either way.
 */
export function recoveredRecord(
  record: OperationRecord,
  maxAttempts: number,
  problem: StoredProblem,
  now: Date,
): OperationRecord {
  const at = now.toISOString();
  const base: OperationRecord = {
    ...record,
    version: record.version + 1,
    updatedAt: at,
    leaseOwner: null,
    leaseExpiresAt: null,
  };
  if (record.cancelRequested) {
    assertTransition(record.state, 'cancelled');
    return { ...base, state: 'cancelled', finishedAt: at };
  }
  if (record.attempts < maxAttempts) {
    assertTransition(record.state, 'queued');
    return { ...base, state: 'queued' };
  }
  assertTransition(record.state, 'failed');
  return { ...base, state: 'failed', error: problem, finishedAt: at };
}

function leaseDeadline(now: Date, leaseMs: number): string {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`lease duration must be positive: ${leaseMs}`);
  return new Date(now.getTime() + leaseMs).toISOString();
}

function progressOf(progress: { percent: number; message?: string | undefined }): OperationRecord['progress'] {
  // An explicit `message: undefined` has no JSON form; drop it so writes equal reads.
  return progress.message === undefined
    ? { percent: progress.percent }
    : { percent: progress.percent, message: progress.message };
}

/**
 * The ending of `write` computed from the record its worker saw, when an adapter may write it
 * without reading the row (fenced on the row's version and lease instead): a terminal patch without
 * resources to publish, on a record the lease holds. Undefined otherwise: the adapter reads the row
 * and calls {@link patchedRecord} on it. A terminal record clears the lease, so a renewal since
 * `seen` (which moves only the lease's expiry, not the version) changes nothing.
 */
export function endingFromSeen(write: LeasedWrite, now: Date): OperationRecord | undefined {
  const { seen, lease, patch } = write;
  if (seen === undefined || !holdsLease(seen, lease)) return undefined;
  if (patch.state === undefined || !isTerminal(patch.state)) return undefined;
  try {
    const { record, publish } = patchedRecord(seen, patch, now);
    if (publish && write.resources !== undefined && write.resources.length > 0) return undefined;
    return record;
  } catch {
    // A move the state machine forbids: the read-then-write path reports it on the current row.
    return undefined;
  }
}
