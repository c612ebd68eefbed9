/**
 * The PostgreSQL adapter of the store port, on node-postgres (`pg`): one connection pool per
 * process, any number of processes on one database.
 *
 * - Claims lock the oldest queued row `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait
 *   on each other and never get the same operation (docs/decisions/0001).
 * - Every worker write is fenced in SQL by the lease (owner and attempt, the fencing token) under
 *   the row lock, so a worker that lost its lease cannot overwrite the outcome.
 * - Other writes read the row `FOR UPDATE`, compute the next record with the pure rules of
 *   the operations core (`operations/transitions.ts`, shared with SQLite), and write it back in the same transaction.
 * - Creates with an idempotency key or a lock key serialize on transaction-scoped advisory locks
 *   of those keys, so concurrent creates on any instance behave as if run one after another.
 * - A trigger announces every committed change (`NOTIFY`), which {@link NotifyChangeSource}
 *   turns into wake-ups in every other process.
 * - Request quotas are counted in `longrun_rate_limits` ({@link PostgresOperationStore.quotaCounter}),
 *   shared by every instance on the database.
 * - The push part of the port is `store.webhooks` ({@link PostgresWebhookStore}), on the same pool.
 */
import type { ClientBase, PoolClient, PoolConfig } from 'pg';
import pg from 'pg';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { decodeCursor, encodeCursor } from '../../operations/cursor.ts';
import { newId } from '../../operations/ids.ts';
import { type OperationLogger, silentLogger } from '../../operations/logger.ts';
import type { OperationRecord, StoredProblem } from '../../operations/model.ts';
import type {
  CancelRequestOutcome,
  Claim,
  ClaimRequest,
  CreateOperationCommand,
  CreateOperationOutcome,
  DeliverActionOutcome,
  EndAndClaimResult,
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
  endingFromSeen,
  holdsLease,
  patchedRecord,
  recoveredRecord,
} from '../../operations/transitions.ts';
import { canonicalInstant, instant } from '../sql/instants.ts';
import { ENDING_COLUMNS } from '../sql/operation-columns.ts';
import { advisoryKey, lockUntilCommit } from './advisory-lock.ts';
import { migrate } from './migrations.ts';
import { NotifyChangeSource, type NotifyChangeSourceOptions } from './notify-change-source.ts';
import {
  OPERATION_COLUMNS,
  OPERATION_SELECT,
  type OperationRow,
  operationValues,
  RESOURCE_SELECT,
  type ResourceRow,
  toRecord,
  toResourceRecord,
} from './operation-row.ts';
import { hasNul } from './postgres-text.ts';
import { PostgresWebhookStore } from './postgres-webhook-store.ts';
import { postgresQuotaCounter, type QuotaCounterOptions } from './rate-limit-table.ts';
import { guardPoolQueries, inTransaction, withClient } from './transaction.ts';

/** Default {@link PostgresStoreOptions.poolSize}. */
export const DEFAULT_POOL_SIZE = 10;

/** Default {@link PostgresStoreOptions.idleInTransactionTimeoutMs}. */
export const DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS = 5_000;
/** How long opening a PostgreSQL connection, or waiting for a pooled one, may take by default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** The session setting that names the writing instance in change notifications. */
export const ORIGIN_SETTING = 'longrun.origin';

/** How {@link createPostgresStore} connects. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (libpq URI form). */
  connectionString: string;
  /** Most connections this process opens (plus one for LISTEN). @default 10 */
  poolSize?: number | undefined;
  /**
   * Names this process in `pg_stat_activity` and as the origin of its change notifications, which
   * its own {@link NotifyChangeSource} skips. @default a random `inst_…` id
   */
  instanceId?: string | undefined;
  /**
   * How long a connection may sit idle inside a transaction before PostgreSQL ends its session.
   * This store never pauses inside a transaction, so only a frozen or partitioned process hits it:
   * its row locks are then released, instead of holding up recovery and cancels for as long as it
   * stays frozen. @default 5_000
   */
  idleInTransactionTimeoutMs?: number | undefined;
  /**
   * How long opening a connection may take (TCP, TLS and PostgreSQL's start-up), and how long a
   * request waits for a free one in the pool, before it fails as the database being unavailable
   * (a `503` for an HTTP request). Without it, a database host that drops packets, or a proxy that
   * accepts and never answers, would hold every request and background loop forever.
   * @default 10_000
   */
  connectTimeoutMs?: number | undefined;
  /** Apply missing migrations at start. @default true */
  migrate?: boolean | undefined;
  /** @default silentLogger */
  logger?: OperationLogger | undefined;
}

