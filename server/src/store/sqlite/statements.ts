/** Every SQL statement of the SQLite store, prepared once per connection. */
import type { Database, Statement } from 'better-sqlite3';
import { ENDING_COLUMNS } from '../sql/operation-columns.ts';
import { OPERATION_COLUMNS, type OperationRow } from './operation-row.ts';
import type { ResourceRow } from './resource-row.ts';

/** One row of `idempotency_keys`. */
export interface IdempotencyRow {
  tenant: string;
  key: string;
  fingerprint: string;
  operation_id: string;
  expires_at: string;
  created_at: string;
}

/** A list filter, as bound. */
export interface ListParams {
  tenant: string;
  state?: string | undefined;
  kind?: string | undefined;
  after?: string | undefined;
  limit: number;
}

/** Columns a worker or the engine may change after insert. */
const MUTABLE_COLUMNS = OPERATION_COLUMNS.filter(
  (c) => c !== 'id' && c !== 'tenant' && c !== 'kind' && c !== 'created_at',
);

const ACTIVE_STATES = `('queued', 'running')`;
const TERMINAL_STATES = `('succeeded', 'failed', 'cancelled')`;

/** The prepared statements of one connection. */
export class StoreStatements {
  readonly insertOperation: Statement<[OperationRow]>;
  readonly updateOperation: Statement<[OperationRow]>;
  readonly operationById: Statement<[string], OperationRow>;
  readonly tenantOperation: Statement<[string, string], OperationRow>;
  readonly activeLockHolder: Statement<[string, string], OperationRow>;
  /** Parameter: the kinds as a JSON array. */
  readonly oldestQueued: Statement<[string], OperationRow>;
  /**
   * An ending computed from the record the worker saw: the {@link ENDING_COLUMNS} of the row `id`,
   * only while it is still running at `expected_version` under the lease (`lease_owner`, `attempt`).
   */
  readonly endSeenOperation: Statement<[OperationRow & { expected_version: number; attempt: number; owner: string }]>;
  readonly expiredLeases: Statement<[string], OperationRow>;
  readonly idempotencyKey: Statement<[string, string], IdempotencyRow>;
  readonly upsertIdempotencyKey: Statement<[IdempotencyRow]>;
  readonly insertResource: Statement<[ResourceRow]>;
  readonly upsertResource: Statement<[ResourceRow], ResourceRow>;
  readonly resource: Statement<[string, string, string], ResourceRow>;
  readonly deleteFinished: Statement<[string]>;
  readonly deleteExpiredKeys: Statement<[string]>;
  readonly #db: Database;
  readonly #lists = new Map<string, Statement<[ListParams], OperationRow>>();

  constructor(db: Database) {
    this.#db = db;
    const columns = OPERATION_COLUMNS.join(', ');
    const values = OPERATION_COLUMNS.map((c) => `@${c}`).join(', ');
    this.insertOperation = db.prepare(`INSERT INTO operations (${columns}) VALUES (${values})`);
    this.updateOperation = db.prepare(
      `UPDATE operations SET ${MUTABLE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`,
    );
    this.operationById = db.prepare('SELECT * FROM operations WHERE id = ?');
    this.tenantOperation = db.prepare('SELECT * FROM operations WHERE id = ? AND tenant = ?');
    // Same predicate as the partial unique index operations_active_lock, so it is used.
    this.activeLockHolder = db.prepare(
      `SELECT * FROM operations WHERE tenant = ? AND lock_key = ? AND lock_key IS NOT NULL AND state IN ${ACTIVE_STATES}`,
    );
    this.oldestQueued = db.prepare(
      `SELECT * FROM operations
       WHERE state = 'queued' AND kind IN (SELECT value FROM json_each(?))
       ORDER BY created_at, id LIMIT 1`,
    );
    this.endSeenOperation = db.prepare(
      `UPDATE operations SET ${ENDING_COLUMNS.map((c) => `${c} = @${c}`).join(', ')}
       WHERE id = @id AND version = @expected_version AND state = 'running'
         AND lease_owner = @owner AND attempts = @attempt`,
    );
    this.expiredLeases = db.prepare(
      `SELECT * FROM operations WHERE state = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at, id`,
    );
    this.idempotencyKey = db.prepare('SELECT * FROM idempotency_keys WHERE tenant = ? AND key = ?');
    this.upsertIdempotencyKey = db.prepare(
      `INSERT INTO idempotency_keys (tenant, key, fingerprint, operation_id, expires_at, created_at)
       VALUES (@tenant, @key, @fingerprint, @operation_id, @expires_at, @created_at)
       ON CONFLICT (tenant, key) DO UPDATE SET
         fingerprint = excluded.fingerprint, operation_id = excluded.operation_id,
         expires_at = excluded.expires_at, created_at = excluded.created_at`,
    );
    const resourceColumns = 'tenant, collection, id, body, operation_id, created_at, updated_at';
    const resourceValues = '@tenant, @collection, @id, @body, @operation_id, @created_at, @updated_at';
    this.insertResource = db.prepare(`INSERT INTO resources (${resourceColumns}) VALUES (${resourceValues})`);
    this.upsertResource = db.prepare(
      `INSERT INTO resources (${resourceColumns}) VALUES (${resourceValues})
       ON CONFLICT (tenant, collection, id) DO UPDATE SET
         body = excluded.body, operation_id = excluded.operation_id, updated_at = excluded.updated_at
       RETURNING *`,
    );
    this.resource = db.prepare('SELECT * FROM resources WHERE tenant = ? AND collection = ? AND id = ?');
    this.deleteFinished = db.prepare(
      `DELETE FROM operations WHERE finished_at < ? AND finished_at IS NOT NULL AND state IN ${TERMINAL_STATES}`,
    );
    this.deleteExpiredKeys = db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  }

  /** The list statement for the filters `params` uses (one prepared statement per combination). */
  list(params: ListParams): Statement<[ListParams], OperationRow> {
    const where = ['tenant = @tenant'];
    if (params.state !== undefined) where.push('state = @state');
    if (params.kind !== undefined) where.push('kind = @kind');
    if (params.after !== undefined) where.push('id < @after');
    const key = where.join(' AND ');
    let statement = this.#lists.get(key);
    if (statement === undefined) {
      statement = this.#db.prepare(`SELECT * FROM operations WHERE ${key} ORDER BY id DESC LIMIT @limit`);
      this.#lists.set(key, statement);
    }
    return statement;
  }
}
