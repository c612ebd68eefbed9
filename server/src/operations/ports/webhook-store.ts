/**
 * The push part of the store port: webhook subscriptions, the callback signing secret of each
 * tenant, and the durable delivery queue (messages and their deliveries) that webhooks and
 * callbacks are sent from.
 *
 * Kept apart from {@link OperationStore} so an adapter adds it as one more object (`store.webhooks`).
 * Every method is atomic; writes resolve once durable. The conformance suite
 * (`store/conformance/webhook-store-conformance.ts`) is the specification every adapter must pass.
 *
 * Contract: "Push instead of poll" of the async contract, as openapi/openapi.yaml states it.
 */

import type { OperationRecord } from '../model.ts';

/** What happened to a monitor, as a webhook event type. */
export type WebhookEventType =
  | 'monitor.queued'
  | 'monitor.running'
  | 'monitor.waiting'
  | 'monitor.succeeded'
  | 'monitor.failed'
  | 'monitor.cancelled';

/** Every {@link WebhookEventType}, in the order an operation goes through them. */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'monitor.queued',
  'monitor.running',
  'monitor.waiting',
  'monitor.succeeded',
  'monitor.failed',
  'monitor.cancelled',
];

/** The secrets a delivery is signed with: the current one, and the previous one for a while after a rotation. */
export interface SigningSecrets {
  /** `whsec_…` (Standard Webhooks). */
  current: string;
  previous: string | null;
  /** Until when (ISO 8601) `previous` still signs; null when there is none. */
  previousExpiresAt: string | null;
}

/** A webhook subscription as stored. */
export interface WebhookSubscriptionRecord {
  /** `whs_…` */
  id: string;
  tenant: string;
  url: string;
  description: string | null;
  /** The event types it receives (never empty). */
  eventTypes: WebhookEventType[];
  secrets: SigningSecrets;
  state: 'enabled' | 'disabled';
  /** `gone`: the endpoint answered 410. */
  disabledReason: 'gone' | null;
  createdAt: string;
  updatedAt: string;
}

/** A subscription to create. */
export interface NewWebhookSubscription {
  id: string;
  tenant: string;
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  /** Its first signing secret. */
  secret: string;
  createdAt: string;
}

/** A page of a list, newest first. */
export interface PushPage<T> {
  items: T[];
  /** Cursor of the next page, or null on the last. */
  next: string | null;
}

/** A filter and page for the tenant-scoped lists. */
export interface PushListQuery {
  tenant: string;
  /** Opaque cursor from a previous page. */
  after?: string | undefined;
  limit: number;
}

/**
 * A monitor change worth pushing: the monitor entered a new {@link WebhookEventType}.
 *
 * `id` is deterministic per operation version (the `webhook-id` every retry keeps), so appending
 * the same change twice stores it once.
 */
export interface NewPushMessage {
  /** `msg_…` */
  id: string;
  tenant: string;
  operationId: string;
  operationVersion: number;
  type: WebhookEventType;
  /** The monitor at that version, as JSON text (the body of a callback, the `data` of a webhook). */
  payload: string;
  /** The operation's callback URL, which gets a delivery too; null for none. */
  callbackUrl: string | null;
  createdAt: string;
}

/** What became of {@link WebhookStore.appendMessage}. */
export type AppendMessageOutcome =
  /** Stored, with one pending delivery per target. */
  | { outcome: 'appended'; deliveries: number }
  /**
   * Not stored: the latest stored message of the operation has the same type (nothing new to
   * say), or a newer version (this one is late).
   */
  | { outcome: 'unchanged' }
  /** Not stored: no enabled subscription wants this type and there is no live callback. */
  | { outcome: 'no-targets' };

/** Where a delivery goes. */
export type DeliveryTarget = { kind: 'subscription'; subscriptionId: string } | { kind: 'callback' };

/** The states of a delivery. */
export type DeliveryState = 'pending' | 'succeeded' | 'failed' | 'dropped';