/**
 * Connects to PostgreSQL, applies the migrations the database lacks, and returns the store.
 *
 * @example
 * const store = await createPostgresStore({ connectionString: process.env.DATABASE_URL });
 * const engine = createEngine({ store, kinds, changeSource: store.changeSource() });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresOperationStore> {
  const store = new PostgresOperationStore(options);
  try {
    if (options.migrate !== false) await store.migrate();
    else await store.ping();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** {@link OperationStore} on a PostgreSQL connection pool. Build it with {@link createPostgresStore}. */
export class PostgresOperationStore implements OperationStore, WebhookStoreProvider {
  readonly name = 'postgres';
  /** The origin this process's writes carry in change notifications. */
  readonly instanceId: string;
  /** The push part of the port (subscriptions, callback secrets, the delivery queue), on the same pool. */
  readonly webhooks: PostgresWebhookStore;
  readonly #pool: pg.Pool;
  readonly #config: PoolConfig;
  readonly #logger: OperationLogger;
  /** Simple creates waiting for the next batch insert (see {@link #insert}). */
  #inserts: PendingInsert[] = [];
  /** The batch inserts in progress, until none is waiting: {@link close} waits for them. */
  #insertsFlushed: Promise<void> | undefined;
  #closed: Promise<void> | undefined;

