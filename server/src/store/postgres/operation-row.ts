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
