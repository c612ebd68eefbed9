/**
 * The `operations` row as SQLite binds it by column name, over the shared mapping of
 * `store/sql/operation-row.ts` in the SQLite dialect.
 */
import type { OperationRecord } from '../../operations/model.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import { type OperationRow, operationColumnValues, toRecord as recordOfRow } from '../sql/operation-row.ts';

export { OPERATION_COLUMNS, type OperationRow } from '../sql/operation-row.ts';

/** The row that stores `record`, keyed by column (better-sqlite3 binds `@column` parameters from it). */
export function toRow(record: OperationRecord): OperationRow {
  return operationColumnValues(record, sqliteDialect) as unknown as OperationRow;
}

/** The record a row stores. */
export function toRecord(row: OperationRow): OperationRecord {
  return recordOfRow(row, sqliteDialect);
}
