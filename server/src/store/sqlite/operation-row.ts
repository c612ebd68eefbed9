/**
 * The `operations` row and its two-way mapping to {@link OperationRecord}.
 *
 * Structured fields are JSON text. `undefined` has no JSON form, so an absent `input` or `result`
 * is stored (and read back) as `null`; adapters return records through {@link toRecord} so what a
 * write returns is exactly what a later read returns.
 */
import type { OperationRecord } from '../../operations/model.ts';
import type { OperationState } from '../../operations/state.ts';
import { OPERATION_COLUMNS as SHARED_COLUMNS } from '../operation-columns.ts';

/** One row of the `operations` table, as bound and as read. */
export interface OperationRow {
  id: string;
  tenant: string;
  kind: string;
  state: string;
  version: number;
  input: string;
  request: string;
  progress: string;
  steps: string;
  estimated_completion_at: string | null;
  result: string;
  product: string | null;
  related: string;
  error: string | null;
  cancel_requested: number;
  lock_key: string | null;
  callback_url: string | null;
  actions: string;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** The columns of {@link OperationRow}, in table order. */
export const OPERATION_COLUMNS = SHARED_COLUMNS satisfies readonly (keyof OperationRow)[];

/** The row that stores `record`. */
export function toRow(record: OperationRecord): OperationRow {
  return {
    id: record.id,
    tenant: record.tenant,
    kind: record.kind,
    state: record.state,
    version: record.version,
    input: json(record.input),
    request: json(record.request),
    progress: json(record.progress),
    steps: json(record.steps),
    estimated_completion_at: record.estimatedCompletionAt ?? null,
    result: json(record.result),
    product: record.product == null ? null : json(record.product),
    related: json(record.related),
    error: record.error == null ? null : json(record.error),
    cancel_requested: record.cancelRequested ? 1 : 0,
    lock_key: record.lockKey ?? null,
    callback_url: record.callbackUrl ?? null,
    actions: json(record.actions),
    attempts: record.attempts,
    lease_owner: record.leaseOwner ?? null,
    lease_expires_at: record.leaseExpiresAt ?? null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    started_at: record.startedAt ?? null,
    finished_at: record.finishedAt ?? null,
  };
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
    input: JSON.parse(row.input),
    request: JSON.parse(row.request),
    progress: JSON.parse(row.progress),
    steps: JSON.parse(row.steps),
    estimatedCompletionAt: row.estimated_completion_at,
    result: JSON.parse(row.result),
    product: row.product === null ? null : JSON.parse(row.product),
    related: JSON.parse(row.related),
    error: row.error === null ? null : JSON.parse(row.error),
    cancelRequested: row.cancel_requested === 1,
    lockKey: row.lock_key,
    callbackUrl: row.callback_url,
    actions: JSON.parse(row.actions),
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** JSON text of a value; `undefined` (no JSON form) is stored as `null`. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