/** A delivery claimed for sending, with everything needed to send it. */
export interface ClaimedDelivery {
  /** `dlv_…` */
  id: string;
  tenant: string;
  target: DeliveryTarget;
  url: string;
  messageId: string;
  type: WebhookEventType;
  operationId: string;
  operationVersion: number;
  /**
   * The monitor at that version as JSON text, for a message appended with it
   * ({@link WebhookStore.appendMessage}); null for one queued by the change itself (the outbox),
   * whose `operation` the sender renders.
   */
  payload: string | null;
  /**
   * The operation as that version stored it, for a message queued in the transaction of the change
   * (the outbox, see {@link WebhookStoreProvider}); null for one appended with its monitor.
   */
  operation: OperationRecord | null;
  /** When the message was made (the webhook envelope's `timestamp`). */
  messageCreatedAt: string;
  /** Attempts made before this one. */
  attempts: number;
  /** The target's secrets; undefined for a callback of a tenant that has no callback secret yet. */
  secrets: SigningSecrets | undefined;
}

/** The outcome of one attempt (or of giving a claimed delivery back), as recorded. */
export type DeliveryAttempt =
  /** A 2xx answer. */
  | { outcome: 'succeeded'; status: number }
  /** It failed and is tried again at `nextAttemptAt`. */
  | { outcome: 'retry'; status: number | null; error: string; nextAttemptAt: string }
  /** It failed for the last time. */
  | { outcome: 'failed'; status: number | null; error: string }
  /**
   * The endpoint answered 410: this delivery fails, and the target is switched off. For a
   * subscription: disabled (`gone`), its pending deliveries dropped. For a callback: the
   * operation's pending callback deliveries dropped, and no more are queued for it.
   */
  | { outcome: 'gone'; status: number }
  /** Not attempted after all (the process is stopping): pending again at once, attempts unchanged. */
  | { outcome: 'released' };

/** One delivery as its log shows it. */
export interface DeliveryRecord {
  id: string;
  tenant: string;
  /** Null for a callback delivery. */
  subscriptionId: string | null;
  messageId: string;
  type: WebhookEventType;
  operationId: string;
  operationVersion: number;
  state: DeliveryState;
  attempts: number;
  /** While pending. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A filter and page for {@link WebhookStore.listDeliveries}. */
export interface DeliveryListQuery extends PushListQuery {
  subscriptionId: string;
}

/** The push part of the store port (see the module comment). */
export interface WebhookStore {
  /**
   * Creates a subscription, unless the tenant already has `maxPerTenant` (then `limit-reached`,
   * creating nothing). Rejects when the id exists.
   */
  createSubscription(
    subscription: NewWebhookSubscription,
    maxPerTenant: number,
  ): Promise<WebhookSubscriptionRecord | 'limit-reached'>;

  /** One of a tenant's subscriptions, or undefined (another tenant's do not exist). */
  getSubscription(tenant: string, id: string): Promise<WebhookSubscriptionRecord | undefined>;

  /**
   * A tenant's subscriptions, newest first (by id), cursor-paginated. Rejects with
   * `InvalidCursorError` for a cursor it did not issue.
   */
  listSubscriptions(query: PushListQuery): Promise<PushPage<WebhookSubscriptionRecord>>;

  /** Deletes a subscription with its deliveries (pending ones are never sent); false when there was none. */
  deleteSubscription(tenant: string, id: string): Promise<boolean>;

  /**
   * Makes `secret` the current secret; the old current one becomes `previous` until
   * `previousExpiresAt`. Undefined when there is no such subscription.
   */
  rotateSubscriptionSecret(
    tenant: string,
    id: string,
    secret: string,
    previousExpiresAt: string,
    now: Date,
  ): Promise<WebhookSubscriptionRecord | undefined>;