  /** Opens a pool (lazily connecting); prefer {@link createPostgresStore}, which also migrates. */
  constructor(options: PostgresStoreOptions) {
    this.instanceId = options.instanceId ?? newId('inst');
    this.#logger = options.logger ?? silentLogger;
    this.#config = {
      connectionString: options.connectionString,
      fallback_application_name: `longrun ${this.instanceId}`,
      keepAlive: true,
      connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    };
    this.#pool = new pg.Pool({
      ...this.#config,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      // Awaited before the connection is first handed out: every write carries this instance as
      // the origin of its change notification (see the `operations_notify_change` trigger).
      onConnect: async (client) => {
        await client.query('SELECT set_config($1, $2, false)', [ORIGIN_SETTING, this.instanceId]);
      },
    });
    // An idle connection that breaks (database restart, network) must not crash the process: the
    // pool drops it and opens another on the next checkout.
    this.#pool.on('error', (error) => this.#logger.warn({ err: error }, 'an idle PostgreSQL connection failed'));
    guardPoolQueries(this.#pool);
    this.webhooks = new PostgresWebhookStore(this.#pool);
  }

  /** Applies the migrations the database lacks; returns the versions applied now. */
  async migrate(): Promise<number[]> {
    return withClient(this.#pool, migrate);
  }

  /**
   * A counter of request quotas in this database, on this store's pool: every instance on the
   * database shares its counts (see `rate-limit-table.ts`).
   */
  quotaCounter(options: QuotaCounterOptions): RateLimiterAbstract {
    return postgresQuotaCounter(this.#pool, options);
  }

  /** Resolves once the database answers. */
  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  /**
   * A {@link NotifyChangeSource} on this database that skips this store's own changes (the engine
   * publishes those itself): pass it to the engine as `changeSource`.
   */
  changeSource(
    options: Partial<Omit<NotifyChangeSourceOptions, 'connection' | 'pool' | 'origin'>> = {},
  ): NotifyChangeSource {
    return new NotifyChangeSource({
      connection: { ...this.#config, fallback_application_name: `longrun listener ${this.instanceId}` },
      pool: this.#pool,
      origin: this.instanceId,
      logger: this.#logger,
      ...options,
    });
  }

  async createOperation(command: CreateOperationCommand): Promise<CreateOperationOutcome> {
    const { operation, idempotency, resource } = command;
    const now = canonicalInstant(operation.createdAt, 'operation.createdAt');
    const record = acceptedRecord(operation);
    if (idempotency === undefined && operation.lockKey == null && resource === undefined) {
      // Nothing to check and one row to write: one statement, shared with the creates of the
      // same turn of the event loop.
      return { outcome: 'created', operation: await this.#insert(record) };
    }
    return this.#transaction(async (client) => {
      const locks: bigint[] = [];
      if (idempotency !== undefined) locks.push(advisoryKey('idempotency', operation.tenant, idempotency.key));
      if (operation.lockKey != null) locks.push(advisoryKey('lock', operation.tenant, operation.lockKey));
      // Always in the same order, so two creates holding one key each cannot deadlock.
      locks.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      for (const key of locks) await lockUntilCommit(client, key);

      if (idempotency !== undefined) {
        // A key expired by the time of this request counts as absent and is taken over below.
        const { rows } = await client.query<OperationRow & { fingerprint: string }>(
          `SELECT k.fingerprint, ${prefixed('o', OPERATION_COLUMNS)}
           FROM idempotency_keys k JOIN operations o ON o.id = k.operation_id
           WHERE k.tenant = $1 AND k.key = $2 AND k.expires_at > $3`,
          [operation.tenant, idempotency.key, now],
        );
        const seen = rows[0];
        if (seen !== undefined) {
          return seen.fingerprint === idempotency.fingerprint
            ? { outcome: 'replayed' as const, operation: toRecord(seen) }
            : { outcome: 'idempotency-mismatch' as const, operation: toRecord(seen) };
        }
      }
      if (operation.lockKey != null) {
        const { rows } = await client.query<OperationRow>(
          `SELECT ${OPERATION_SELECT} FROM operations
           WHERE tenant = $1 AND lock_key = $2 AND lock_key IS NOT NULL AND state IN ('queued', 'running')`,
          [operation.tenant, operation.lockKey],
        );
        const pending = rows[0];
        if (pending !== undefined) return { outcome: 'locked' as const, pending: toRecord(pending) };
      }
      const { rows } = await client.query<OperationRow>(insertOperationSql, operationValues(record));
      if (idempotency !== undefined) {
        await client.query(
          `INSERT INTO idempotency_keys (tenant, key, fingerprint, operation_id, expires_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (tenant, key) DO UPDATE SET
             fingerprint = excluded.fingerprint, operation_id = excluded.operation_id,
             expires_at = excluded.expires_at, created_at = excluded.created_at`,
          [
            operation.tenant,
            idempotency.key,
            idempotency.fingerprint,
            operation.id,
            instant(idempotency.expiresAt, 'idempotency.expiresAt'),
            now,
          ],
        );
      }
      if (resource !== undefined) {
        await client.query(`INSERT INTO resources (${RESOURCE_SELECT}) VALUES ($1, $2, $3, $4, $5, $6, $6)`, [
          operation.tenant,
          resource.collection,
          resource.id,
          JSON.stringify(resource.body),
          operation.id,
          now,
        ]);
      }
      return { outcome: 'created' as const, operation: toRecord(single(rows)) };
    });
  }

  async getOperation(tenant: string, id: string): Promise<OperationRecord | undefined> {
    if (hasNul(tenant, id)) {
      // Still asks the database: a read of a key that cannot exist is how `/healthz` probes it.
      await this.ping();
      return undefined;
    }
    const { rows } = await this.#pool.query<OperationRow>({
      name: 'longrun_get_operation',
      text: `SELECT ${OPERATION_SELECT} FROM operations WHERE id = $1 AND tenant = $2`,
      values: [id, tenant],
    });
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  async listOperations(query: ListOperationsQuery): Promise<OperationPage> {
    if (!Number.isInteger(query.limit) || query.limit < 1)
      throw new RangeError(`list limit must be a positive integer: ${query.limit}`);
    const after = query.after === undefined ? undefined : decodeCursor(query.after);
    if (hasNul(query.tenant, query.kind ?? '', after ?? '')) return { items: [], next: null };
    const params: unknown[] = [query.tenant];
    const where = ['tenant = $1'];
    if (query.state !== undefined) where.push(`state = $${params.push(query.state)}`);
    if (query.kind !== undefined) where.push(`kind = $${params.push(query.kind)}`);
    if (after !== undefined) where.push(`id < $${params.push(after)}`);
    // One more than asked tells whether a next page exists.
    const limit = `$${params.push(query.limit + 1)}`;
    const { rows } = await this.#pool.query<OperationRow>(
      `SELECT ${OPERATION_SELECT} FROM operations WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${limit}`,
      params,
    );
    const items = rows.slice(0, query.limit).map(toRecord);
    const last = items.at(-1);
    return { items, next: rows.length > query.limit && last !== undefined ? encodeCursor(last.id) : null };
  }

  async claimNext(owner: string, kinds: readonly string[], leaseMs: number, now: Date): Promise<Claim | undefined> {
    return (await this.claimBatch(owner, kinds, leaseMs, now, 1))[0];
  }

  async claimBatch(
    owner: string,
    kinds: readonly string[],
    leaseMs: number,
    now: Date,
    limit: number,
  ): Promise<Claim[]> {
    const deadline = leaseDeadline(now, leaseMs);
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`claim limit must be a positive integer: ${limit}`);
    if (kinds.length === 0 || hasNul(owner)) return [];
    // One statement, one round trip, however many are claimed. SKIP LOCKED passes over rows
    // another worker is claiming right now instead of waiting for them (docs/decisions/0001).
    const { rows } = await this.#pool.query<OperationRow>({
      name: 'longrun_claim_operations',
      text: claimOperationsSql,
      values: [kinds, limit, owner, deadline, now.toISOString()],
    });
    return toClaims(rows, owner);
  }

  async renewLease(lease: Lease, leaseMs: number, now: Date): Promise<boolean> {
    const deadline = leaseDeadline(now, leaseMs);
    if (hasNul(lease.operationId, lease.owner)) return false;
    // Fenced: only the holder of this attempt extends it. Same version, so no notification.
    const { rowCount } = await this.#pool.query({
      name: 'longrun_renew_lease',
      text: `UPDATE operations SET lease_expires_at = $4
       WHERE id = $1 AND state = 'running' AND lease_owner = $2 AND attempts = $3`,
      values: [lease.operationId, lease.owner, lease.attempt, deadline],
    });
    return rowCount === 1;
  }

  async updateOperation(
    lease: Lease,
    patch: OperationPatch,
    now: Date,
    resources?: readonly PublishedResource[],
  ): Promise<OperationRecord | undefined> {
    if (hasNul(lease.operationId, lease.owner)) return undefined;
    return this.#transaction(async (client) => {
      // The fencing check runs on the locked row: recovery and another claim wait for this commit.
      const record = await lockedOperation(client, 'id = $1 AND state = $2 AND lease_owner = $3 AND attempts = $4', [
        lease.operationId,
        'running',
        lease.owner,
        lease.attempt,
      ]);
      if (record === undefined || !holdsLease(record, lease)) return undefined;
      const { record: next, publish } = patchedRecord(record, patch, now);
      const saved = await saveOperation(client, next);
      if (publish && resources !== undefined) {
        for (const resource of resources) {
          await upsertResource(client, { ...resource, tenant: record.tenant, operationId: record.id }, now);
        }
      }
      return saved;
    });
  }

  async updateOperations(
    writes: readonly LeasedWrite[],
    now: Date,
  ): Promise<PromiseSettledResult<OperationRecord | undefined>[]> {
    return (await this.#endAndClaim(writes, undefined, now)).results;
  }

  async updateOperationsAndClaim(
    writes: readonly LeasedWrite[],
    claim: ClaimRequest,
    now: Date,
  ): Promise<EndAndClaimResult> {
    const { results, claims } = await this.#endAndClaim(writes, claim, now);
    return { results, claims: claims ?? { status: 'rejected', reason: new Error('the claim was not made') } };
  }

  /**
   * The endings computed from the record each worker last saw go out in one statement, each
   * applied only if its row is still that version under that lease (compare-and-set under the row
   * lock), and `claim`, when asked, is made in that same statement: one round trip for a runner's
   * batch. The writes it could not make that way are then made one by one, reading the row; a
   * claim not made (no fast ending, or the statement failed) is made on its own.
   */
  async #endAndClaim(
    writes: readonly LeasedWrite[],
    claim: ClaimRequest | undefined,
    now: Date,
  ): Promise<{ results: PromiseSettledResult<OperationRecord | undefined>[]; claims?: PromiseSettledResult<Claim[]> }> {
    const results: (PromiseSettledResult<OperationRecord | undefined> | undefined)[] = writes.map(() => undefined);
    let claims: PromiseSettledResult<Claim[]> | undefined;
    const fast: { index: number; expected: number; next: OperationRecord }[] = [];
    writes.forEach((write, index) => {
      const next = endingFromSeenHere(write, now);
      if (next !== undefined) fast.push({ index, expected: write.seen?.version ?? 0, next });
    });
    const claimValues = claim === undefined ? undefined : this.#claimValues(claim, now);
    if (fast.length > 0) {
      try {
        const columns = ENDING_COLUMNS.map(() => [] as unknown[]);
        const ids: string[] = [];
        const expected: number[] = [];
        const owners: string[] = [];
        const attempts: number[] = [];
        for (const { index, expected: version, next } of fast) {
          const lease = (writes[index] as LeasedWrite).lease;
          ids.push(lease.operationId);
          expected.push(version);
          owners.push(lease.owner);
          attempts.push(lease.attempt);
          const values = operationValues(next);
          ENDING_INDEXES.forEach((at, i) => {
            columns[i]?.push(values[at]);
          });
        }
        const endings = [ids, expected, owners, attempts, ...columns];
        const { rows } =
          claimValues === undefined || claimValues.length === 0
            ? await this.#pool.query<OperationRow>({
                name: 'longrun_end_operations',
                text: endOperationsSql,
                values: endings,
              })
            : await this.#pool.query<OperationRow & { claimed: boolean }>({
                name: 'longrun_end_and_claim_operations',
                text: endAndClaimOperationsSql,
                values: [...endings, ...claimValues],
              });
        const written = new Map<string, OperationRecord>();
        const claimed: OperationRow[] = [];
        for (const row of rows) {
          if ('claimed' in row && row.claimed) claimed.push(row);
          else written.set(row.id, toRecord(row));
        }
        if (claim !== undefined && claimValues !== undefined && claimValues.length > 0) {
          claims = { status: 'fulfilled', value: toClaims(claimed, claim.owner) };
        }
        for (const { index } of fast) {
          const record = written.get((writes[index] as LeasedWrite).lease.operationId);
          // Not written: the row moved on (a cancel request, an action) or the lease was lost; the
          // read-then-write below decides which.
          if (record !== undefined) results[index] = { status: 'fulfilled', value: record };
        }
      } catch (error) {
        // The statement failed as a whole (a connection error): each write is tried on its own.
        this.#logger.warn({ err: error }, 'writing a batch of operation endings failed; writing them one by one');
      }
    }
    const [rest, alone] = await Promise.all([
      Promise.allSettled(
        writes.map((write, index) =>
          results[index] === undefined
            ? this.updateOperation(write.lease, write.patch, now, write.resources)
            : Promise.resolve(undefined),
        ),
      ),
      claim === undefined || claims !== undefined
        ? undefined
        : this.claimBatch(claim.owner, claim.kinds, claim.leaseMs, now, claim.limit).then(
            (value): PromiseSettledResult<Claim[]> => ({ status: 'fulfilled', value }),
            (reason: unknown): PromiseSettledResult<Claim[]> => ({ status: 'rejected', reason }),
          ),
    ]);
    return {
      results: rest.map((settled, index) => results[index] ?? settled),
      ...(claim === undefined ? {} : { claims: claims ?? alone }),
    };
  }

  /**
   * The parameters of a claim ($1 kinds, $2 limit, $3 owner, $4 lease deadline, $5 now), or an
   * empty list when it cannot claim anything (no kinds, an owner no row can hold); throws as
   * {@link claimBatch} does for a bad limit or lease.
   */
  #claimValues(claim: ClaimRequest, now: Date): unknown[] {
    const deadline = leaseDeadline(now, claim.leaseMs);
    if (!Number.isInteger(claim.limit) || claim.limit < 1)
      throw new RangeError(`claim limit must be a positive integer: ${claim.limit}`);
    if (claim.kinds.length === 0 || hasNul(claim.owner)) return [];
    return [claim.kinds, claim.limit, claim.owner, deadline, now.toISOString()];
  }

  async requestCancel(tenant: string, id: string, now: Date): Promise<CancelRequestOutcome | undefined> {
    if (hasNul(tenant, id)) return undefined;
    return this.#transaction(async (client) => {
      const record = await lockedOperation(client, 'id = $1 AND tenant = $2', [id, tenant]);
      if (record === undefined) return undefined;
      const change = cancelledRecord(record, now);
      if (change.outcome === 'terminal') return { outcome: 'terminal' as const, operation: change.record };
      const operation = change.changed ? await saveOperation(client, change.record) : change.record;
      return { outcome: change.outcome, operation };
    });
  }

  async deliverAction(
    tenant: string,
    id: string,
    action: string,
    payload: unknown,
    now: Date,
  ): Promise<DeliverActionOutcome | undefined> {
    if (hasNul(tenant, id)) return undefined;
    return this.#transaction(async (client): Promise<DeliverActionOutcome | undefined> => {
      // Checked under the row lock: a racing delivery from any process waits, then sees this one's.
      const record = await lockedOperation(client, 'id = $1 AND tenant = $2', [id, tenant]);
      if (record === undefined) return undefined;
      const change = actionRecord(record, action, payload, now);
      if (change.outcome !== 'delivered') return { outcome: change.outcome, operation: change.record };
      return { outcome: 'delivered', operation: await saveOperation(client, change.record) };
    });
  }

  recoverExpiredLeases(now: Date, maxAttempts: number, problem: StoredProblem): Promise<OperationRecord[]> {
    return this.#transaction(async (client) => {
      // SKIP LOCKED: a row locked now is being written by its worker (or recovered by another
      // process); the next sweep sees it again if its lease is still expired then.
      const { rows } = await client.query<OperationRow>(
        `SELECT ${OPERATION_SELECT} FROM operations
         WHERE state = 'running' AND lease_expires_at < $1
         ORDER BY lease_expires_at, id
         FOR UPDATE SKIP LOCKED`,
        [now.toISOString()],
      );
      const recovered: OperationRecord[] = [];
      for (const row of rows)
        recovered.push(await saveOperation(client, recoveredRecord(toRecord(row), maxAttempts, problem, now)));
      return recovered;
    });
  }

  async getResource(tenant: string, collection: string, id: string): Promise<ResourceRecord | undefined> {
    if (hasNul(tenant, collection, id)) return undefined;
    const { rows } = await this.#pool.query<ResourceRow>(
      `SELECT ${RESOURCE_SELECT} FROM resources WHERE tenant = $1 AND collection = $2 AND id = $3`,
      [tenant, collection, id],
    );
    return rows[0] === undefined ? undefined : toResourceRecord(rows[0]);
  }

  async putResource(resource: Omit<ResourceRecord, 'createdAt' | 'updatedAt'>, now: Date): Promise<ResourceRecord> {
    return withClient(this.#pool, (client) => upsertResource(client, resource, now));
  }

  async queueStats(): Promise<QueueStats> {
    const { rows } = await this.#pool.query<{ queued: string; running: string; oldest: Date | string | null }>(
      `SELECT count(*) FILTER (WHERE state = 'queued') AS queued,
              count(*) FILTER (WHERE state = 'running') AS running,
              min(created_at) FILTER (WHERE state = 'queued') AS oldest
       FROM operations WHERE state IN ('queued', 'running')`,
    );
    const row = rows[0];
    const oldest = row?.oldest ?? null;
    return {
      queued: Number(row?.queued ?? 0),
      running: Number(row?.running ?? 0),
      oldestQueuedAt: oldest === null ? null : new Date(oldest).toISOString(),
    };
  }

  deleteExpired(finishedBefore: Date, now: Date): Promise<number> {
    return this.#transaction(async (client) => {
      // Their idempotency keys go with them (ON DELETE CASCADE).
      const { rowCount } = await client.query(
        `DELETE FROM operations
         WHERE finished_at < $1 AND finished_at IS NOT NULL AND state IN ('succeeded', 'failed', 'cancelled')`,
        [finishedBefore.toISOString()],
      );
      await client.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [now.toISOString()]);
      return rowCount ?? 0;
    });
  }

  /** Waits for queries in flight (and creates waiting for their batch), then closes every connection. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      while (this.#insertsFlushed !== undefined) await this.#insertsFlushed;
      await this.#pool.end();
    })();
    return this.#closed;
  }

  /**
   * Inserts `record` together with the other inserts asked in this turn of the event loop, or,
   * while a batch insert is in flight, with those asked until it ends: one statement (and one
   * commit) per batch, one batch at a time. A batch that fails as a whole (a duplicate id) is
   * retried row by row, so each create succeeds or fails on its own, as if alone.
   */
  #insert(record: OperationRecord): Promise<OperationRecord> {
    return new Promise((resolve, reject) => {
      this.#inserts.push({ record, resolve, reject });
      this.#insertsFlushed ??= this.#flushInserts();
    });
  }

  async #flushInserts(): Promise<void> {
    try {
      // The creates of this turn of the event loop go together.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.#inserts.length > 0) {
        const batch = this.#inserts;
        this.#inserts = [];
        await this.#insertBatch(batch);
      }
    } finally {
      this.#insertsFlushed = undefined;
    }
  }

  async #insertBatch(batch: PendingInsert[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const columns = OPERATION_COLUMNS.map(() => [] as unknown[]);
        for (const { record } of batch) {
          operationValues(record).forEach((value, i) => {
            columns[i]?.push(value);
          });
        }
        const { rows } = await this.#pool.query<OperationRow>({
          name: 'longrun_insert_operations',
          text: insertOperationsSql,
          values: columns,
        });
        const inserted = new Map(rows.map((row) => [row.id, row]));
        for (const { record, resolve, reject } of batch) {
          const row = inserted.get(record.id);
          if (row === undefined) reject(new Error('the batch insert returned no row for an operation'));
          else resolve(toRecord(row));
        }
        return;
      } catch {
        // One bad row fails the statement: each is tried alone below and fails, or not, on its own.
      }
    }
    await Promise.all(
      batch.map(async ({ record, resolve, reject }) => {
        try {
          const { rows } = await this.#pool.query<OperationRow>({
            name: 'longrun_insert_operation',
            text: insertOperationSql,
            values: operationValues(record),
          });
          resolve(toRecord(single(rows)));
        } catch (error) {
          reject(error);
        }
      }),
    );
  }

  /** Runs `work` in a transaction on one pooled connection; rolls back when it throws. */
  #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, work);
  }
}

