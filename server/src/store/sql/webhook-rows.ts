/**
 * The push tables' rows (`webhook_subscriptions`, `callback_secrets`, `webhook_deliveries` with
 * their `webhook_messages`) and their mapping to the records of the webhook-store port, once for
 * both SQL adapters. `Instant` is how the adapter's driver reads instants back (SQLite: ISO 8601
 * text; node-postgres: `Date`), `Seq` how it reads the delivery sequence (SQLite: number;
 * node-postgres: bigint as text).
 */
import type { OperationRecord } from '../../operations/model.ts';
import type {
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryState,
  SigningSecrets,
  WebhookEventType,
  WebhookSubscriptionRecord,
} from '../../operations/ports/index.ts';
import { readInstant, readInstantOrNull, type SqlDialect, type SqlInstant } from './dialect.ts';

/** The target value of a callback delivery (a subscription's deliveries hold its id). */
export const CALLBACK_TARGET = 'callback';

/** The secret columns of a subscription or of `callback_secrets`. */
export interface SecretColumns<Instant extends SqlInstant = SqlInstant> {
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Instant | null;
}

/** One row of `webhook_subscriptions`. `event_types` is the dialect's text list. */
export interface SubscriptionRow<Instant extends SqlInstant = SqlInstant> extends SecretColumns<Instant> {
  id: string;
  tenant: string;
  url: string;
  description: string | null;
  event_types: unknown;
  state: string;
  disabled_reason: string | null;
  created_at: Instant;
  updated_at: Instant;
}

/** One row of `callback_secrets`. */
export interface SecretRow<Instant extends SqlInstant = SqlInstant> extends SecretColumns<Instant> {
  tenant: string;
  created_at: Instant;
  updated_at: Instant;
}

/** One row of `webhook_deliveries`. */
export interface DeliveryRow<Instant extends SqlInstant = SqlInstant, Seq extends number | string = number | string> {
  seq: Seq;
  id: string;
  tenant: string;
  message_id: string;
  operation_id: string;
  subscription_id: string | null;
  target: string;
  url: string;
  state: string;
  attempts: number;
  next_attempt_at: Instant | null;
  lease_owner: string | null;
  lease_expires_at: Instant | null;
  last_attempt_at: Instant | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Instant;
  finished_at: Instant | null;
}

/** A delivery with its message and its target's secrets, as the log and the claim read it. */
export interface DeliveryWithMessageRow<
  Instant extends SqlInstant = SqlInstant,
  Seq extends number | string = number | string,
> extends DeliveryRow<Instant, Seq> {
  type: string;
  operation_version: number;
  payload: string;
  /** `monitor`: `payload` is the monitor; `operation`: the operation row as JSON (the outbox). */
  payload_format: string;
  message_created_at: Instant;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: Instant | null;
}

/** A delivery joined with its message and the secrets of its target (the subscription's, or the tenant's callback ones). */
export const DELIVERY_WITH_MESSAGE = `SELECT d.*, m.type, m.operation_version, m.payload, m.payload_format, m.created_at AS message_created_at,
    coalesce(s.secret, c.secret) AS secret,
    coalesce(s.previous_secret, c.previous_secret) AS previous_secret,
    coalesce(s.previous_secret_expires_at, c.previous_secret_expires_at) AS previous_secret_expires_at
  FROM webhook_deliveries d
  JOIN webhook_messages m ON m.id = d.message_id
  LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id
  LEFT JOIN callback_secrets c ON d.subscription_id IS NULL AND c.tenant = d.tenant`;

/** The subscription a row stores. */
export function toSubscription(row: SubscriptionRow, dialect: SqlDialect): WebhookSubscriptionRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    url: row.url,
    description: row.description,
    eventTypes: dialect.readTextList(row.event_types) as WebhookEventType[],
    secrets: toSecrets(row),
    state: row.state as WebhookSubscriptionRecord['state'],
    disabledReason: row.disabled_reason as WebhookSubscriptionRecord['disabledReason'],
    createdAt: readInstant(row.created_at),
    updatedAt: readInstant(row.updated_at),
  };
}

/** The signing secrets secret columns hold. */
export function toSecrets(row: SecretColumns): SigningSecrets {
  return {
    current: row.secret,
    previous: row.previous_secret,
    previousExpiresAt: readInstantOrNull(row.previous_secret_expires_at),
  };
}

/** The message format of an operation row kept as JSON text (what the outbox queues). */
export const OPERATION_PAYLOAD = 'operation';

/**
 * A claimed delivery, ready to send. `operationOf` reads the adapter's operation row kept as JSON
 * text by the outbox back into the record.
 */
export function toClaimed(
  row: DeliveryWithMessageRow,
  operationOf: (json: string) => OperationRecord,
): ClaimedDelivery {
  const outbox = row.payload_format === OPERATION_PAYLOAD;
  return {
    id: row.id,
    tenant: row.tenant,
    target:
      row.subscription_id === null
        ? { kind: 'callback' }
        : { kind: 'subscription', subscriptionId: row.subscription_id },
    url: row.url,
    messageId: row.message_id,
    type: row.type as WebhookEventType,
    operationId: row.operation_id,
    operationVersion: row.operation_version,
    payload: outbox ? null : row.payload,
    operation: outbox ? operationOf(row.payload) : null,
    messageCreatedAt: readInstant(row.message_created_at),
    attempts: row.attempts,
    secrets: row.secret === null ? undefined : toSecrets({ ...row, secret: row.secret }),
  };
}

/** A delivery as the delivery log shows it. */
export function toDeliveryRecord(row: DeliveryWithMessageRow): DeliveryRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    subscriptionId: row.subscription_id,
    messageId: row.message_id,
    type: row.type as WebhookEventType,
    operationId: row.operation_id,
    operationVersion: row.operation_version,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    nextAttemptAt: readInstantOrNull(row.next_attempt_at),
    lastAttemptAt: readInstantOrNull(row.last_attempt_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: readInstant(row.created_at),
    finishedAt: readInstantOrNull(row.finished_at),
  };
}

/** Refuses a page size that is not a positive integer. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`list limit must be a positive integer: ${limit}`);
}
