/**
 * The SQLite adapter of the store port, on better-sqlite3 (one connection, WAL, `synchronous=FULL`).
 *
 * Writes go through {@link GroupCommit}: queued, run in order in one transaction at the end of the
 * tick, resolved once durable. Reads run directly on the same connection, between transactions,
 * so they see committed data only, and resolve once what they saw is durable. Each write reads the rows it needs, computes the next record
 * with the pure functions of `operation-changes.ts`, and writes whole rows.
 *
 * Operations being read are kept in a {@link RecordCache} (rows and the records they read
 * back as): a read of a cached operation does not touch the table. A write encodes only the JSON
 * columns it changed (the rest are the text of the row it read).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { decodeCursor, encodeCursor } from '../../operations/cursor.ts';
import type { OperationRecord, StoredProblem } from '../../operations/model.ts';
import type {
  CancelRequestOutcome,
  Claim,
  CreateOperationCommand,
  CreateOperationOutcome,
  DeliverActionOutcome,
  Lease,
  LeasedWrite,
  ListOperationsQuery,
  OperationPage,
  OperationPatch,
  OperationStore,
  PublishedResource,
  QueueStats,
  ResourceRecord,
  WebhookStoreProvider,
} from '../../operations/ports/index.ts';
import {
  acceptedRecord,
  actionRecord,
  cancelledRecord,
  claimedRecord,
  endingFromSeen,
  holdsLease,
  patchedRecord,
  recoveredRecord,
  renewedRecord,
} from '../../operations/transitions.ts';
import { canonicalInstant, instant } from '../sql/instants.ts';
import { type CommitInfo, GroupCommit } from './group-commit.ts';
import { openDatabase } from './open-database.ts';
import { type OperationRow, type StoredOperation, storedOf, storedOfRow, toRecord } from './operation-row.ts';
import { DEFAULT_RECORD_CACHE_SIZE, RecordCache } from './record-cache.ts';
import { toResourceRecord, toResourceRow } from './resource-row.ts';
import { SqliteWebhookStore } from './sqlite-webhook-store.ts';
import { StoreStatements } from './statements.ts';

/** The database file's name inside {@link SqliteStoreOptions.dataDir}. */
export const DATABASE_FILENAME = 'longrun.sqlite';

/** Where and how {@link createSqliteStore} opens its database. Give `dataDir` or `filename`. */
export interface SqliteStoreOptions {
  /** Directory to keep the database in (created if missing), as {@link DATABASE_FILENAME}. */
  dataDir?: string | undefined;
  /** Path of the database file; wins over `dataDir`. `:memory:` gives a throwaway store. */
  filename?: string | undefined;
  /** Most writes committed in one transaction. @default 1000 */
  maxBatch?: number | undefined;
  /** How long a write waits for another process's write lock, in milliseconds. @default 5000 */
  busyTimeoutMs?: number | undefined;
  /** Called after every committed group transaction (metrics); must not throw. */
  onCommit?: ((info: CommitInfo) => void) | undefined;
  /** Most operations kept in memory for reads, the ones last read (0: none). @default 2048 */
  recordCacheSize?: number | undefined;
}

/** Opens (creating and migrating as needed) a SQLite-backed {@link OperationStore}. */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<SqliteOperationStore> {
  let filename = options.filename;
  if (filename === undefined) {
    if (options.dataDir === undefined) throw new TypeError('createSqliteStore needs a dataDir or a filename');
    mkdirSync(options.dataDir, { recursive: true });
    filename = join(options.dataDir, DATABASE_FILENAME);
  }
  const db = openDatabase(filename, { busyTimeoutMs: options.busyTimeoutMs });
  return new SqliteOperationStore(db, {
    maxBatch: options.maxBatch,
    onCommit: options.onCommit,
    recordCacheSize: options.recordCacheSize,
  });
}

