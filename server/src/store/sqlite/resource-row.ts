/** The `resources` row and its mapping to {@link ResourceRecord}. */
import type { ResourceRecord } from '../../operations/ports/index.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import {
  toResourceRecord as recordOfResourceRow,
  type ResourceRow as SharedResourceRow,
} from '../sql/operation-row.ts';

/** One row of the `resources` table, as bound and as read. */
export interface ResourceRow extends SharedResourceRow {
  body: string;
  created_at: string;
  updated_at: string;
}

/** The record a row stores. */
export function toResourceRecord(row: ResourceRow): ResourceRecord {
  return recordOfResourceRow(row, sqliteDialect);
}

/** The row that stores a resource body written at `at` (ISO 8601) by operation `operationId`. */
export function toResourceRow(
  resource: { tenant: string; collection: string; id: string; body: Record<string, unknown> },
  operationId: string,
  at: string,
): ResourceRow {
  return {
    tenant: resource.tenant,
    collection: resource.collection,
    id: resource.id,
    body: JSON.stringify(resource.body),
    operation_id: operationId,
    created_at: at,
    updated_at: at,
  };
}