/**
 * Claims up to $2 queued operations of the kinds $1 for owner $3 until $4, at $5: the change of
 * the core's `claimedRecord` (running, version + 1, attempts + 1, leased, `startedAt` on the first
 * claim), written in SQL so that a batch costs one statement. The conformance suite holds the two
 * to the same record.
 */
const claimOperationsSql = `WITH picked AS (
    SELECT id FROM operations
    WHERE state = 'queued' AND kind = ANY ($1::text[])
    ORDER BY created_at, id LIMIT $2
    FOR UPDATE SKIP LOCKED
  )
  UPDATE operations o SET state = 'running', version = o.version + 1, attempts = o.attempts + 1,
    lease_owner = $3, lease_expires_at = $4, started_at = coalesce(o.started_at, $5), updated_at = $5
  FROM picked WHERE o.id = picked.id
  RETURNING ${prefixed('o', OPERATION_COLUMNS)}`;

/** The SQL type of each column (see migrations.ts): what a value bound as text is cast to. */
const COLUMN_TYPES: Record<(typeof OPERATION_COLUMNS)[number], string> = {
  id: 'text',
  tenant: 'text',
  kind: 'text',
  state: 'text',
  version: 'integer',
  input: 'json',
  request: 'json',
  progress: 'json',
  steps: 'json',
  estimated_completion_at: 'timestamptz',
  result: 'json',
  product: 'json',
  related: 'json',
  error: 'json',
  cancel_requested: 'boolean',
  lock_key: 'text',
  callback_url: 'text',
  actions: 'json',
  attempts: 'integer',
  lease_owner: 'text',
  lease_expires_at: 'timestamptz',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  started_at: 'timestamptz',
  finished_at: 'timestamptz',
};