/** {@link OperationStore} on one better-sqlite3 connection. Build it with {@link createSqliteStore}. */
export class SqliteOperationStore implements OperationStore, WebhookStoreProvider {
  readonly name = 'sqlite';
  /** Path of the database file. */
  readonly filename: string;
  /** The push data (webhook subscriptions, callback secrets, the delivery queue), in the same database. */
  readonly webhooks: SqliteWebhookStore;
  readonly #db: Database;
  readonly #sql: StoreStatements;
  readonly #writes: GroupCommit;
  readonly #cache: RecordCache;

  /** Wraps an open, migrated connection (see `openDatabase`). */
  constructor(db: Database, options: Pick<SqliteStoreOptions, 'maxBatch' | 'onCommit' | 'recordCacheSize'> = {}) {
    this.#db = db;
    this.filename = db.name;
    this.#sql = new StoreStatements(db);
    this.#cache = new RecordCache(db, options.recordCacheSize ?? DEFAULT_RECORD_CACHE_SIZE);
    this.#writes = new GroupCommit(db, {
      maxBatch: options.maxBatch,
      onCommit: options.onCommit,
      observer: this.#cache,
    });
    this.webhooks = new SqliteWebhookStore(db, this.#writes);
  }

  createOperation(command: CreateOperationCommand): Promise<CreateOperationOutcome> {
    return this.#writes.write(() => this.#create(command));
  }

  async getOperation(tenant: string, id: string): Promise<OperationRecord | undefined> {
    return this.#writes.read(() => {
      this.#cache.sync();
      const cached = this.#cache.get(id);
      if (cached !== undefined) return cached.record.tenant === tenant ? cached.record : undefined;
      const row = this.#sql.tenantOperation.get(id, tenant);
      if (row === undefined) return undefined;
      const stored = storedOfRow(row);
      this.#cache.remember(stored);
      return stored.record;
    });
  }

  async listOperations(query: ListOperationsQuery): Promise<OperationPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1)
      throw new RangeError(`list limit must be a positive integer: ${query.limit}`);
    const params = {
      tenant: query.tenant,
      state: query.state,
      kind: query.kind,
      after: query.after === undefined ? undefined : decodeCursor(query.after),
      // One more than asked tells whether a next page exists.
      limit: query.limit + 1,
    };
    return this.#writes.read(() => {
      this.#cache.sync();
      const rows = this.#sql.list(params).all(params);
      // A listed operation is not cached (a page would push out the recent ones), but a cached one
      // is not parsed again.
      const items = rows.slice(0, query.limit).map((row) => {
        const cached = this.#cache.get(row.id);
        return cached !== undefined && cached.record.version === row.version ? cached.record : toRecord(row);
      });
      const last = items.at(-1);
      return { items, next: rows.length > query.limit && last !== undefined ? encodeCursor(last.id) : null };
    });
  }

  claimNext(
    owner: string,
    kinds: readonly string[],
    leaseMs: number,
    now: Date,
  ): Promise<{ operation: OperationRecord; lease: Lease } | undefined> {
    return this.#writes.write(() => {
      if (kinds.length === 0) return undefined;
      const queued = this.#oldestQueued(JSON.stringify(kinds));
      if (queued === undefined) return undefined;
      const operation = this.#claimed(this.#saveStored(claimedRecord(queued.record, owner, leaseMs, now), queued));
      return { operation, lease: { operationId: operation.id, owner, attempt: operation.attempts } };
    });
  }

  claimBatch(owner: string, kinds: readonly string[], leaseMs: number, now: Date, limit: number): Promise<Claim[]> {
    // One write of the group commit: each claim saves its row, so the next read finds the next one.
    // (One read of `limit` rows instead, with the limit bound, cost the claim 16% more CPU.)
    return this.#writes.write(() => {
      const claims: Claim[] = [];
      if (kinds.length === 0) return claims;
      const queued = JSON.stringify(kinds);
      while (claims.length < limit) {
        const previous = this.#oldestQueued(queued);
        if (previous === undefined) break;
        const operation = this.#claimed(
          this.#saveStored(claimedRecord(previous.record, owner, leaseMs, now), previous),
        );
        claims.push({ operation, lease: { operationId: operation.id, owner, attempt: operation.attempts } });
      }
      return claims;
    });
  }

  updateOperations(
    writes: readonly LeasedWrite[],
    now: Date,
  ): Promise<PromiseSettledResult<OperationRecord | undefined>[]> {
    // Issued together, the writes share one group commit. An ending computed from the record the
    // worker saw is written without reading the row, if the row is still that version under the
    // lease; otherwise (a cancel request, an action, a lost lease) it is read as updateOperation does.
    return Promise.allSettled(
      writes.map((w) =>
        this.#writes.write(() => {
          const fast = endingFromSeen(w, now);
          if (fast !== undefined && w.seen !== undefined) {
            const saved = this.#endSeen(fast, w.seen, w.lease);
            if (saved !== undefined) return saved;
          }
          return this.#update(w.lease, w.patch, now, w.resources);
        }),
      ),
    );
  }

  renewLease(lease: Lease, leaseMs: number, now: Date): Promise<boolean> {
    return this.#writes.write(() => {
      const held = this.#held(lease);
      if (held === undefined) return false;
      this.#save(renewedRecord(held.record, leaseMs, now), held);
      return true;
    });
  }

  updateOperation(
    lease: Lease,
    patch: OperationPatch,
    now: Date,
    resources?: readonly PublishedResource[],
  ): Promise<OperationRecord | undefined> {
    return this.#writes.write(() => this.#update(lease, patch, now, resources));
  }

  requestCancel(tenant: string, id: string, now: Date): Promise<CancelRequestOutcome | undefined> {
    return this.#writes.write(() => {
      const previous = this.#tenantOperation(tenant, id);
      if (previous === undefined) return undefined;
      const change = cancelledRecord(previous.record, now);
      if (change.outcome === 'terminal') return { outcome: 'terminal' as const, operation: change.record };
      const operation = change.changed ? this.#save(change.record, previous) : change.record;
      return { outcome: change.outcome, operation };
    });
  }

  deliverAction(
    tenant: string,
    id: string,
    action: string,
    payload: unknown,
    now: Date,
  ): Promise<DeliverActionOutcome | undefined> {
    // Checked and written in one write of the group commit: of racing deliveries, one is first.
    return this.#writes.write((): DeliverActionOutcome | undefined => {
      const previous = this.#tenantOperation(tenant, id);
      if (previous === undefined) return undefined;
      const change = actionRecord(previous.record, action, payload, now);
      if (change.outcome !== 'delivered') return { outcome: change.outcome, operation: change.record };
      return { outcome: 'delivered', operation: this.#save(change.record, previous) };
    });
  }

  recoverExpiredLeases(now: Date, maxAttempts: number, problem: StoredProblem): Promise<OperationRecord[]> {
    return this.#writes.write(() =>
      this.#sql.expiredLeases.all(now.toISOString()).map((row) => {
        const previous = this.#stored(row);
        return this.#save(recoveredRecord(previous.record, maxAttempts, problem, now), previous);
      }),
    );
  }

  async getResource(tenant: string, collection: string, id: string): Promise<ResourceRecord | undefined> {
    return this.#writes.read(() => {
      const row = this.#sql.resource.get(tenant, collection, id);
      return row === undefined ? undefined : toResourceRecord(row);
    });
  }

  putResource(resource: Omit<ResourceRecord, 'createdAt' | 'updatedAt'>, now: Date): Promise<ResourceRecord> {
    return this.#writes.write(() => {
      const row = this.#sql.upsertResource.get(toResourceRow(resource, resource.operationId, now.toISOString()));
      if (row === undefined) throw new Error('resource upsert returned no row');
      return toResourceRecord(row);
    });
  }

  async queueStats(): Promise<QueueStats> {
    // Both counts read the partial indexes on queued and running operations.
    return this.#writes.read(() => {
      const row = this.#db
        .prepare<[], { queued: number; running: number; oldest: string | null }>(
          `SELECT (SELECT count(*) FROM operations WHERE state = 'queued') AS queued,
                  (SELECT count(*) FROM operations WHERE state = 'running') AS running,
                  (SELECT min(created_at) FROM operations WHERE state = 'queued') AS oldest`,
        )
        .get();
      return { queued: row?.queued ?? 0, running: row?.running ?? 0, oldestQueuedAt: row?.oldest ?? null };
    });
  }

  deleteExpired(finishedBefore: Date, now: Date): Promise<number> {
    return this.#writes.write(() => {
      // Their idempotency keys go with them (ON DELETE CASCADE).
      const deleted = this.#sql.deleteFinished.run(finishedBefore.toISOString()).changes;
      // Retention runs now and then: forgetting every cached operation is simpler than finding which went.
      if (deleted > 0) this.#cache.clear();
      this.#sql.deleteExpiredKeys.run(now.toISOString());
      return deleted;
    });
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#writes.close();
    this.#db.close();
  }

  #create(command: CreateOperationCommand): CreateOperationOutcome {
    const { operation, idempotency, resource } = command;
    const now = canonicalInstant(operation.createdAt, 'operation.createdAt');
    if (idempotency !== undefined) {
      const seen = this.#sql.idempotencyKey.get(operation.tenant, idempotency.key);
      // A key expired by the time of this request counts as absent and is taken over below.
      const existing = seen !== undefined && seen.expires_at > now ? this.#operation(seen.operation_id) : undefined;
      if (seen !== undefined && existing !== undefined) {
        return seen.fingerprint === idempotency.fingerprint
          ? { outcome: 'replayed', operation: existing.record }
          : { outcome: 'idempotency-mismatch', operation: existing.record };
      }
    }
    if (operation.lockKey != null) {
      const pending = this.#sql.activeLockHolder.get(operation.tenant, operation.lockKey);
      if (pending !== undefined) return { outcome: 'locked', pending: this.#stored(pending).record };
    }
    const stored = storedOf(acceptedRecord(operation));
    this.#sql.insertOperation.run(stored.row);
    const created = stored.record;
    this.webhooks.queueChange(undefined, created, stored.row);
    if (idempotency !== undefined) {
      this.#sql.upsertIdempotencyKey.run({
        tenant: operation.tenant,
        key: idempotency.key,
        fingerprint: idempotency.fingerprint,
        operation_id: operation.id,
        expires_at: instant(idempotency.expiresAt, 'idempotency.expiresAt'),
        created_at: now,
      });
    }
    if (resource !== undefined) {
      this.#sql.insertResource.run(toResourceRow({ ...resource, tenant: operation.tenant }, operation.id, now));
    }
    return { outcome: 'created', operation: created };
  }

  /** A worker's write, read-then-write (run inside a write of the group commit). */
  #update(
    lease: Lease,
    patch: OperationPatch,
    now: Date,
    resources: readonly PublishedResource[] | undefined,
  ): OperationRecord | undefined {
    const held = this.#held(lease);
    if (held === undefined) return undefined;
    const record = held.record;
    const { record: next, publish } = patchedRecord(record, patch, now);
    const saved = this.#save(next, held);
    if (publish && resources !== undefined) {
      const at = now.toISOString();
      for (const resource of resources) {
        this.#sql.upsertResource.get(toResourceRow({ ...resource, tenant: record.tenant }, record.id, at));
      }
    }
    return saved;
  }

  /**
   * Writes `next`, the ending computed from `seen`, if the row is still at `seen`'s version under
   * `lease` (compare-and-set); undefined when it moved on, and nothing is written then.
   */
  #endSeen(next: OperationRecord, seen: OperationRecord, lease: Lease): OperationRecord | undefined {
    // The row at `seen`'s version is the cached one when cached (every write of this connection
    // keeps the cache, and another connection's commit empties it): the ending's columns go over
    // it, and only the ending's new JSON is encoded.
    const base = this.#cache.get(next.id);
    const stored =
      base !== undefined && base.record.version === seen.version
        ? storedOf(
            {
              ...base.record,
              state: next.state,
              version: next.version,
              progress: next.progress,
              steps: next.steps,
              estimatedCompletionAt: next.estimatedCompletionAt,
              result: next.result,
              product: next.product,
              related: next.related,
              error: next.error,
              leaseOwner: next.leaseOwner,
              leaseExpiresAt: next.leaseExpiresAt,
              updatedAt: next.updatedAt,
              finishedAt: next.finishedAt,
            },
            base,
          )
        : storedOf(next);
    const changed = this.#sql.endSeenOperation.run({
      ...stored.row,
      expected_version: seen.version,
      owner: lease.owner,
      attempt: lease.attempt,
    }).changes;
    if (changed === 0) return undefined;
    this.#cache.update(stored);
    this.webhooks.queueChange(seen, stored.record, stored.row);
    return stored.record;
  }

  /** The stored operation `lease` still holds, or undefined when it was fenced. */
  #held(lease: Lease): StoredOperation | undefined {
    const held = this.#operation(lease.operationId);
    return held !== undefined && holdsLease(held.record, lease) ? held : undefined;
  }

  /** Operation `id`, from the cache or else the table. */
  #operation(id: string): StoredOperation | undefined {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached;
    const row = this.#sql.operationById.get(id);
    return row === undefined ? undefined : storedOfRow(row);
  }

  /** Operation `id` of `tenant`, from the cache or else the table. */
  #tenantOperation(tenant: string, id: string): StoredOperation | undefined {
    const cached = this.#cache.get(id);
    if (cached !== undefined) return cached.record.tenant === tenant ? cached : undefined;
    const row = this.#sql.tenantOperation.get(id, tenant);
    return row === undefined ? undefined : storedOfRow(row);
  }

  /** The oldest queued operation of the kinds (a JSON array). */
  #oldestQueued(kinds: string): StoredOperation | undefined {
    const row = this.#sql.oldestQueued.get(kinds);
    return row === undefined ? undefined : this.#stored(row);
  }

  /** The stored form of a row just read: the cached one when it is that version. */
  #stored(row: OperationRow): StoredOperation {
    const cached = this.#cache.get(row.id);
    return cached !== undefined && cached.record.version === row.version ? cached : storedOfRow(row);
  }

  /**
   * Writes `record` over its row (which held `previous`, the stored form it was computed from) and,
   * in the same transaction, queues its push message when the monitor entered a new event type (the
   * outbox); returns it as a read would (the record of its row).
   */
  /**
   * A claimed record as the runner gets it. The handler receives its input and may change it: when
   * the cache holds the record, the input is parsed afresh so that the cached one stays as stored.
   */
  #claimed(stored: StoredOperation): OperationRecord {
    const { record, row } = stored;
    if (typeof record.input !== 'object' || record.input === null || this.#cache.get(record.id) !== stored)
      return record;
    return { ...record, input: JSON.parse(row.input as string) };
  }

  #save(record: OperationRecord, previous: StoredOperation): OperationRecord {
    return this.#saveStored(record, previous).record;
  }

  #saveStored(record: OperationRecord, previous: StoredOperation): StoredOperation {
    const stored = storedOf(record, previous);
    this.#sql.updateOperation.run(stored.row);
    this.#cache.update(stored);
    this.webhooks.queueChange(previous.record, stored.record, stored.row);
    return stored;
  }
}

// Re-exported so callers of the adapter need one import.
export type { CommitInfo } from './group-commit.ts';
