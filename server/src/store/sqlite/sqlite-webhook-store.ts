/**
 * The SQLite adapter of the push part of the port ({@link WebhookStore}), on the connection and
 * group commit of the operation store (`store.webhooks`), so its writes share their transactions:
 * the operation store queues each change's push message in the write of the change itself
 * ({@link SqliteWebhookStore.queueChange}, the outbox).
 */
import type { Database, Statement } from 'better-sqlite3';
import { decodeCursor, encodeCursor } from '../../operations/cursor.ts';
import { newId } from '../../operations/ids.ts';
import type { OperationRecord } from '../../operations/model.ts';
import { InvalidCursorError } from '../../operations/ports/index.ts';
import type {
  AppendMessageOutcome,
  ClaimedDelivery,
  DeliveryAttempt,
  DeliveryListQuery,
  DeliveryRecord,
  DeliveryState,
  NewPushMessage,
  NewWebhookSubscription,
  PushListQuery,
  PushPage,
  SigningSecrets,
  WebhookStore,
  WebhookSubscriptionRecord,
} from '../../operations/ports/webhook-store.ts';
import { enteredEventType, pushMessageId } from '../../operations/push-messages.ts';
import { sqliteDialect } from '../sql/dialect.ts';
import {
  CALLBACK_TARGET,
  checkLimit,
  DELIVERY_WITH_MESSAGE,
  OPERATION_PAYLOAD,
  type DeliveryRow as SharedDeliveryRow,
  type DeliveryWithMessageRow as SharedDeliveryWithMessageRow,
  type SecretRow as SharedSecretRow,
  type SubscriptionRow as SharedSubscriptionRow,
  toSubscription as subscriptionOfRow,
  toClaimed,
  toDeliveryRecord,
  toSecrets,
} from '../sql/webhook-rows.ts';
import type { GroupCommit } from './group-commit.ts';
import { type OperationRow, toRecord } from './operation-row.ts';

/** The record of an operation row the outbox kept as JSON text. */
const operationOfRowJson = (json: string): OperationRecord => toRecord(JSON.parse(json) as OperationRow);

/** The push rows as better-sqlite3 binds and reads them: instants as text, `seq` as a number. */
type SubscriptionRow = SharedSubscriptionRow<string> & { event_types: string };
type SecretRow = SharedSecretRow<string>;
type DeliveryRow = SharedDeliveryRow<string, number>;
type DeliveryWithMessageRow = SharedDeliveryWithMessageRow<string, number>;

const toSubscription = (row: SubscriptionRow): WebhookSubscriptionRecord => subscriptionOfRow(row, sqliteDialect);

/** Whether the subscription of `row` asks for events of `type`. */
const wants = (row: SubscriptionRow, type: string): boolean => (JSON.parse(row.event_types) as string[]).includes(type);

/** {@link WebhookStore} on one better-sqlite3 connection; build it through `createSqliteStore(…).webhooks`. */
export class SqliteWebhookStore implements WebhookStore {
  readonly #writes: GroupCommit;
  readonly #sql: WebhookStatements;

  constructor(db: Database, writes: GroupCommit) {
    this.#writes = writes;
    this.#sql = new WebhookStatements(db);
  }