/** A create waiting for its turn's batch insert. */
interface PendingInsert {
  record: OperationRecord;
  resolve: (record: OperationRecord) => void;
  reject: (error: unknown) => void;
}

/**
 * Inserts a batch of operations: one array per column, bound as text and cast per column (JSON
 * stays verbatim, as in the one-row insert).
 */
const insertOperationsSql = `INSERT INTO operations (${OPERATION_SELECT})
  SELECT ${OPERATION_COLUMNS.map((c) => `r.${c}::${COLUMN_TYPES[c]}`).join(', ')}
  FROM unnest(${OPERATION_COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS r (${OPERATION_SELECT})
  RETURNING ${OPERATION_SELECT}`;

/** Positions of the ending columns in {@link OPERATION_COLUMNS}. */
const ENDING_INDEXES = ENDING_COLUMNS.map((c) => OPERATION_COLUMNS.indexOf(c));

/**
 * Writes a batch of endings: one row per lease ($1 ids, $2 the versions the workers saw, $3 owners,
 * $4 attempts, then one array per ending column), each only where the row is still running under
 * that lease at that version. Arrays go as text and are cast per column (JSON stays verbatim).
 */
const endOperationsSql = `UPDATE operations o SET ${ENDING_COLUMNS.map((c) => `${c} = e.${c}::${COLUMN_TYPES[c]}`).join(
  ', ',
)}
  FROM unnest($1::text[], $2::integer[], $3::text[], $4::integer[], ${ENDING_COLUMNS.map(
    (_, i) => `$${i + 5}::text[]`,
  ).join(', ')}) AS e (id, expected, owner, attempt, ${ENDING_COLUMNS.join(', ')})
  WHERE o.id = e.id AND o.version = e.expected AND o.state = 'running'
    AND o.lease_owner = e.owner AND o.attempts = e.attempt
  RETURNING ${prefixed('o', OPERATION_COLUMNS)}`;

