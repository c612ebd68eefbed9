/**
 * The PostgreSQL schema as an ordered list of versioned migrations, applied at start.
 *
 * Applied versions are recorded in `longrun_schema_migrations`. Starting applies the missing ones
 * in one transaction under an advisory lock, so instances starting together on one database
 * migrate it once: the others wait, then find nothing left to do. Released migrations are never
 * edited: a schema change is a new entry at the end.
 *
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
import type { ClientBase } from 'pg';
import { type Migration, pendingMigrations } from '../sql/migration-plan.ts';
import { DELIVERY_INDEXES, OPERATION_INDEXES } from '../sql/shared-ddl.ts';
import { CALLBACK_TARGET } from '../sql/webhook-rows.ts';

/** The channel every committed operation change is announced on (see the `operations_changed` trigger). */
export const CHANGE_CHANNEL = 'longrun_operation_changes';

/**
 * The advisory lock key migrations run under: the first 8 bytes of sha256("longrun:migrations"),
 * in the same 64-bit hashed key space as the adapters' other advisory locks (see `advisory-lock.ts`).
 */
export const MIGRATION_LOCK_KEY = '-1993489011359081497';

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'operations, idempotency keys, resources and change notifications',
    sql: `
      -- Keys are compared byte-wise (COLLATE "C"): ids sort by creation time as plain ASCII, and
      -- cursor comparisons must agree with ORDER BY whatever the database's locale is.
      -- JSON is "json", not "jsonb": stored verbatim (key order, \\u0000 escapes), never queried into.
      CREATE TABLE operations (
        id text COLLATE "C" PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        kind text COLLATE "C" NOT NULL,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        version integer NOT NULL CHECK (version >= 1),
        input json NOT NULL,
        request json NOT NULL,
        progress json NOT NULL,
        steps json NOT NULL,
        estimated_completion_at timestamptz,
        result json NOT NULL,
        product json,
        related json NOT NULL,
        error json,
        cancel_requested boolean NOT NULL,
        lock_key text COLLATE "C",
        callback_url text,
        actions json NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0),
        lease_owner text,
        lease_expires_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        -- When the row last changed, by the database's clock (set by trigger): the cursor of the
        -- backstop poll that catches changes whose notification was lost.
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      -- One at a time: at most one active operation per (tenant, lock_key). createOperation checks
      -- first under an advisory lock (to answer "locked" with the holder); this is the backstop.
${OPERATION_INDEXES}
      -- The backstop poll of the change source.
      CREATE INDEX operations_changed ON operations (changed_at);

      CREATE TABLE idempotency_keys (
        tenant text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        fingerprint text NOT NULL,
        -- Deleting an operation (retention) forgets its key too.
        operation_id text COLLATE "C" NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant, key)
      );

      CREATE INDEX idempotency_keys_operation ON idempotency_keys (operation_id);
      CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

      -- Domain resources outlive the operation that made them: no foreign key.
      CREATE TABLE resources (
        tenant text COLLATE "C" NOT NULL,
        collection text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        body json NOT NULL,
        operation_id text COLLATE "C" NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant, collection, id)
      );

      -- Every change of an operation (a new version) stamps changed_at...
      CREATE FUNCTION longrun_stamp_operation_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.version IS DISTINCT FROM OLD.version THEN
          NEW.changed_at := clock_timestamp();
        END IF;
        RETURN NEW;
      END $$;

      CREATE TRIGGER operations_stamp_change BEFORE INSERT OR UPDATE ON operations
        FOR EACH ROW EXECUTE FUNCTION longrun_stamp_operation_change();

      -- ...and is announced on commit to every listening instance. A lease renewal (same version)
      -- is not a change of the monitor and is not announced. "origin" is the writing instance
      -- (the session setting longrun.origin), so it can skip the changes it made and published.
      CREATE FUNCTION longrun_notify_operation_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR NEW.version IS DISTINCT FROM OLD.version THEN
          PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object(
            'tenant', NEW.tenant,
            'id', NEW.id,
            'version', NEW.version,
            'state', NEW.state,
            'cancelRequested', NEW.cancel_requested,
            'origin', current_setting('longrun.origin', true)
          )::text);
        END IF;
        RETURN NULL;
      END $$;

      CREATE TRIGGER operations_notify_change AFTER INSERT OR UPDATE ON operations
        FOR EACH ROW EXECUTE FUNCTION longrun_notify_operation_change();
    `,
  },
  {
    version: 2,
    name: 'webhook subscriptions, callback secrets and the delivery queue',
    sql: `
      CREATE TABLE webhook_subscriptions (
        id text COLLATE "C" PRIMARY KEY,
        tenant text COLLATE "C" NOT NULL,
        url text NOT NULL,
        -- A JSON string (or NULL): "json" holds any text, NUL included, which "text" cannot.
        description json,
        -- Never empty; appendMessage's fan-out filters on it (type = ANY (event_types)).
        event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        state text NOT NULL CHECK (state IN ('enabled', 'disabled')),
        disabled_reason text CHECK (disabled_reason IN ('gone')),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      -- Lists (newest first by id), the per-tenant limit, and the fan-out of appendMessage.
      CREATE INDEX webhook_subscriptions_by_tenant ON webhook_subscriptions (tenant, id);

      CREATE TABLE callback_secrets (
        tenant text COLLATE "C" PRIMARY KEY,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );

      -- The outbox: one row per monitor change worth pushing. No foreign key to operations:
      -- deliveries may outlive an operation deleted by retention.
      CREATE TABLE webhook_messages (
        id text COLLATE "C" PRIMARY KEY,            -- msg_…, the webhook-id
        tenant text COLLATE "C" NOT NULL,
        operation_id text COLLATE "C" NOT NULL,
        operation_version integer NOT NULL CHECK (operation_version >= 1),
        type text NOT NULL,
        payload text NOT NULL,                      -- the monitor as JSON text, sent as stored
        created_at timestamptz NOT NULL
      );

      -- The latest message of an operation (appendMessage's check; its backstop against doubles).
      CREATE UNIQUE INDEX webhook_messages_by_operation ON webhook_messages (operation_id, operation_version);
      -- Retention: messages left without deliveries.
      CREATE INDEX webhook_messages_created ON webhook_messages (created_at);

      CREATE TABLE webhook_deliveries (
        -- Delivery order per target and operation: appendMessage inserts an operation's deliveries
        -- under a lock on the operation, so their seq order is their commit order.
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text COLLATE "C" NOT NULL UNIQUE,        -- dlv_…
        tenant text COLLATE "C" NOT NULL,
        message_id text COLLATE "C" NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
        operation_id text COLLATE "C" NOT NULL,
        -- Deleting a subscription deletes its log and its queue.
        subscription_id text COLLATE "C" REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        target text COLLATE "C" NOT NULL,           -- the subscription id, or 'callback'
        url text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'dropped')),
        attempts integer NOT NULL CHECK (attempts >= 0),
        next_attempt_at timestamptz,                -- while pending
        lease_owner text,
        lease_expires_at timestamptz,
        last_attempt_at timestamptz,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL,
        finished_at timestamptz
      );

${DELIVERY_INDEXES}    `,
  },
  {
    version: 3,
    name: 'a request body that is the input stored once',
    // Rows written before: the body is dropped from the request where it repeats the input, and
    // marked so a read takes the input in its place.
    sql: `
      UPDATE operations
        SET request = ((request::jsonb - 'body') || '{"bodyIsInput": true}'::jsonb)::json
        WHERE request::jsonb ? 'body' AND (request::jsonb -> 'body') = input::jsonb;
    `,
  },
  {
    version: 4,
    name: 'push messages queued with the operation change (the outbox)',
    // What a message's payload holds: the monitor as JSON (appended with it, and every message
    // queued before this release), or the operation row as JSON (queued by the change itself).
    // The trigger is the outbox: every write of an operation, whichever statement makes it (a
    // create, a batch claim, a batch of endings, a read-then-write), queues its push message and
    // deliveries in its own transaction when the monitor enters a new event type (the core's
    // enteredEventType, in SQL; the outbox conformance suite holds both to the same result).
    sql: `
      ALTER TABLE webhook_messages ADD COLUMN payload_format text NOT NULL DEFAULT 'monitor'
        CHECK (payload_format IN ('monitor', 'operation'));

      CREATE FUNCTION longrun_event_type(state text, steps json) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
          SELECT CASE
            WHEN state = 'running' AND EXISTS (
              SELECT 1 FROM json_array_elements(steps) AS step WHERE step ->> 'state' = 'waiting')
            THEN 'monitor.waiting'
            ELSE 'monitor.' || state
          END
        $$;

      CREATE FUNCTION longrun_queue_push_message() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event text := longrun_event_type(NEW.state, NEW.steps);
        message text := 'msg_' || regexp_replace(NEW.id, '^op_', '') || '_' || NEW.version;
        callback text := NEW.callback_url;
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          -- A lease renewal is no change; a change within the same event type is not pushed.
          IF NEW.version IS NOT DISTINCT FROM OLD.version THEN RETURN NULL; END IF;
          IF event = longrun_event_type(OLD.state, OLD.steps) THEN RETURN NULL; END IF;
        END IF;
        -- A callback that answered 410 Gone gets nothing more (its 410 is recorded under a lock on
        -- this row, which this write holds: one of the two commits first, and the other sees it).
        IF callback IS NOT NULL AND EXISTS (
          SELECT 1 FROM webhook_deliveries
          WHERE operation_id = NEW.id AND target = '${CALLBACK_TARGET}' AND last_status = 410) THEN
          callback := NULL;
        END IF;
        IF callback IS NULL AND NOT EXISTS (
          SELECT 1 FROM webhook_subscriptions
          WHERE tenant = NEW.tenant AND state = 'enabled' AND event = ANY (event_types)) THEN
          RETURN NULL;
        END IF;
        INSERT INTO webhook_messages (id, tenant, operation_id, operation_version, type, payload, payload_format, created_at)
          VALUES (message, NEW.tenant, NEW.id, NEW.version, event, row_to_json(NEW)::text, 'operation', NEW.updated_at)
          ON CONFLICT (id) DO NOTHING;
        IF NOT FOUND THEN RETURN NULL; END IF;
        -- The operation's row is locked by this write until commit, so the deliveries of its next
        -- change get a later seq: each endpoint is handed a monitor's events in order.
        INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
            attempts, next_attempt_at, created_at)
          SELECT 'dlv_' || replace(gen_random_uuid()::text, '-', ''), NEW.tenant, message, NEW.id, s.id, s.id, s.url,
            'pending', 0, NEW.updated_at, NEW.updated_at
          FROM webhook_subscriptions s
          WHERE s.tenant = NEW.tenant AND s.state = 'enabled' AND event = ANY (s.event_types)
          ORDER BY s.id
          -- A 410 disabling one of them waits for this commit, then drops what was queued here.
          FOR SHARE;
        IF callback IS NOT NULL THEN
          INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
              attempts, next_attempt_at, created_at)
            VALUES ('dlv_' || replace(gen_random_uuid()::text, '-', ''), NEW.tenant, message, NEW.id, NULL,
              '${CALLBACK_TARGET}', callback, 'pending', 0, NEW.updated_at, NEW.updated_at);
        END IF;
        RETURN NULL;
      END $$;

      -- Only where the event type may have changed: a new version with another state or other
      -- steps. Progress and lease renewals (most writes) never call the function.
      CREATE TRIGGER operations_queue_push_message AFTER INSERT ON operations
        FOR EACH ROW EXECUTE FUNCTION longrun_queue_push_message();
      CREATE TRIGGER operations_queue_push_message_on_change AFTER UPDATE ON operations
        FOR EACH ROW
        WHEN (NEW.version IS DISTINCT FROM OLD.version
          AND (NEW.state IS DISTINCT FROM OLD.state OR NEW.steps::text IS DISTINCT FROM OLD.steps::text))
        EXECUTE FUNCTION longrun_queue_push_message();
    `,
  },
  {
    version: 5,
    name: 'request quotas shared by every instance',
    // The table rate-limiter-flexible's RateLimiterPostgres counts in (see `rate-limit-table.ts`):
    // its columns, in its order, for it inserts by position. Made here, under the migration lock,
    // rather than by the library at start. UNLOGGED: a count is worth no WAL write per request, and
    // a crash or a failover that empties it only restarts every caller's window.
    sql: `
      CREATE UNLOGGED TABLE longrun_rate_limits (
        key text COLLATE "C" PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `,
  },
  {
    version: 6,
    name: 'the outbox trigger checks for someone to tell first',
    // The same messages and deliveries as migration 4's function, in the same cases. It ran on
    // every create and every change of state and computed the event types (a parse of the steps'
    // JSON for a running operation) and the message id before asking whether anyone listens; for a
    // tenant without a callback or a subscription, the common case, it was a quarter of the
    // database's time per operation end to end. It now asks that first (one index probe), and
    // computes the rest only for a change someone may be told of.
    sql: `
      CREATE OR REPLACE FUNCTION longrun_queue_push_message() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        event text;
        message text;
        callback text := NEW.callback_url;
      BEGIN
        -- A lease renewal is no change.
        IF TG_OP = 'UPDATE' AND NEW.version IS NOT DISTINCT FROM OLD.version THEN RETURN NULL; END IF;
        -- Nobody to tell: no callback, and no subscription of the tenant (any event type; the
        -- event's own check is below).
        IF callback IS NULL AND NOT EXISTS (
          SELECT 1 FROM webhook_subscriptions WHERE tenant = NEW.tenant AND state = 'enabled') THEN
          RETURN NULL;
        END IF;
        event := longrun_event_type(NEW.state, NEW.steps);
        -- A change within the same event type is not pushed.
        IF TG_OP = 'UPDATE' AND event = longrun_event_type(OLD.state, OLD.steps) THEN RETURN NULL; END IF;
        message := 'msg_' || regexp_replace(NEW.id, '^op_', '') || '_' || NEW.version;
        -- A callback that answered 410 Gone gets nothing more (its 410 is recorded under a lock on
        -- this row, which this write holds: one of the two commits first, and the other sees it).
        IF callback IS NOT NULL AND EXISTS (
          SELECT 1 FROM webhook_deliveries
          WHERE operation_id = NEW.id AND target = '${CALLBACK_TARGET}' AND last_status = 410) THEN
          callback := NULL;
        END IF;
        IF callback IS NULL AND NOT EXISTS (
          SELECT 1 FROM webhook_subscriptions
          WHERE tenant = NEW.tenant AND state = 'enabled' AND event = ANY (event_types)) THEN
          RETURN NULL;
        END IF;
        INSERT INTO webhook_messages (id, tenant, operation_id, operation_version, type, payload, payload_format, created_at)
          VALUES (message, NEW.tenant, NEW.id, NEW.version, event, row_to_json(NEW)::text, 'operation', NEW.updated_at)
          ON CONFLICT (id) DO NOTHING;
        IF NOT FOUND THEN RETURN NULL; END IF;
        -- The operation's row is locked by this write until commit, so the deliveries of its next
        -- change get a later seq: each endpoint is handed a monitor's events in order.
        INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
            attempts, next_attempt_at, created_at)
          SELECT 'dlv_' || replace(gen_random_uuid()::text, '-', ''), NEW.tenant, message, NEW.id, s.id, s.id, s.url,
            'pending', 0, NEW.updated_at, NEW.updated_at
          FROM webhook_subscriptions s
          WHERE s.tenant = NEW.tenant AND s.state = 'enabled' AND event = ANY (s.event_types)
          ORDER BY s.id
          -- A 410 disabling one of them waits for this commit, then drops what was queued here.
          FOR SHARE;
        IF callback IS NOT NULL THEN
          INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
              attempts, next_attempt_at, created_at)
            VALUES ('dlv_' || replace(gen_random_uuid()::text, '-', ''), NEW.tenant, message, NEW.id, NULL,
              '${CALLBACK_TARGET}', callback, 'pending', 0, NEW.updated_at, NEW.updated_at);
        END IF;
        RETURN NULL;
      END $$;
    `,
  },
];

export { type Migration, SchemaTooNewError } from '../sql/migration-plan.ts';

/**
 * Applies the migrations the database lacks, on `client` (not in a transaction), and returns the
 * versions applied now (empty when up to date).
 *
 * @param at Recorded as each migration's `applied_at`. @default the current time
 */
export async function migrate(
  client: ClientBase,
  migrations: readonly Migration[] = MIGRATIONS,
  at: Date = new Date(),
): Promise<number[]> {
  await client.query('BEGIN');
  try {
    // Held until COMMIT/ROLLBACK: a second instance starting now waits here, then sees our rows.
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS longrun_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL
    )`);
    const { rows } = await client.query<{ current: number }>(
      'SELECT coalesce(max(version), 0)::integer AS current FROM longrun_schema_migrations',
    );
    const current = rows[0]?.current ?? 0;
    const applied: number[] = [];
    for (const migration of pendingMigrations(migrations, current)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO longrun_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        at,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