  /** The tenant's callback signing secrets, or undefined before the first use. */
  getCallbackSecrets(tenant: string): Promise<SigningSecrets | undefined>;

  /** The tenant's callback signing secrets, storing `candidate` as the current one when it has none. */
  ensureCallbackSecrets(tenant: string, candidate: string, now: Date): Promise<SigningSecrets>;

  /**
   * Makes `secret` the tenant's current callback secret; the old one becomes `previous` until
   * `previousExpiresAt` (none when there was no old one).
   */
  rotateCallbackSecrets(tenant: string, secret: string, previousExpiresAt: string, now: Date): Promise<SigningSecrets>;

  /**
   * Stores a push message made outside an operation's write (the outbox queues the changes of
   * operations themselves) and, in the same transaction, one pending delivery (due at once) per
   * target: every enabled subscription of the tenant whose event types include `type`, and the
   * callback URL unless an earlier callback of the operation answered 410. Skipped when the latest
   * stored message of the operation has the same type or a version not older than this one
   * (`unchanged`), or when there is no target (`no-targets`). Deliveries get fresh `dlv_…` ids
   * (`newId('dlv', createdAt)`) and a sequence that orders them per target and operation.
   */
  appendMessage(message: NewPushMessage): Promise<AppendMessageOutcome>;

  /**
   * Claims up to `limit` due deliveries for `owner` until `now + leaseMs`: pending, due
   * (`nextAttemptAt <= now`), not leased (or the lease expired), and first in line: no earlier
   * pending delivery for the same target and operation (so each endpoint gets a monitor's events in
   * order). Oldest due first.
   */
  claimDeliveries(owner: string, limit: number, leaseMs: number, now: Date): Promise<ClaimedDelivery[]>;

  /**
   * Records what became of a claimed delivery and releases its lease. False (changing nothing)
   * when `owner` no longer holds it (lease expired and taken over, or the delivery was deleted).
   * Every outcome but `released` counts an attempt and sets the last attempt's fields.
   */
  recordDeliveryAttempt(deliveryId: string, owner: string, attempt: DeliveryAttempt, now: Date): Promise<boolean>;

  /**
   * When the next pending delivery that is first in line becomes claimable (due, and its lease, if
   * any, expired), or undefined when none is pending. Deliveries held back behind an earlier one
   * do not count: they become first in line when that one is recorded.
   */
  nextDeliveryDueAt(): Promise<string | undefined>;

  /**
   * A subscription's delivery log, newest first, cursor-paginated. Rejects with
   * `InvalidCursorError` for a cursor it did not issue.
   */
  listDeliveries(query: DeliveryListQuery): Promise<PushPage<DeliveryRecord>>;

  /**
   * Retention: deletes finished deliveries (succeeded, failed, dropped) that finished before
   * `finishedBefore`, and messages left without deliveries made before it. Returns how many
   * deliveries were deleted.
   */
  deleteFinishedDeliveries(finishedBefore: Date): Promise<number>;
}

/**
 * A store that keeps the push data too (the SQLite and PostgreSQL stores do), and queues push
 * messages as an outbox: every write of an operation that enters a new event type (by the core's
 * `enteredEventType`: a create, and any new version whose type differs from the version before)
 * stores, in the same transaction, its message (id `pushMessageId(id, version)`, created at the
 * operation's `updatedAt`, holding the operation as written) and one pending delivery per target,
 * exactly as {@link WebhookStore.appendMessage} fans out. A change that commits has its message;
 * one that rolls back has none; no process has to see the change to queue it.
 */
export interface WebhookStoreProvider {
  readonly webhooks: WebhookStore;
}

/** True when `store` offers a {@link WebhookStore} as `store.webhooks`. */
export function providesWebhookStore(store: object): store is WebhookStoreProvider {
  const webhooks = (store as Partial<WebhookStoreProvider>).webhooks;
  return typeof webhooks === 'object' && webhooks !== null && typeof webhooks.appendMessage === 'function';
}
