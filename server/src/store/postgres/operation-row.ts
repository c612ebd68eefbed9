/**
 * The PostgreSQL `operations` and `resources` rows and their mapping to records.
 *
 * node-postgres parses `json` columns and turns `timestamptz` into `Date`; instants go back to
 * records as `Date#toISOString()` text. JSON is bound as text made here: node-postgres would turn a
 * JS array into a PostgreSQL array literal, not JSON. `undefined` has no JSON form, so an absent
 * `input` or `result` is stored (and read back) as `null`, as in the SQLite adapter.
 */
import type { OperationRecord, StoredLink, StoredProblem, StoredRequest, StoredStep } from '../../operations/model.ts';
import type { ResourceRecord } from '../../operations/ports/index.ts';
import type { OperationState } from '../../operations/state.ts';
import { OPERATION_COLUMNS as SHARED_COLUMNS } from '../operation-columns.ts';

/** One row of `operations`, as node-postgres returns it. */
export interface OperationRow {
  id: string;
  tenant: string;
  kind: string;
  state: string;
  version: number;
  input: unknown;
  request: StoredRequest;
  progress: OperationRecord['progress'];
  steps: StoredStep[];
  estimated_completion_at: Date | null;
  result: unknown;
  product: StoredLink | null;
  related: StoredLink[];
  error: StoredProblem | null;
  cancel_requested: boolean;
  lock_key: string | null;
  callback_url: string | null;
  actions: Record<string, unknown>;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

/** The columns of {@link OperationRow}, in table order (`changed_at` is the trigger's, not the record's). */
export const OPERATION_COLUMNS = SHARED_COLUMNS satisfies readonly (keyof OperationRow)[];

/** `SELECT` list of the operation columns. */
export const OPERATION_SELECT = OPERATION_COLUMNS.join(', ');

/** The values that store `record`, in {@link OPERATION_COLUMNS} order, as query parameters. */
export function operationValues(record: OperationRecord): unknown[] {
  return [
    record.id,
    record.tenant,
    record.kind,
    record.state,
    record.version,
    json(record.input),
    json(record.request),
    json(record.progress),
    json(record.steps),
    record.estimatedCompletionAt ?? null,
    json(record.result),
    record.product == null ? null : json(record.product),
    json(record.related),
    record.error == null ? null : json(record.error),
    record.cancelRequested,
    record.lockKey ?? null,
    record.callbackUrl ?? null,
    json(record.actions),
    record.attempts,
    record.leaseOwner ?? null,
    record.leaseExpiresAt ?? null,
    record.createdAt,
    record.updatedAt,
    record.startedAt ?? null,
    record.finishedAt ?? null,
  ];
}

/** The record a row stores. */
export function toRecord(row: OperationRow): OperationRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    kind: row.kind,
    // The table's CHECK constraint admits only OperationState values.
    state: row.state as OperationState,
    version: row.version,
    input: row.input ?? null,
    request: row.request,
    progress: row.progress,
    steps: row.steps,
    estimatedCompletionAt: instantOrNull(row.estimated_completion_at),
    result: row.result ?? null,
    product: row.product ?? null,
    related: row.related,
    error: row.error ?? null,
    cancelRequested: row.cancel_requested,
    lockKey: row.lock_key,
    callbackUrl: row.callback_url,
    actions: row.actions,
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: instantOrNull(row.lease_expires_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    startedAt: instantOrNull(row.started_at),
    finishedAt: instantOrNull(row.finished_at),
  };
}

/** One row of `resources`, as node-postgres returns it. */
export interface ResourceRow {
  tenant: string;
  collection: string;
  id: string;
  body: Record<string, unknown>;
  operation_id: string;
  created_at: Date;
  updated_at: Date;
}

/** `SELECT` list of the resource columns. */
export const RESOURCE_SELECT = 'tenant, collection, id, body, operation_id, created_at, updated_at';

/** The record a resource row stores. */
export function toResourceRecord(row: ResourceRow): ResourceRecord {
  return {
    tenant: row.tenant,
    collection: row.collection,
    id: row.id,
    body: row.body,
    operationId: row.operation_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** JSON text of a value; `undefined` (no JSON form) is stored as `null`. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function instantOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