/**
 * A batch of endings ({@link endOperationsSql}, parameters $1–$17) and a claim
 * ({@link claimOperationsSql}, its parameters from $18) in one statement: one round trip for a
 * runner that ends a batch and takes the next. The two touch different rows (the ended ones are
 * running, the claimed ones queued), and `claimed` tells the returned rows apart.
 */
const endAndClaimOperationsSql = (() => {
  const claimAt = ENDING_COLUMNS.length + 5;
  const p = (n: number) => `$${claimAt + n - 1}`;
  return `WITH ended AS (
    ${endOperationsSql}
  ), picked AS (
    SELECT id FROM operations
    WHERE state = 'queued' AND kind = ANY (${p(1)}::text[])
    ORDER BY created_at, id LIMIT ${p(2)}
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE operations o SET state = 'running', version = o.version + 1, attempts = o.attempts + 1,
      lease_owner = ${p(3)}, lease_expires_at = ${p(4)}, started_at = coalesce(o.started_at, ${p(5)}), updated_at = ${p(5)}
    FROM picked WHERE o.id = picked.id
    RETURNING ${prefixed('o', OPERATION_COLUMNS)}
  )
  SELECT false AS claimed, * FROM ended
  UNION ALL
  SELECT true AS claimed, * FROM claimed`;
})();

