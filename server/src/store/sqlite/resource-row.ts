/** The `resources` row and its mapping to {@link ResourceRecord}. */
import type { ResourceRecord } from '../../operations/ports/index.ts';

/** One row of the `resources` table, as bound and as read. */
export interface ResourceRow {
  tenant: string;
  collection: string;
  id: string;
  body: string;
  operation_id: string;
  created_at: string;
  updated_at: string;
}

/** The record a row stores. */
export function toResourceRecord(row: ResourceRow): ResourceRecord {
  return {
    tenant: row.tenant,
    collection: row.collection,
    id: row.id,
    body: JSON.parse(row.body),
    operationId: row.operation_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
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
