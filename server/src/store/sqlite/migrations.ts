/**
 * The SQLite schema as an ordered list of versioned migrations, applied at open.
 *
 * Applied versions are recorded in `schema_migrations`; opening applies the missing ones in one
 * `BEGIN IMMEDIATE` transaction, so two processes opening the same file at once cannot both
 * migrate. Released migrations are never edited: a schema change is a new entry at the end.
 */
import type { Database } from 'better-sqlite3';
import { type Migration, pendingMigrations } from '../sql/migration-plan.ts';
import { DELIVERY_INDEXES, OPERATION_INDEXES } from '../sql/shared-ddl.ts';

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'operations, idempotency keys and resources',
    sql: `
      CREATE TABLE operations (
        id TEXT PRIMARY KEY NOT NULL,
        tenant TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        version INTEGER NOT NULL CHECK (version >= 1),
        input TEXT NOT NULL,            -- JSON
        request TEXT NOT NULL,          -- JSON StoredRequest
        progress TEXT NOT NULL,         -- JSON { percent, message? }
        steps TEXT NOT NULL,            -- JSON StoredStep[]
        estimated_completion_at TEXT,
        result TEXT NOT NULL,           -- JSON (null when none)
        product TEXT,                   -- JSON StoredLink
        related TEXT NOT NULL,          -- JSON StoredLink[]
        error TEXT,                     -- JSON StoredProblem
        cancel_requested INTEGER NOT NULL CHECK (cancel_requested IN (0, 1)),
        lock_key TEXT,
        callback_url TEXT,
        actions TEXT NOT NULL,          -- JSON object, by action name
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        lease_owner TEXT,
        lease_expires_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      ) STRICT;

      -- One at a time: at most one active operation per (tenant, lock_key). The store checks first
      -- (to answer "locked" with the pending record); this index is the backstop across processes.
${OPERATION_INDEXES}
      CREATE TABLE idempotency_keys (
        tenant TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        -- Deleting an operation (retention) forgets its key too.
        operation_id TEXT NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (tenant, key)
      ) STRICT, WITHOUT ROWID;

      CREATE INDEX idempotency_keys_operation ON idempotency_keys (operation_id);
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

      -- Domain resources outlive the operation that made them: no foreign key.
      CREATE TABLE resources (
        tenant TEXT NOT NULL,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,             -- JSON object
        operation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant, collection, id)
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'webhook subscriptions, callback secrets and the delivery queue',
    sql: `
      CREATE TABLE webhook_subscriptions (
        id TEXT PRIMARY KEY NOT NULL,
        tenant TEXT NOT NULL,
        url TEXT NOT NULL,
        description TEXT,
        event_types TEXT NOT NULL,      -- JSON WebhookEventType[]
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at TEXT,
        state TEXT NOT NULL CHECK (state IN ('enabled', 'disabled')),
        disabled_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Lists (newest first by id) and the fan-out of appendMessage.
      CREATE INDEX webhook_subscriptions_by_tenant ON webhook_subscriptions (tenant, id);

      CREATE TABLE callback_secrets (
        tenant TEXT PRIMARY KEY NOT NULL,
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- The outbox: one row per monitor change worth pushing. No foreign key to operations:
      -- deliveries may outlive an operation deleted by retention.
      CREATE TABLE webhook_messages (
        id TEXT PRIMARY KEY NOT NULL,   -- msg_…, the webhook-id
        tenant TEXT NOT NULL,
        operation_id TEXT NOT NULL,
        operation_version INTEGER NOT NULL CHECK (operation_version >= 1),
        type TEXT NOT NULL,
        payload TEXT NOT NULL,          -- JSON monitor
        created_at TEXT NOT NULL
      ) STRICT;

      -- The latest message of an operation (appendMessage's check).
      CREATE UNIQUE INDEX webhook_messages_by_operation ON webhook_messages (operation_id, operation_version);

      CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,   -- delivery order per target and operation
        id TEXT NOT NULL UNIQUE,        -- dlv_…
        tenant TEXT NOT NULL,
        message_id TEXT NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
        operation_id TEXT NOT NULL,
        -- Deleting a subscription deletes its log and its queue.
        subscription_id TEXT REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        target TEXT NOT NULL,           -- the subscription id, or 'callback'
        url TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'dropped')),
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        next_attempt_at TEXT,           -- while pending
        lease_owner TEXT,
        lease_expires_at TEXT,
        last_attempt_at TEXT,
        last_status INTEGER,
        last_error TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;

${DELIVERY_INDEXES}    `,
  },
  {
    version: 3,
    name: 'a request body that is the input stored once',
    // Rows written before: the body is dropped from the request where it repeats the input (both
    // were written as the same JSON text), and marked so a read takes the input in its place.
    sql: `
      UPDATE operations
        SET request = json_set(json_remove(request, '$.body'), '$.bodyIsInput', json('true'))
        WHERE json_type(request, '$.body') IS NOT NULL AND (request -> '$.body') = json(input);
    `,
  },
  {
    version: 4,
    name: 'push messages queued with the operation change (the outbox)',
    // What a message's payload holds: the monitor as JSON (appended with it, and every message
    // queued before this release), or the operation row as JSON (queued by the change itself).
    sql: `
      ALTER TABLE webhook_messages ADD COLUMN payload_format TEXT NOT NULL DEFAULT 'monitor'
        CHECK (payload_format IN ('monitor', 'operation'));
    `,
  },
];

export { type Migration, SchemaTooNewError } from '../sql/migration-plan.ts';

/**
 * Applies the migrations `db` lacks and returns the versions applied now (empty when up to date).
 *
 * @param at Recorded as each migration's `applied_at`. @default the current time
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS, at: Date = new Date()): number[] {
  const applyPending = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`);
    const current =
      (db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number) ?? 0;
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const migration of pendingMigrations(migrations, current)) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, at.toISOString());
      applied.push(migration.version);
    }
    return applied;
  });
  return applyPending.immediate();
}