  createSubscription(
    subscription: NewWebhookSubscription,
    maxPerTenant: number,
  ): Promise<WebhookSubscriptionRecord | 'limit-reached'> {
    return this.#writes.write(() => {
      const count = this.#sql.countSubscriptions.pluck().get(subscription.tenant) as number;
      if (count >= maxPerTenant) return 'limit-reached' as const;
      const row: SubscriptionRow = {
        id: subscription.id,
        tenant: subscription.tenant,
        url: subscription.url,
        description: subscription.description,
        event_types: JSON.stringify(subscription.eventTypes),
        secret: subscription.secret,
        previous_secret: null,
        previous_secret_expires_at: null,
        state: 'enabled',
        disabled_reason: null,
        created_at: subscription.createdAt,
        updated_at: subscription.createdAt,
      };
      this.#sql.insertSubscription.run(row);
      return toSubscription(row);
    });
  }

  async getSubscription(tenant: string, id: string): Promise<WebhookSubscriptionRecord | undefined> {
    return this.#writes.read(() => {
      const row = this.#sql.subscription.get(id, tenant);
      return row === undefined ? undefined : toSubscription(row);
    });
  }

  async listSubscriptions(query: PushListQuery): Promise<PushPage<WebhookSubscriptionRecord>> {
    checkLimit(query.limit);
    const after = query.after === undefined ? null : decodeCursor(query.after);
    return this.#writes.read(() => {
      const rows = this.#sql.subscriptionPage.all({ tenant: query.tenant, after, limit: query.limit + 1 });
      const items = rows.slice(0, query.limit).map(toSubscription);
      const last = items.at(-1);
      return { items, next: rows.length > query.limit && last !== undefined ? encodeCursor(last.id) : null };
    });
  }

  deleteSubscription(tenant: string, id: string): Promise<boolean> {
    // Its deliveries go with it (ON DELETE CASCADE).
    return this.#writes.write(() => this.#sql.deleteSubscription.run(id, tenant).changes > 0);
  }

  rotateSubscriptionSecret(
    tenant: string,
    id: string,
    secret: string,
    previousExpiresAt: string,
    now: Date,
  ): Promise<WebhookSubscriptionRecord | undefined> {
    return this.#writes.write(() => {
      const row = this.#sql.rotateSubscription.get({
        id,
        tenant,
        secret,
        expires: previousExpiresAt,
        now: now.toISOString(),
      });
      return row === undefined ? undefined : toSubscription(row);
    });
  }

  async getCallbackSecrets(tenant: string): Promise<SigningSecrets | undefined> {
    return this.#writes.read(() => {
      const row = this.#sql.callbackSecret.get(tenant);
      return row === undefined ? undefined : toSecrets(row);
    });
  }

  ensureCallbackSecrets(tenant: string, candidate: string, now: Date): Promise<SigningSecrets> {
    return this.#writes.write(() => {
      const at = now.toISOString();
      this.#sql.insertCallbackSecret.run({ tenant, secret: candidate, now: at });
      const row = this.#sql.callbackSecret.get(tenant);
      if (row === undefined) throw new Error('callback secret insert left no row');
      return toSecrets(row);
    });
  }

  rotateCallbackSecrets(tenant: string, secret: string, previousExpiresAt: string, now: Date): Promise<SigningSecrets> {
    return this.#writes.write(() => {
      const row = this.#sql.rotateCallbackSecret.get({
        tenant,
        secret,
        expires: previousExpiresAt,
        now: now.toISOString(),
      });
      if (row === undefined) throw new Error('callback secret upsert returned no row');
      return toSecrets(row);
    });
  }

  appendMessage(message: NewPushMessage): Promise<AppendMessageOutcome> {
    // Most changes have no target (no callback, and no subscription of the tenant wants the type):
    // a read tells so without queuing a write, which costs a savepoint in the group commit. A
    // subscription made meanwhile is a race either way; checked inside the write it could as well
    // have committed just after.
    if (message.callbackUrl === null && !this.#wanted(message.tenant, message.type)) {
      return this.#writes.read((): AppendMessageOutcome => ({ outcome: 'no-targets' }));
    }
    return this.#writes.write((): AppendMessageOutcome => {
      const latest = this.#sql.latestMessage.get(message.operationId);
      if (
        latest !== undefined &&
        (latest.operation_version >= message.operationVersion || latest.type === message.type)
      ) {
        return { outcome: 'unchanged' };
      }
      return this.#fanOut(message, message.payload, 'monitor');
    });
  }

  /**
   * The outbox: queues the push message of an operation write, inside the write's transaction
   * (call it from a group-commit write, after the row is written), when the monitor entered a new
   * event type. `previous` is the record before the write (undefined for a create); `row` is the
   * row written, kept as the message's payload.
   */
  queueChange(previous: OperationRecord | undefined, next: OperationRecord, row: OperationRow): void {
    const type = enteredEventType(previous, next);
    if (type === undefined) return;
    // Most changes have no one to tell: a one-row probe, before anything is read in full.
    if (next.callbackUrl === null && this.#sql.anyEnabledSubscription.get(next.tenant) === undefined) return;
    const message: NewPushMessage = {
      id: pushMessageId(next.id, next.version),
      tenant: next.tenant,
      operationId: next.id,
      operationVersion: next.version,
      type,
      payload: '',
      callbackUrl: next.callbackUrl,
      createdAt: next.updatedAt,
    };
    this.#fanOut(message, JSON.stringify(row), OPERATION_PAYLOAD);
  }

  /** Stores `message` with one pending delivery per target (run inside a write). */
  #fanOut(message: NewPushMessage, payload: string, format: string): AppendMessageOutcome {
    const subscriptions = this.#sql.enabledSubscriptions.all(message.tenant).filter((row) => wants(row, message.type));
    const callback =
      message.callbackUrl !== null && this.#sql.callbackGone.get(message.operationId) === undefined
        ? message.callbackUrl
        : null;
    if (subscriptions.length === 0 && callback === null) return { outcome: 'no-targets' };

    const inserted = this.#sql.insertMessage.run({
      id: message.id,
      tenant: message.tenant,
      operation_id: message.operationId,
      operation_version: message.operationVersion,
      type: message.type,
      payload,
      payload_format: format,
      created_at: message.createdAt,
    });
    // The message of this change is already queued: nothing more to fan out.
    if (inserted.changes === 0) return { outcome: 'unchanged' };
    const delivery = (subscriptionId: string | null, url: string) =>
      this.#sql.insertDelivery.run({
        id: newId('dlv', new Date(message.createdAt)),
        tenant: message.tenant,
        message_id: message.id,
        operation_id: message.operationId,
        subscription_id: subscriptionId,
        target: subscriptionId ?? CALLBACK_TARGET,
        url,
        created_at: message.createdAt,
      });
    for (const subscription of subscriptions) delivery(subscription.id, subscription.url);
    if (callback !== null) delivery(null, callback);
    return { outcome: 'appended', deliveries: subscriptions.length + (callback === null ? 0 : 1) };
  }

  /** Whether an enabled subscription of `tenant` may want events of `type` (read now, outside a write). */
  #wanted(tenant: string, type: string): boolean {
    // One-row probe first: most tenants have none, and `.all()` costs ten times a `.get()` even empty.
    if (this.#sql.anyEnabledSubscription.get(tenant) === undefined) return false;
    return this.#sql.enabledSubscriptions.all(tenant).some((row) => wants(row, type));
  }

  claimDeliveries(owner: string, limit: number, leaseMs: number, now: Date): Promise<ClaimedDelivery[]> {
    return this.#writes.write(() => {
      if (limit < 1) return [];
      const at = now.toISOString();
      const until = new Date(now.getTime() + leaseMs).toISOString();
      const claimed: ClaimedDelivery[] = [];
      for (const seq of this.#sql.claimable.pluck().all({ now: at, limit }) as number[]) {
        this.#sql.lease.run({ seq, owner, until });
        const row = this.#sql.deliveryWithMessage.get(seq);
        if (row !== undefined) claimed.push(toClaimed(row, operationOfRowJson));
      }
      return claimed;
    });
  }

  recordDeliveryAttempt(deliveryId: string, owner: string, attempt: DeliveryAttempt, now: Date): Promise<boolean> {
    return this.#writes.write(() => {
      const row = this.#sql.deliveryById.get(deliveryId);
      if (row === undefined || row.state !== 'pending' || row.lease_owner !== owner) return false;
      const at = now.toISOString();
      if (attempt.outcome === 'released') {
        this.#sql.saveDelivery.run({ ...row, lease_owner: null, lease_expires_at: null, next_attempt_at: at });
        return true;
      }
      const tried = {
        ...row,
        attempts: row.attempts + 1,
        lease_owner: null,
        lease_expires_at: null,
        last_attempt_at: at,
      };
      switch (attempt.outcome) {
        case 'succeeded':
          this.#sql.saveDelivery.run(finished(tried, 'succeeded', attempt.status, null, at));
          break;
        case 'retry':
          this.#sql.saveDelivery.run({
            ...tried,
            next_attempt_at: attempt.nextAttemptAt,
            last_status: attempt.status,
            last_error: attempt.error,
          });
          break;
        case 'failed':
          this.#sql.saveDelivery.run(finished(tried, 'failed', attempt.status, attempt.error, at));
          break;
        case 'gone':
          this.#sql.saveDelivery.run(finished(tried, 'failed', attempt.status, 'the endpoint answered 410 Gone', at));
          if (row.subscription_id === null) {
            this.#sql.dropCallbackQueue.run({ operation: row.operation_id, now: at });
          } else {
            this.#sql.disableSubscription.run({ id: row.subscription_id, now: at });
            this.#sql.dropSubscriptionQueue.run({ subscription: row.subscription_id, now: at });
          }
          break;
      }
      return true;
    });
  }

  async nextDeliveryDueAt(): Promise<string | undefined> {
    return this.#writes.read(() => (this.#sql.nextDue.pluck().get() as string | null | undefined) ?? undefined);
  }

  async listDeliveries(query: DeliveryListQuery): Promise<PushPage<DeliveryRecord>> {
    checkLimit(query.limit);
    const after = query.after === undefined ? null : decodeSeq(query.after);
    return this.#writes.read(() => {
      const rows = this.#sql.deliveryPage.all({
        tenant: query.tenant,
        subscription: query.subscriptionId,
        after,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toDeliveryRecord),
        next: rows.length > query.limit && last !== undefined ? encodeCursor(String(last.seq)) : null,
      };
    });
  }

  deleteFinishedDeliveries(finishedBefore: Date): Promise<number> {
    return this.#writes.write(() => {
      const before = finishedBefore.toISOString();
      const deleted = this.#sql.deleteFinished.run(before).changes;
      this.#sql.deleteOrphanMessages.run(before);
      return deleted;
    });
  }
}

