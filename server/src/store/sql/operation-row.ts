/**
 * The `operations` and `resources` rows and their two-way mapping to records, once for both SQL
 * adapters (their differences are the {@link SqlDialect}'s).
 *
 * `undefined` has no JSON form, so an absent `input` or `result` is stored (and read back) as
 * `null`; adapters return records through {@link toRecord} so what a write returns is exactly what
 * a later read returns. JSON is bound as text made here: node-postgres would turn a JS array into a
 * PostgreSQL array literal, not JSON.
 */
import type { OperationRecord } from '../../operations/model.ts';
import type { ResourceRecord } from '../../operations/ports/index.ts';
import type { OperationState } from '../../operations/state.ts';
import { json, readInstant, readInstantOrNull, type SqlDialect, type SqlInstant } from './dialect.ts';
import { OPERATION_COLUMNS, type OperationColumn } from './operation-columns.ts';

export { ENDING_COLUMNS, OPERATION_COLUMNS, type OperationColumn } from './operation-columns.ts';

/** One row of `operations` as a driver reads it back (JSON columns as the dialect gives them). */
export interface OperationRow {
  id: string;
  tenant: string;
  kind: string;
  state: string;
  version: number;
  input: unknown;
  request: unknown;
  progress: unknown;
  steps: unknown;
  estimated_completion_at: SqlInstant | null;
  result: unknown;
  product: unknown;
  related: unknown;
  error: unknown;
  cancel_requested: unknown;
  lock_key: string | null;
  callback_url: string | null;
  actions: unknown;
  attempts: number;
  lease_owner: string | null;
  lease_expires_at: SqlInstant | null;
  created_at: SqlInstant;
  updated_at: SqlInstant;
  started_at: SqlInstant | null;
  finished_at: SqlInstant | null;
}

/** The values that store `record`, in {@link OPERATION_COLUMNS} order, to bind. */
export function operationValues(record: OperationRecord, dialect: SqlDialect): unknown[] {
  const values = operationColumnValues(record, dialect);
  return OPERATION_COLUMNS.map((column) => values[column]);
}

/**
 * The values that store `record`, by column: what a driver that binds parameters by name (SQLite)
 * takes as it is, without a second object built from {@link operationValues}.
 */
export function operationColumnValues(record: OperationRecord, dialect: SqlDialect): Record<OperationColumn, unknown> {
  const inputJson = json(record.input);
  return {
    id: record.id,
    tenant: record.tenant,
    kind: record.kind,
    state: record.state,
    version: record.version,
    input: inputJson,
    request: storedRequest(record.request, inputJson),
    progress: json(record.progress),
    steps: json(record.steps),
    estimated_completion_at: record.estimatedCompletionAt ?? null,
    result: json(record.result),
    product: record.product == null ? null : json(record.product),
    related: json(record.related),
    error: record.error == null ? null : json(record.error),
    cancel_requested: dialect.writeBoolean(record.cancelRequested),
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

/**
 * A request as stored: a body that is the operation's input (what almost every request is) is not
 * stored a second time, only marked `bodyIsInput`; {@link readRequest} puts it back.
 */
function storedRequest(request: OperationRecord['request'], inputJson: string): string {
  if (request.body === undefined) return json(request);
  const { body, ...rest } = request;
  return json(json(body) === inputJson ? { ...rest, bodyIsInput: true } : request);
}

/** The request of a row: written before the body was stored once, it carries its body itself. */
function readRequest(stored: unknown, input: unknown): OperationRecord['request'] {
  const { bodyIsInput, ...request } = stored as OperationRecord['request'] & { bodyIsInput?: boolean };
  return bodyIsInput === true ? { ...request, body: input } : request;
}

/** The record a row stores. */
export function toRecord(row: OperationRow, dialect: SqlDialect): OperationRecord {
  const nullableJson = (value: unknown) => (value === null ? null : dialect.readJson(value));
  const input = nullableJson(row.input) ?? null;
  return {
    id: row.id,
    tenant: row.tenant,
    kind: row.kind,
    // The table's CHECK constraint admits only OperationState values.
    state: row.state as OperationState,
    version: row.version,
    input,
    request: readRequest(dialect.readJson(row.request), input),
    progress: dialect.readJson(row.progress) as OperationRecord['progress'],
    steps: dialect.readJson(row.steps) as OperationRecord['steps'],
    estimatedCompletionAt: readInstantOrNull(row.estimated_completion_at),
    result: nullableJson(row.result) ?? null,
    product: (nullableJson(row.product) ?? null) as OperationRecord['product'],
    related: dialect.readJson(row.related) as OperationRecord['related'],
    error: (nullableJson(row.error) ?? null) as OperationRecord['error'],
    cancelRequested: dialect.readBoolean(row.cancel_requested),
    lockKey: row.lock_key,
    callbackUrl: row.callback_url,
    actions: dialect.readJson(row.actions) as OperationRecord['actions'],
    attempts: row.attempts,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: readInstantOrNull(row.lease_expires_at),
    createdAt: readInstant(row.created_at),
    updatedAt: readInstant(row.updated_at),
    startedAt: readInstantOrNull(row.started_at),
    finishedAt: readInstantOrNull(row.finished_at),
  };
}

/** One row of `resources` as a driver reads it back. */
export interface ResourceRow {
  tenant: string;
  collection: string;
  id: string;
  body: unknown;
  operation_id: string;
  created_at: SqlInstant;
  updated_at: SqlInstant;
}

/** The columns of `resources`, in table order. */
export const RESOURCE_COLUMNS = [
  'tenant',
  'collection',
  'id',
  'body',
  'operation_id',
  'created_at',
  'updated_at',
] as const;

/** The record a resource row stores. */
export function toResourceRecord(row: ResourceRow, dialect: SqlDialect): ResourceRecord {
  return {
    tenant: row.tenant,
    collection: row.collection,
    id: row.id,
    body: dialect.readJson(row.body) as Record<string, unknown>,
    operationId: row.operation_id,
    createdAt: readInstant(row.created_at),
    updatedAt: readInstant(row.updated_at),
  };
}