/** {@link endingFromSeen}, for a lease PostgreSQL's text can hold (a NUL is read and refused instead). */
function endingFromSeenHere(write: LeasedWrite, now: Date): OperationRecord | undefined {
  return hasNul(write.lease.operationId, write.lease.owner) ? undefined : endingFromSeen(write, now);
}

const insertOperationSql = `INSERT INTO operations (${OPERATION_SELECT})
  VALUES (${OPERATION_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
  RETURNING ${OPERATION_SELECT}`;

/** Columns a worker or the engine may change after insert. */
const MUTABLE_COLUMNS = OPERATION_COLUMNS.filter(
  (c) => c !== 'id' && c !== 'tenant' && c !== 'kind' && c !== 'created_at',
);

const updateOperationSql = `UPDATE operations SET ${MUTABLE_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')}
  WHERE id = $1 RETURNING ${OPERATION_SELECT}`;

/** Positions of the mutable columns in {@link OPERATION_COLUMNS}. */
const MUTABLE_INDEXES = MUTABLE_COLUMNS.map((c) => OPERATION_COLUMNS.indexOf(c));

/** The row matching `where`, locked until the transaction ends, or undefined. */
async function lockedOperation(
  client: ClientBase,
  where: string,
  params: unknown[],
  lock = 'FOR UPDATE',
): Promise<OperationRecord | undefined> {
  const { rows } = await client.query<OperationRow>(
    `SELECT ${OPERATION_SELECT} FROM operations WHERE ${where} ${lock}`,
    params,
  );
  return rows[0] === undefined ? undefined : toRecord(rows[0]);
}