/** Every statement of the push tables, prepared once per connection. */
class WebhookStatements {
  readonly countSubscriptions: Statement<[string]>;
  readonly insertSubscription: Statement<[SubscriptionRow]>;
  readonly subscription: Statement<[string, string], SubscriptionRow>;
  readonly subscriptionPage: Statement<[{ tenant: string; after: string | null; limit: number }], SubscriptionRow>;
  readonly deleteSubscription: Statement<[string, string]>;
  readonly rotateSubscription: Statement<
    [{ id: string; tenant: string; secret: string; expires: string; now: string }],
    SubscriptionRow
  >;
  readonly anyEnabledSubscription: Statement<[string], 1>;
  readonly enabledSubscriptions: Statement<[string], SubscriptionRow>;
  readonly disableSubscription: Statement<[{ id: string; now: string }]>;
  readonly callbackSecret: Statement<[string], SecretRow>;
  readonly insertCallbackSecret: Statement<[{ tenant: string; secret: string; now: string }]>;
  readonly rotateCallbackSecret: Statement<
    [{ tenant: string; secret: string; expires: string; now: string }],
    SecretRow
  >;
  readonly latestMessage: Statement<[string], { type: string; operation_version: number }>;
  readonly insertMessage: Statement<[Record<string, string | number>]>;
  readonly callbackGone: Statement<[string]>;
  readonly insertDelivery: Statement<[Record<string, string | null>]>;
  readonly claimable: Statement<[{ now: string; limit: number }]>;
  readonly lease: Statement<[{ seq: number; owner: string; until: string }]>;
  readonly deliveryWithMessage: Statement<[number], DeliveryWithMessageRow>;
  readonly deliveryById: Statement<[string], DeliveryRow>;
  readonly saveDelivery: Statement<[DeliveryRow]>;
  readonly dropCallbackQueue: Statement<[{ operation: string; now: string }]>;
  readonly dropSubscriptionQueue: Statement<[{ subscription: string; now: string }]>;
  readonly nextDue: Statement<[]>;
  readonly deliveryPage: Statement<
    [{ tenant: string; subscription: string; after: number | null; limit: number }],
    DeliveryWithMessageRow
  >;
  readonly deleteFinished: Statement<[string]>;
  readonly deleteOrphanMessages: Statement<[string]>;

