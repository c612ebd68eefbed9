/**
 * The PostgreSQL adapter of the push part of the port ({@link WebhookStore}): webhook
 * subscriptions, callback secrets and the delivery queue, shared by every process on the database
 * (`store.webhooks` of the PostgreSQL store, on its pool).
 *
 * - The outbox is the `operations_queue_push_message` trigger (migration 4): every write of an
 *   operation that enters a new event type queues its message and deliveries in its own
 *   transaction, whichever statement makes it.
 * - `appendMessage` (messages made outside an operation's write) runs under a transaction-scoped advisory lock on the operation, so concurrent
 *   appends of one operation's changes (from any process) run one after another: the "latest
 *   message" check sees the previous append, and an operation's deliveries get their `seq` in
 *   commit order, which is the order the queue hands them out in.
 * - `claimDeliveries` is one statement, `FOR UPDATE SKIP LOCKED`: concurrent dispatchers never
 *   wait on each other and never get the same delivery; the "first in line" condition (no earlier
 *   pending delivery to the same target for the same operation) keeps each endpoint's events of a
 *   monitor in order whichever process sends them.
 * - `recordDeliveryAttempt` reads the delivery `FOR UPDATE` and applies the outcome only while the
 *   caller still holds the lease (fenced on `lease_owner`).
 * - `createSubscription` counts a tenant's subscriptions under an advisory lock on the tenant, so
 *   concurrent creates on any instances cannot pass the limit together.
 *
 * @see ../../../../docs/decisions/0002-push-sse-callbacks-webhooks.md
 */
import type { ClientBase, Pool } from 'pg';
import { decodeCursor, encodeCursor } from '../../operations/cursor.ts';
import { newId } from '../../operations/ids.ts';
import { InvalidCursorError } from '../../operations/ports/index.ts';
import type {
  AppendMessageOutcome,
  ClaimedDelivery,
  DeliveryAttempt,
  DeliveryListQuery,
  DeliveryRecord,
  NewPushMessage,
  NewWebhookSubscription,
  PushListQuery,
  PushPage,
  SigningSecrets,
  WebhookStore,
  WebhookSubscriptionRecord,
} from '../../operations/ports/webhook-store.ts';
import { postgresDialect } from '../sql/dialect.ts';
import {
  CALLBACK_TARGET,
  checkLimit,
  DELIVERY_WITH_MESSAGE,
  type SecretColumns,
  type DeliveryRow as SharedDeliveryRow,
  type DeliveryWithMessageRow as SharedDeliveryWithMessageRow,
  type SubscriptionRow as SharedSubscriptionRow,
  toSubscription as subscriptionOfRow,
  toClaimed,
  toDeliveryRecord,
  toSecrets,
} from '../sql/webhook-rows.ts';
import { advisoryKey, lockUntilCommit } from './advisory-lock.ts';
import { operationOfRowJson } from './operation-row.ts';

/** The push rows as node-postgres reads them: instants as `Date`, the bigint `seq` as text. */
type SubscriptionRow = SharedSubscriptionRow<Date>;
type DeliveryRow = SharedDeliveryRow<Date, string>;
type DeliveryWithMessageRow = SharedDeliveryWithMessageRow<Date, string>;

const toSubscription = (row: SubscriptionRow): WebhookSubscriptionRecord => subscriptionOfRow(row, postgresDialect);

import { hasNul } from './postgres-text.ts';
import { inTransaction } from './transaction.ts';

/** The namespace of the advisory lock on an operation's push messages. */
const MESSAGE_LOCK = 'webhook-messages';
/** The namespace of the advisory lock on a tenant's subscription count. */
const SUBSCRIPTION_LOCK = 'webhook-subscriptions';

const SUBSCRIPTION_SELECT = `id, tenant, url, description, event_types, secret, previous_secret,
  previous_secret_expires_at, state, disabled_reason, created_at, updated_at`;

