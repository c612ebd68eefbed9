/**
 * The `operations` row as SQLite binds it by column name, over the shared mapping of
 * `store/sql/operation-row.ts` in the SQLite dialect, and the stored form the adapter's record cache
 * keeps: a row's text beside the record it reads back as.
 */
import type { OperationRecord } from '../../operations/model.ts';
import type { OperationState } from '../../operations/state.ts';
import { json, sqliteDialect } from '../sql/dialect.ts';
import {
  type OperationRow,
  operationColumnValues,
  readRequest,
  toRecord as recordOfRow,
  storedRequest,
} from '../sql/operation-row.ts';

export { OPERATION_COLUMNS, type OperationRow } from '../sql/operation-row.ts';

/** The row that stores `record`, keyed by column (better-sqlite3 binds `@column` parameters from it). */
export function toRow(record: OperationRecord): OperationRow {
  return operationColumnValues(record, sqliteDialect) as unknown as OperationRow;
}

/** The record a row stores. */
export function toRecord(row: OperationRow): OperationRecord {
  return recordOfRow(row, sqliteDialect);
}

/**
 * One operation as stored: the row's values (JSON columns as text) and the record a read of that
 * row returns (frozen by the record cache when it keeps it).
 */
export interface StoredOperation {
  readonly row: OperationRow;
  readonly record: OperationRecord;
}

/** The stored form of a row read from the table. */
export function storedOfRow(row: OperationRow): StoredOperation {
  return { row, record: toRecord(row) };
}

/**
 * The stored form of `record`: `{ row: toRow(record), record: toRecord(toRow(record)) }`,
 * but a JSON column whose value `record` shares with `base` (the stored form of the row it
 * replaces, which it was computed from) takes `base`'s text and value instead of being encoded and
 * parsed again. Only what changed goes through JSON: a claim changes no JSON column at all.
 */
export function storedOf(record: OperationRecord, base?: StoredOperation): StoredOperation {
  // Written out field by field: this runs on every write.
  const was = base?.record;
  const wasRow = base?.row;
  let input: unknown;
  let inputText: string;
  if (was !== undefined && wasRow !== undefined && record.input === was.input) {
    input = was.input;
    inputText = wasRow.input as string;
  } else {
    inputText = json(record.input);
    input = JSON.parse(inputText);
  }
  let request: OperationRecord['request'];
  let requestText: string;
  if (was !== undefined && wasRow !== undefined && record.request === was.request && input === was.input) {
    request = was.request;
    requestText = wasRow.request as string;
  } else {
    requestText = storedRequest(record.request, inputText);
    request = readRequest(JSON.parse(requestText), input);
  }
  let progress: unknown;
  let progressText: unknown;
  if (was !== undefined && wasRow !== undefined && record.progress === was.progress) {
    progress = was.progress;
    progressText = wasRow.progress;
  } else {
    progressText = json(record.progress);
    progress = JSON.parse(progressText as string);
  }
  let steps: unknown;
  let stepsText: unknown;
  if (was !== undefined && wasRow !== undefined && record.steps === was.steps) {
    steps = was.steps;
    stepsText = wasRow.steps;
  } else {
    stepsText = json(record.steps);
    steps = JSON.parse(stepsText as string);
  }
  let result: unknown;
  let resultText: unknown;
  if (was !== undefined && wasRow !== undefined && record.result === was.result) {
    result = was.result;
    resultText = wasRow.result;
  } else {
    resultText = json(record.result);
    result = JSON.parse(resultText as string);
  }
  let product: unknown;
  let productText: unknown;
  if (was !== undefined && wasRow !== undefined && record.product === was.product) {
    product = was.product;
    productText = wasRow.product;
  } else {
    productText = record.product == null ? null : json(record.product);
    product = productText === null ? null : JSON.parse(productText as string);
  }
  let related: unknown;
  let relatedText: unknown;
  if (was !== undefined && wasRow !== undefined && record.related === was.related) {
    related = was.related;
    relatedText = wasRow.related;
  } else {
    relatedText = json(record.related);
    related = JSON.parse(relatedText as string);
  }
  let error: unknown;
  let errorText: unknown;
  if (was !== undefined && wasRow !== undefined && record.error === was.error) {
    error = was.error;
    errorText = wasRow.error;
  } else {
    errorText = record.error == null ? null : json(record.error);
    error = errorText === null ? null : JSON.parse(errorText as string);
  }
  let actions: unknown;
  let actionsText: unknown;
  if (was !== undefined && wasRow !== undefined && record.actions === was.actions) {
    actions = was.actions;
    actionsText = wasRow.actions;
  } else {
    actionsText = json(record.actions);
    actions = JSON.parse(actionsText as string);
  }

  const row: OperationRow = {
    id: record.id,
    tenant: record.tenant,
    kind: record.kind,
    state: record.state,
    version: record.version,
    input: inputText,
    request: requestText,
    progress: progressText,
    steps: stepsText,
    estimated_completion_at: record.estimatedCompletionAt ?? null,
    result: resultText,
    product: productText,
    related: relatedText,
    error: errorText,
    cancel_requested: sqliteDialect.writeBoolean(record.cancelRequested),
    lock_key: record.lockKey ?? null,
    callback_url: record.callbackUrl ?? null,
    actions: actionsText,
    attempts: record.attempts,
    lease_owner: record.leaseOwner ?? null,
    lease_expires_at: record.leaseExpiresAt ?? null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    started_at: record.startedAt ?? null,
    finished_at: record.finishedAt ?? null,
  };
  const stored: OperationRecord = {
    id: record.id,
    tenant: record.tenant,
    kind: record.kind,
    state: record.state as OperationState,
    version: record.version,
    input: input ?? null,
    request,
    progress: progress as OperationRecord['progress'],
    steps: steps as OperationRecord['steps'],
    estimatedCompletionAt: record.estimatedCompletionAt ?? null,
    result: result ?? null,
    product: (product ?? null) as OperationRecord['product'],
    related: related as OperationRecord['related'],
    error: (error ?? null) as OperationRecord['error'],
    cancelRequested: record.cancelRequested === true,
    lockKey: record.lockKey ?? null,
    callbackUrl: record.callbackUrl ?? null,
    actions: actions as OperationRecord['actions'],
    attempts: record.attempts,
    leaseOwner: record.leaseOwner ?? null,
    leaseExpiresAt: record.leaseExpiresAt ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    startedAt: record.startedAt ?? null,
    finishedAt: record.finishedAt ?? null,
  };
  return { row, record: stored };
}