  constructor(db: Database) {
    this.countSubscriptions = db.prepare('SELECT count(*) FROM webhook_subscriptions WHERE tenant = ?');
    this.insertSubscription = db.prepare(
      `INSERT INTO webhook_subscriptions (id, tenant, url, description, event_types, secret, previous_secret,
         previous_secret_expires_at, state, disabled_reason, created_at, updated_at)
       VALUES (@id, @tenant, @url, @description, @event_types, @secret, @previous_secret,
         @previous_secret_expires_at, @state, @disabled_reason, @created_at, @updated_at)`,
    );
    this.subscription = db.prepare('SELECT * FROM webhook_subscriptions WHERE id = ? AND tenant = ?');
    this.subscriptionPage = db.prepare(
      `SELECT * FROM webhook_subscriptions WHERE tenant = @tenant AND (@after IS NULL OR id < @after)
       ORDER BY id DESC LIMIT @limit`,
    );
    this.deleteSubscription = db.prepare('DELETE FROM webhook_subscriptions WHERE id = ? AND tenant = ?');
    this.rotateSubscription = db.prepare(
      `UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_expires_at = @expires,
         secret = @secret, updated_at = @now
       WHERE id = @id AND tenant = @tenant RETURNING *`,
    );
    this.anyEnabledSubscription = db.prepare(
      `SELECT 1 FROM webhook_subscriptions WHERE tenant = ? AND state = 'enabled' LIMIT 1`,
    );
    this.enabledSubscriptions = db.prepare(
      `SELECT * FROM webhook_subscriptions WHERE tenant = ? AND state = 'enabled' ORDER BY id`,
    );
    this.disableSubscription = db.prepare(
      `UPDATE webhook_subscriptions SET state = 'disabled', disabled_reason = 'gone', updated_at = @now WHERE id = @id`,
    );
    this.callbackSecret = db.prepare('SELECT * FROM callback_secrets WHERE tenant = ?');
    this.insertCallbackSecret = db.prepare(
      `INSERT INTO callback_secrets (tenant, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)
       VALUES (@tenant, @secret, NULL, NULL, @now, @now) ON CONFLICT (tenant) DO NOTHING`,
    );
    this.rotateCallbackSecret = db.prepare(
      `INSERT INTO callback_secrets (tenant, secret, previous_secret, previous_secret_expires_at, created_at, updated_at)
       VALUES (@tenant, @secret, NULL, NULL, @now, @now)
       ON CONFLICT (tenant) DO UPDATE SET previous_secret = secret, previous_secret_expires_at = @expires,
         secret = excluded.secret, updated_at = excluded.updated_at
       RETURNING *`,
    );
    this.latestMessage = db.prepare(
      'SELECT type, operation_version FROM webhook_messages WHERE operation_id = ? ORDER BY operation_version DESC LIMIT 1',
    );
    this.insertMessage = db.prepare(
      `INSERT INTO webhook_messages (id, tenant, operation_id, operation_version, type, payload, payload_format, created_at)
       VALUES (@id, @tenant, @operation_id, @operation_version, @type, @payload, @payload_format, @created_at)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.callbackGone = db.prepare(
      `SELECT 1 FROM webhook_deliveries WHERE operation_id = ? AND target = '${CALLBACK_TARGET}' AND last_status = 410 LIMIT 1`,
    );
    this.insertDelivery = db.prepare(
      `INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
         attempts, next_attempt_at, created_at)
       VALUES (@id, @tenant, @message_id, @operation_id, @subscription_id, @target, @url, 'pending', 0, @created_at, @created_at)`,
    );
    // First in line: no earlier pending delivery to the same target for the same operation.
    this.claimable = db.prepare(
      `SELECT d.seq FROM webhook_deliveries d
       WHERE d.state = 'pending' AND d.next_attempt_at <= @now
         AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= @now)
         AND NOT EXISTS (
           SELECT 1 FROM webhook_deliveries e
           WHERE e.state = 'pending' AND e.target = d.target AND e.operation_id = d.operation_id AND e.seq < d.seq)
       ORDER BY d.next_attempt_at, d.seq LIMIT @limit`,
    );
    this.lease = db.prepare(
      'UPDATE webhook_deliveries SET lease_owner = @owner, lease_expires_at = @until WHERE seq = @seq',
    );
    this.deliveryWithMessage = db.prepare(`${DELIVERY_WITH_MESSAGE} WHERE d.seq = ?`);
    this.deliveryById = db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?');
    this.saveDelivery = db.prepare(
      `UPDATE webhook_deliveries SET state = @state, attempts = @attempts, next_attempt_at = @next_attempt_at,
         lease_owner = @lease_owner, lease_expires_at = @lease_expires_at, last_attempt_at = @last_attempt_at,
         last_status = @last_status, last_error = @last_error, finished_at = @finished_at
       WHERE seq = @seq`,
    );
    const drop = `SET state = 'dropped', next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, finished_at = @now`;
    this.dropCallbackQueue = db.prepare(
      `UPDATE webhook_deliveries ${drop}
       WHERE operation_id = @operation AND target = '${CALLBACK_TARGET}' AND state = 'pending'`,
    );
    this.dropSubscriptionQueue = db.prepare(
      `UPDATE webhook_deliveries ${drop} WHERE subscription_id = @subscription AND state = 'pending'`,
    );
    // Only the first in line: one held back behind an earlier delivery is never claimable first.
    this.nextDue = db.prepare(
      `SELECT min(CASE WHEN d.lease_expires_at > d.next_attempt_at THEN d.lease_expires_at ELSE d.next_attempt_at END)
       FROM webhook_deliveries d
       WHERE d.state = 'pending' AND NOT EXISTS (
         SELECT 1 FROM webhook_deliveries e
         WHERE e.state = 'pending' AND e.target = d.target AND e.operation_id = d.operation_id AND e.seq < d.seq)`,
    );
    this.deliveryPage = db.prepare(
      `${DELIVERY_WITH_MESSAGE}
       WHERE d.tenant = @tenant AND d.subscription_id = @subscription AND (@after IS NULL OR d.seq < @after)
       ORDER BY d.seq DESC LIMIT @limit`,
    );
    this.deleteFinished = db.prepare(
      `DELETE FROM webhook_deliveries WHERE finished_at IS NOT NULL AND finished_at < ? AND state <> 'pending'`,
    );
    this.deleteOrphanMessages = db.prepare(
      `DELETE FROM webhook_messages WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.message_id = webhook_messages.id)`,
    );
  }
}

/** `row` after its last attempt: no longer pending, nothing scheduled. */
function finished(
  row: DeliveryRow,
  state: DeliveryState,
  status: number | null,
  error: string | null,
  at: string,
): DeliveryRow {
  return { ...row, state, next_attempt_at: null, last_status: status, last_error: error, finished_at: at };
}

/** The delivery sequence number a log cursor names. */
function decodeSeq(cursor: string): number {
  const seq = Number(decodeCursor(cursor));
  if (!Number.isSafeInteger(seq) || seq < 0) throw new InvalidCursorError(cursor);
  return seq;
}