/** "First in line": no earlier pending delivery to the same target for the same operation. */
const FIRST_IN_LINE = `NOT EXISTS (
    SELECT 1 FROM webhook_deliveries e
    WHERE e.state = 'pending' AND e.target = d.target AND e.operation_id = d.operation_id AND e.seq < d.seq)`;

/** Sets a pending delivery `dropped`: never sent, no longer pending. */
const DROP = `SET state = 'dropped', next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, finished_at = $2`;

/** {@link WebhookStore} on a PostgreSQL pool; build it through `createPostgresStore(…).webhooks`. */
export class PostgresWebhookStore implements WebhookStore {
  readonly #pool: Pool;

  /** Checks of {@link #subscribed} asked this turn of the event loop, answered together at its end. */
  #checks: { tenant: string; type: string; answer: (subscribed: boolean) => void; fail: (error: unknown) => void }[] =
    [];

  /** Works on `pool` (the operation store's); the schema comes from its migrations. */
  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /**
   * Whether an enabled subscription of `tenant` takes events of `type`. The checks of one turn
   * of the event loop go in one statement, sent after every one of them was asked: each answer
   * comes from a read that began after its question.
   */
  #subscribed(tenant: string, type: string): Promise<boolean> {
    return new Promise((answer, fail) => {
      if (this.#checks.push({ tenant, type, answer, fail }) > 1) return;
      setImmediate(() => {
        const checks = this.#checks;
        this.#checks = [];
        this.#pool
          .query<{ n: number }>({
            name: 'longrun_webhook_subscribed',
            text: `SELECT t.n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (tenant, type, n)
                   WHERE EXISTS (SELECT 1 FROM webhook_subscriptions s
                     WHERE s.tenant = t.tenant AND s.state = 'enabled' AND t.type = ANY (s.event_types))`,
            values: [checks.map((c) => c.tenant), checks.map((c) => c.type)],
          })
          .then(
            ({ rows }) => {
              const yes = new Set(rows.map((row) => Number(row.n)));
              checks.forEach((check, index) => {
                check.answer(yes.has(index + 1));
              });
            },
            (error: unknown) => {
              for (const check of checks) check.fail(error);
            },
          );
      });
    });
  }

