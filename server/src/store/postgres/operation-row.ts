/**
 * The PostgreSQL `operations` and `resources` rows: the shared mapping of
 * `store/sql/operation-row.ts` in the PostgreSQL dialect, and the `SELECT` lists.
 */
import type { OperationRecord } from '../../operations/model.ts';
import type { ResourceRecord } from '../../operations/ports/index.ts';
import { postgresDialect } from '../sql/dialect.ts';
import {
  OPERATION_COLUMNS,
  type OperationRow,
  RESOURCE_COLUMNS,
  type ResourceRow,
  toResourceRecord as recordOfResourceRow,
  toRecord as recordOfRow,
  operationValues as valuesOfRecord,
} from '../sql/operation-row.ts';

export { OPERATION_COLUMNS, type OperationRow, type ResourceRow } from '../sql/operation-row.ts';

/** `SELECT` list of the operation columns (`changed_at` is the trigger's, not the record's). */
export const OPERATION_SELECT = OPERATION_COLUMNS.join(', ');

/** `SELECT` list of the resource columns. */
export const RESOURCE_SELECT = RESOURCE_COLUMNS.join(', ');

/** The values that store `record`, in {@link OPERATION_COLUMNS} order, as query parameters. */
export function operationValues(record: OperationRecord): unknown[] {
  return valuesOfRecord(record, postgresDialect);
}

/** The record a row stores. */
export function toRecord(row: OperationRow): OperationRecord {
  return recordOfRow(row, postgresDialect);
}

/** The record a resource row stores. */
export function toResourceRecord(row: ResourceRow): ResourceRecord {
  return recordOfResourceRow(row, postgresDialect);
}

/** The `timestamptz` columns of `operations`: `row_to_json` writes them as text with an offset. */
const INSTANT_COLUMNS = [
  'estimated_completion_at',
  'lease_expires_at',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
] as const;

/**
 * The record of an operation row kept as JSON text by the outbox trigger (`row_to_json`): JSON
 * columns nested as they were stored, instants as text in the session's time zone, read back as
 * node-postgres would read the row itself.
 */
export function operationOfRowJson(json: string): OperationRecord {
  const row = JSON.parse(json) as Record<string, unknown>;
  for (const column of INSTANT_COLUMNS) {
    const value = row[column];
    if (typeof value === 'string') row[column] = new Date(value);
  }
  return toRecord(row as unknown as OperationRow);
}