/** Writes `record` over its row; returns it as a read would. */
async function saveOperation(client: ClientBase, record: OperationRecord): Promise<OperationRecord> {
  const values = operationValues(record);
  const { rows } = await client.query<OperationRow>(updateOperationSql, [
    record.id,
    ...MUTABLE_INDEXES.map((i) => values[i]),
  ]);
  return toRecord(single(rows));
}

/** Creates or replaces a resource body, keeping `createdAt` on replace. */
async function upsertResource(
  client: ClientBase,
  resource: Omit<ResourceRecord, 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<ResourceRecord> {
  const { rows } = await client.query<ResourceRow>(
    `INSERT INTO resources (${RESOURCE_SELECT}) VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (tenant, collection, id) DO UPDATE SET
       body = excluded.body, operation_id = excluded.operation_id, updated_at = excluded.updated_at
     RETURNING ${RESOURCE_SELECT}`,
    [
      resource.tenant,
      resource.collection,
      resource.id,
      JSON.stringify(resource.body),
      resource.operationId,
      now.toISOString(),
    ],
  );
  return toResourceRecord(single(rows));
}

/** Claimed rows as claims of `owner`, oldest first, as they were queued (RETURNING keeps no order). */
function toClaims(rows: OperationRow[], owner: string): Claim[] {
  rows.sort(queueOrder);
  return rows.map((row) => {
    const operation = toRecord(row);
    return { operation, lease: { operationId: operation.id, owner, attempt: operation.attempts } };
  });
}

function prefixed(alias: string, columns: readonly string[]): string {
  return columns.map((c) => `${alias}.${c}`).join(', ');
}

/** Queue order: `created_at`, then `id` (byte-wise, as the column's collation). */
function queueOrder(a: OperationRow, b: OperationRow): number {
  const at = new Date(a.created_at).getTime() - new Date(b.created_at).getTime();
  return at !== 0 ? at : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function single<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected the statement to return a row');
  return row;
}

function leaseDeadline(now: Date, leaseMs: number): string {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new RangeError(`lease duration must be positive: ${leaseMs}`);
  return new Date(now.getTime() + leaseMs).toISOString();
}