  createSubscription(
    subscription: NewWebhookSubscription,
    maxPerTenant: number,
  ): Promise<WebhookSubscriptionRecord | 'limit-reached'> {
    return inTransaction(this.#pool, async (client) => {
      // Count and insert under the tenant's lock: two creates racing on two instances see each other.
      await lockUntilCommit(client, advisoryKey(SUBSCRIPTION_LOCK, subscription.tenant, ''));
      const { rows } = await client.query<{ count: number }>(
        'SELECT count(*)::integer AS count FROM webhook_subscriptions WHERE tenant = $1',
        [subscription.tenant],
      );
      if ((rows[0]?.count ?? 0) >= maxPerTenant) return 'limit-reached' as const;
      const created = await client.query<SubscriptionRow>(
        `INSERT INTO webhook_subscriptions (${SUBSCRIPTION_SELECT})
         VALUES ($1, $2, $3, $4, $5::text[], $6, NULL, NULL, 'enabled', NULL, $7, $7)
         RETURNING ${SUBSCRIPTION_SELECT}`,
        [
          subscription.id,
          subscription.tenant,
          subscription.url,
          jsonText(subscription.description),
          subscription.eventTypes,
          subscription.secret,
          instant(subscription.createdAt),
        ],
      );
      return toSubscription(single(created.rows));
    });
  }

  async getSubscription(tenant: string, id: string): Promise<WebhookSubscriptionRecord | undefined> {
    if (hasNul(tenant, id)) return undefined;
    const { rows } = await this.#pool.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_SELECT} FROM webhook_subscriptions WHERE id = $1 AND tenant = $2`,
      [id, tenant],
    );
    return rows[0] === undefined ? undefined : toSubscription(rows[0]);
  }

  async listSubscriptions(query: PushListQuery): Promise<PushPage<WebhookSubscriptionRecord>> {
    checkLimit(query.limit);
    const after = query.after === undefined ? null : decodeCursor(query.after);
    // No id holds NUL: a cursor naming one was not made here.
    if (after !== null && hasNul(after)) throw new InvalidCursorError(query.after ?? '');
    if (hasNul(query.tenant)) return { items: [], next: null };
    const { rows } = await this.#pool.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_SELECT} FROM webhook_subscriptions
       WHERE tenant = $1 AND ($2::text IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [query.tenant, after, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(toSubscription);
    const last = items.at(-1);
    return { items, next: rows.length > query.limit && last !== undefined ? encodeCursor(last.id) : null };
  }

  async deleteSubscription(tenant: string, id: string): Promise<boolean> {
    if (hasNul(tenant, id)) return false;
    // Its deliveries go with it (ON DELETE CASCADE).
    const { rowCount } = await this.#pool.query('DELETE FROM webhook_subscriptions WHERE id = $1 AND tenant = $2', [
      id,
      tenant,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async rotateSubscriptionSecret(
    tenant: string,
    id: string,
    secret: string,
    previousExpiresAt: string,
    now: Date,
  ): Promise<WebhookSubscriptionRecord | undefined> {
    if (hasNul(tenant, id)) return undefined;
    // In SET, `secret` is the old value: it becomes the previous one.
    const { rows } = await this.#pool.query<SubscriptionRow>(
      `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_expires_at = $3,
         secret = $4, updated_at = $5
       WHERE id = $1 AND tenant = $2
       RETURNING ${SUBSCRIPTION_SELECT}`,
      [id, tenant, instant(previousExpiresAt), secret, now.toISOString()],
    );
    return rows[0] === undefined ? undefined : toSubscription(rows[0]);
  }

  async getCallbackSecrets(tenant: string): Promise<SigningSecrets | undefined> {
    if (hasNul(tenant)) return undefined;
    const { rows } = await this.#pool.query<SecretColumns>(
      'SELECT secret, previous_secret, previous_secret_expires_at FROM callback_secrets WHERE tenant = $1',
      [tenant],
    );
    return rows[0] === undefined ? undefined : toSecrets(rows[0]);
  }

  async ensureCallbackSecrets(tenant: string, candidate: string, now: Date): Promise<SigningSecrets> {
    // A concurrent first use on another instance: DO NOTHING waits for it to commit, and the read
    // below (a new snapshot) sees its secret, so both callers get the same one.
    await this.#pool.query(
      `INSERT INTO callback_secrets (tenant, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)
       VALUES ($1, $2, NULL, NULL, $3, $3) ON CONFLICT (tenant) DO NOTHING`,
      [tenant, candidate, now.toISOString()],
    );
    const stored = await this.getCallbackSecrets(tenant);
    if (stored === undefined) throw new Error('callback secret insert left no row');
    return stored;
  }

  async rotateCallbackSecrets(
    tenant: string,
    secret: string,
    previousExpiresAt: string,
    now: Date,
  ): Promise<SigningSecrets> {
    const { rows } = await this.#pool.query<SecretColumns>(
      `INSERT INTO callback_secrets (tenant, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)
       VALUES ($1, $2, NULL, NULL, $4, $4)
       ON CONFLICT (tenant) DO UPDATE SET previous_secret = callback_secrets.secret,
         previous_secret_expires_at = $3, secret = excluded.secret, updated_at = excluded.updated_at
       RETURNING secret, previous_secret, previous_secret_expires_at`,
      [tenant, secret, instant(previousExpiresAt), now.toISOString()],
    );
    return toSecrets(single(rows));
  }

  async appendMessage(message: NewPushMessage): Promise<AppendMessageOutcome> {
    // Most changes have no one to tell: found without a transaction or a lock, and nothing is
    // written then, so there is no order among appends to keep. A subscription made meanwhile is
    // missed just as a read under the lock below would miss it.
    if (message.callbackUrl === null && !(await this.#subscribed(message.tenant, message.type))) {
      return { outcome: 'no-targets' };
    }
    return inTransaction(this.#pool, async (client): Promise<AppendMessageOutcome> => {
      // One append per operation at a time, on any instance: each sees what the previous one stored.
      await lockUntilCommit(client, advisoryKey(MESSAGE_LOCK, message.tenant, message.operationId));
      const latest = await client.query<{ type: string; operation_version: number }>(
        `SELECT type, operation_version FROM webhook_messages WHERE operation_id = $1
         ORDER BY operation_version DESC LIMIT 1`,
        [message.operationId],
      );
      const last = latest.rows[0];
      if (last !== undefined && (last.operation_version >= message.operationVersion || last.type === message.type)) {
        return { outcome: 'unchanged' };
      }
      // FOR SHARE: a 410 disabling one of these subscriptions waits for this commit, then drops the
      // delivery queued here; one that committed first has disabled it, and it is not read (see #lockTarget).
      const subscriptions = await client.query<{ id: string; url: string }>(
        `SELECT id, url FROM webhook_subscriptions
         WHERE tenant = $1 AND state = 'enabled' AND $2 = ANY (event_types)
         ORDER BY id FOR SHARE`,
        [message.tenant, message.type],
      );
      let callback: string | null = null;
      if (message.callbackUrl !== null) {
        // A 410 of this operation's callback is recorded under this same lock (see #lockTarget).
        const gone = await client.query(
          `SELECT 1 FROM webhook_deliveries WHERE operation_id = $1 AND target = $2 AND last_status = 410 LIMIT 1`,
          [message.operationId, CALLBACK_TARGET],
        );
        if (gone.rows.length === 0) callback = message.callbackUrl;
      }
      const targets = subscriptions.rows.map((row) => ({ subscriptionId: row.id as string | null, url: row.url }));
      if (callback !== null) targets.push({ subscriptionId: null, url: callback });
      if (targets.length === 0) return { outcome: 'no-targets' };

      const createdAt = instant(message.createdAt);
      await client.query(
        `INSERT INTO webhook_messages (id, tenant, operation_id, operation_version, type, payload, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          message.id,
          message.tenant,
          message.operationId,
          message.operationVersion,
          message.type,
          message.payload,
          createdAt,
        ],
      );
      await client.query(
        `INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
           attempts, next_attempt_at, created_at)
         SELECT t.id, $4, $5, $6, t.subscription_id, coalesce(t.subscription_id, $8), t.url, 'pending', 0, $7, $7
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t (id, subscription_id, url, n)
         ORDER BY t.n`,
        [
          targets.map(() => newId('dlv', new Date(message.createdAt))),
          targets.map((target) => target.subscriptionId),
          targets.map((target) => target.url),
          message.tenant,
          message.id,
          message.operationId,
          createdAt,
          CALLBACK_TARGET,
        ],
      );
      return { outcome: 'appended', deliveries: targets.length };
    });
  }

  async claimDeliveries(owner: string, limit: number, leaseMs: number, now: Date): Promise<ClaimedDelivery[]> {
    if (limit < 1) return [];
    const at = now.toISOString();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    // SKIP LOCKED passes over deliveries another dispatcher is claiming or recording right now. A
    // row claimed and committed meanwhile is re-checked when locked: its new lease excludes it.
    const { rows } = await this.#pool.query<DeliveryWithMessageRow>(
      `WITH claimed AS (
         UPDATE webhook_deliveries w SET lease_owner = $1, lease_expires_at = $2
         FROM (
           SELECT d.seq FROM webhook_deliveries d
           WHERE d.state = 'pending' AND d.next_attempt_at <= $3
             AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= $3)
             AND ${FIRST_IN_LINE}
           ORDER BY d.next_attempt_at, d.seq
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) next
         WHERE w.seq = next.seq
         RETURNING w.seq
       )
       ${DELIVERY_WITH_MESSAGE}
       JOIN claimed ON claimed.seq = d.seq
       ORDER BY d.next_attempt_at, d.seq`,
      [owner, until, at, limit],
    );
    return rows.map((row) => toClaimed(row, operationOfRowJson));
  }

  async recordDeliveryAttempt(
    deliveryId: string,
    owner: string,
    attempt: DeliveryAttempt,
    now: Date,
  ): Promise<boolean> {
    if (hasNul(deliveryId, owner)) return false;
    return inTransaction(this.#pool, async (client) => {
      if (attempt.outcome === 'gone') await this.#lockTarget(client, deliveryId);
      // Fenced under the row lock: a dispatcher that took the delivery over waits, then sees this.
      const { rows } = await client.query<DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = $1 FOR UPDATE', [
        deliveryId,
      ]);
      const row = rows[0];
      if (row === undefined || row.state !== 'pending' || row.lease_owner !== owner) return false;
      const at = now.toISOString();
      const save = (sql: string, params: unknown[]) =>
        client.query(`UPDATE webhook_deliveries SET ${sql} WHERE seq = $1`, [row.seq, ...params]);
      // Every outcome but `released` counts an attempt and releases the lease.
      const tried = 'attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, last_attempt_at = $2';
      const finished = `${tried}, next_attempt_at = NULL, finished_at = $2`;
      switch (attempt.outcome) {
        case 'released':
          await save('lease_owner = NULL, lease_expires_at = NULL, next_attempt_at = $2', [at]);
          break;
        case 'succeeded':
          await save(`${finished}, state = 'succeeded', last_status = $3, last_error = NULL`, [at, attempt.status]);
          break;
        case 'retry':
          await save(`${tried}, next_attempt_at = $3, last_status = $4, last_error = $5`, [
            at,
            instant(attempt.nextAttemptAt),
            attempt.status,
            storableText(attempt.error),
          ]);
          break;
        case 'failed':
          await save(`${finished}, state = 'failed', last_status = $3, last_error = $4`, [
            at,
            attempt.status,
            storableText(attempt.error),
          ]);
          break;
        case 'gone':
          await save(`${finished}, state = 'failed', last_status = $3, last_error = $4`, [
            at,
            attempt.status,
            'the endpoint answered 410 Gone',
          ]);
          await this.#recordGone(client, row, at);
          break;
      }
      return true;
    });
  }

  /**
   * Before a 410 is recorded: locks what appends of the delivery's target read, ahead of the
   * delivery's row. For a subscription its row (the outbox trigger and appends hold it FOR SHARE),
   * for a callback the operation's message lock and its row (which an operation write holds). An append in flight then commits first and what it queued is dropped
   * by {@link #recordGone}, or it waits and then sees the target switched off. Taken before any
   * delivery row lock, so two 410s of one subscription (two of its deliveries, on two
   * dispatchers) queue up here instead of deadlocking on each other's rows.
   */
  async #lockTarget(client: ClientBase, deliveryId: string): Promise<void> {
    const { rows } = await client.query<Pick<DeliveryRow, 'tenant' | 'operation_id' | 'subscription_id'>>(
      'SELECT tenant, operation_id, subscription_id FROM webhook_deliveries WHERE id = $1',
      [deliveryId],
    );
    const target = rows[0];
    if (target === undefined) return;
    if (target.subscription_id === null) {
      await lockUntilCommit(client, advisoryKey(MESSAGE_LOCK, target.tenant, target.operation_id));
      // The outbox queues a callback in the write of the operation's row: a write in flight commits
      // first (and what it queued is dropped below), a later one sees the 410.
      await client.query('SELECT 1 FROM operations WHERE id = $1 FOR SHARE', [target.operation_id]);
    } else {
      await client.query('SELECT 1 FROM webhook_subscriptions WHERE id = $1 FOR NO KEY UPDATE', [
        target.subscription_id,
      ]);
    }
  }

  /** Switches off the target of `row`, which answered 410, and drops its pending deliveries. */
  async #recordGone(client: ClientBase, row: DeliveryRow, at: string): Promise<void> {
    // The target is locked (#lockTarget): nothing is queued for it until this commits.
    if (row.subscription_id === null) {
      await client.query(
        `UPDATE webhook_deliveries ${DROP} WHERE operation_id = $1 AND target = $3 AND state = 'pending'`,
        [row.operation_id, at, CALLBACK_TARGET],
      );
      return;
    }
    await client.query(
      `UPDATE webhook_subscriptions SET state = 'disabled', disabled_reason = 'gone', updated_at = $2 WHERE id = $1`,
      [row.subscription_id, at],
    );
    await client.query(`UPDATE webhook_deliveries ${DROP} WHERE subscription_id = $1 AND state = 'pending'`, [
      row.subscription_id,
      at,
    ]);
  }

  async nextDeliveryDueAt(): Promise<string | undefined> {
    // Only the first in line: one held back behind an earlier delivery is never claimable first.
    const { rows } = await this.#pool.query<{ due: Date | null }>(
      `SELECT min(greatest(d.lease_expires_at, d.next_attempt_at)) AS due
       FROM webhook_deliveries d
       WHERE d.state = 'pending' AND ${FIRST_IN_LINE}`,
    );
    const due = rows[0]?.due ?? null;
    return due === null ? undefined : due.toISOString();
  }

  async listDeliveries(query: DeliveryListQuery): Promise<PushPage<DeliveryRecord>> {
    checkLimit(query.limit);
    const after = query.after === undefined ? null : decodeSeq(query.after);
    if (hasNul(query.tenant, query.subscriptionId)) return { items: [], next: null };
    const { rows } = await this.#pool.query<DeliveryWithMessageRow>(
      `${DELIVERY_WITH_MESSAGE}
       WHERE d.tenant = $1 AND d.subscription_id = $2 AND ($3::bigint IS NULL OR d.seq < $3)
       ORDER BY d.seq DESC LIMIT $4`,
      [query.tenant, query.subscriptionId, after, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toDeliveryRecord),
      next: rows.length > query.limit && last !== undefined ? encodeCursor(last.seq) : null,
    };
  }

  deleteFinishedDeliveries(finishedBefore: Date): Promise<number> {
    return inTransaction(this.#pool, async (client) => {
      const before = finishedBefore.toISOString();
      const { rowCount } = await client.query(
        `DELETE FROM webhook_deliveries WHERE finished_at IS NOT NULL AND finished_at < $1 AND state <> 'pending'`,
        [before],
      );
      // A message gets its deliveries in the transaction that stores it: one without any stays so.
      await client.query(
        `DELETE FROM webhook_messages m WHERE m.created_at < $1
           AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = m.id)`,
        [before],
      );
      return rowCount ?? 0;
    });
  }
}

/** `value` as JSON text for a `json` column, or SQL NULL. */
function jsonText(value: string | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** An error text as `text` can hold it (NUL, which it cannot, shown as U+FFFD). */
function storableText(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

/** `value` as `Date#toISOString()` text. */
function instant(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`not an ISO 8601 instant: ${value}`);
  return new Date(time).toISOString();
}

function single<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected the statement to return a row');
  return row;
}

/** The delivery sequence number a log cursor names, as decimal text. */
function decodeSeq(cursor: string): string {
  const seq = decodeCursor(cursor);
  if (!/^(0|[1-9][0-9]{0,17})$/.test(seq)) throw new InvalidCursorError(cursor);
  return seq;
}
