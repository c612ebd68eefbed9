/**
 * The webhook dispatcher: delivers the push messages the store queued.
 *
 * Queueing is the store's (the outbox, docs/decisions/0012-push-outbox.md): the write of an
 * operation change that enters a new event type stores, in its own transaction, the message (the
 * operation as written) and one pending delivery per target (matching subscriptions, the
 * operation's callback URL). So a change that committed has its deliveries whatever happens to the
 * process after, and whichever process made it. Changes published in this process only wake the
 * dispatcher early; a poll finds the rest.
 *
 * Delivering: it claims due deliveries from the store under a lease (so several processes share
 * the queue, and a crashed one's claims come back), signs each attempt (Standard Webhooks), checks
 * the URL with the SSRF guard, POSTs to the checked address, and records the outcome: 2xx done,
 * 410 switches the target off, anything else is retried with jittered backoff until the attempts
 * run out. The store hands out an operation's deliveries to one target one at a time, in order.
 * Nothing is kept only in memory, so a restart loses no delivery.
 *
 * The database going away stops nothing: claims are retried at every poll, and an outcome that
 * cannot be recorded (the endpoint answered, the database did not) is kept and recorded once the
 * database is back, while this process still holds the delivery's lease, so it is not sent again.
 *
 * Contract: "Push instead of poll" of the async contract, as openapi/openapi.yaml states it.
 */

import type { ChangeListener } from '../operations/changes.ts';
import { StoreUnavailableError } from '../operations/errors.ts';
import { newId } from '../operations/ids.ts';
import { type OperationLogger, silentLogger } from '../operations/logger.ts';
import type { OperationRecord } from '../operations/model.ts';
import { type Clock, systemClock, systemTimers, type TimerHandle, type Timers } from '../operations/ports/clock.ts';
import type {
  ClaimedDelivery,
  DeliveryAttempt,
  WebhookEventType,
  WebhookStore,
} from '../operations/ports/webhook-store.ts';
import { StoreOutageLog } from '../operations/store-outage.ts';
import { postToTarget } from './outbound-post.ts';
import { eventTypeOf, isFinalEventType, webhookEnvelope } from './push-events.ts';
import { type RetryPolicy, retryDelayMs, retryPolicy } from './retry-policy.ts';
import { newSigningSecret, signatureHeaders } from './signing.ts';
import type { OutboundGuard } from './ssrf-guard.ts';

/** Default {@link WebhookDispatcherOptions.timeoutMs}. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** Default {@link WebhookDispatcherOptions.deliveryRetentionMs}: 7 days. */
export const DEFAULT_DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Longest error text kept in the delivery log (the spec's `lastError.maxLength`). */
const MAX_ERROR_LENGTH = 500;
/** Bounds of the wait between tries to record an outcome while the database is away, in milliseconds. */
const RECORD_RETRY_MS = { min: 100, max: 2_000 } as const;
/** Operations whose last event type is remembered, to wake for changes that may have queued a message. */
const REMEMBERED_OPERATIONS = 10_000;

/** How a {@link WebhookDispatcher} is built. */
export interface WebhookDispatcherOptions {
  store: WebhookStore;
  /**
   * Where monitor changes are published (the engine's `changes`): a change that enters a new event
   * type wakes the dispatcher at once, instead of at the next poll. Queueing does not depend on it.
   */
  changes?: { subscribeAll(listener: ChangeListener): () => void } | undefined;
  /** The monitor representation of an operation (the body of a callback, a webhook's `data`), rendered at delivery. */
  render: (operation: OperationRecord) => unknown;
  guard: OutboundGuard;
  /** @default {@link DEFAULT_RETRY_POLICY} */
  retry?: Partial<RetryPolicy> | undefined;
  /** How long one attempt may take. @default 10_000 */
  timeoutMs?: number | undefined;
  /** Most attempts in flight at once in this process. @default 16 */
  concurrency?: number | undefined;
  /** How long a claimed delivery is held before another process may take it. @default max(60_000, 3 × timeoutMs) */
  leaseMs?: number | undefined;
  /** Backstop poll for deliveries queued by other processes. @default 1_000 */
  pollIntervalMs?: number | undefined;
  /** How long finished deliveries stay in the log. @default 7 days */
  deliveryRetentionMs?: number | undefined;
  /** How often finished deliveries past retention are deleted. @default 600_000 */
  sweepIntervalMs?: number | undefined;
  /** Lease owner name of this process. @default a random `dsp_…` id */
  owner?: string | undefined;
  /** `[0, 1)` for the backoff jitter. @default Math.random */
  random?: (() => number) | undefined;
  /** @default 'longrun-webhooks/0.1' */
  userAgent?: string | undefined;
  clock?: Clock | undefined;
  timers?: Timers | undefined;
  logger?: OperationLogger | undefined;
}

/**
 * Queues and delivers webhooks and callbacks (see the module comment).
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ store: sqlite.webhooks, changes: engine.changes, render: toMonitor, guard });
 * dispatcher.start();
 * // …
 * await dispatcher.stop();
 */
export class WebhookDispatcher {
  readonly #store: WebhookStore;
  readonly #changes: WebhookDispatcherOptions['changes'];
  readonly #render: (operation: OperationRecord) => unknown;
  readonly #guard: OutboundGuard;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #pollIntervalMs: number;
  readonly #retentionMs: number;
  readonly #sweepIntervalMs: number;
  readonly #owner: string;
  readonly #random: () => number;
  readonly #userAgent: string;
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #logger: OperationLogger;
  /** The event type of the last change of each operation seen here, newest last (a bounded LRU). */
  readonly #lastType = new Map<string, WebhookEventType>();
  /**
   * Tenants found with no webhook subscription, and until when (epoch ms) that answer is trusted:
   * a change of theirs without a callback URL queued no message, so it need not wake a round.
   */
  readonly #unsubscribed = new Map<string, number>();
  /** Tenants whose subscriptions are being looked up. */
  readonly #checking = new Set<string>();
  /** Subscriptions made here so far: a look-up that overlapped one is not trusted. */
  #subscriptionChanges = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #stopping = new AbortController();
  #unsubscribe: (() => void) | undefined;
  #running = false;
  #pumping = false;
  #pumpAgain = false;
  #wakeTimer: TimerHandle;
  #sweepTimer: TimerHandle;
  readonly #claimsOutage: StoreOutageLog;
  readonly #recordsOutage: StoreOutageLog;
  readonly #sweepOutage: StoreOutageLog;

  constructor(options: WebhookDispatcherOptions) {
    this.#store = options.store;
    this.#changes = options.changes;
    this.#render = options.render;
    this.#guard = options.guard;
    this.#retry = retryPolicy(options.retry);
    this.#timeoutMs = positive(options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS, 'timeoutMs');
    this.#concurrency = positive(options.concurrency ?? 16, 'concurrency');
    this.#leaseMs = positive(options.leaseMs ?? Math.max(60_000, 3 * this.#timeoutMs), 'leaseMs');
    if (this.#leaseMs <= this.#timeoutMs) throw new RangeError('leaseMs must be longer than timeoutMs');
    this.#pollIntervalMs = positive(options.pollIntervalMs ?? 1_000, 'pollIntervalMs');
    this.#retentionMs = positive(options.deliveryRetentionMs ?? DEFAULT_DELIVERY_RETENTION_MS, 'deliveryRetentionMs');
    this.#sweepIntervalMs = positive(options.sweepIntervalMs ?? 600_000, 'sweepIntervalMs');
    this.#owner = options.owner ?? newId('dsp');
    this.#random = options.random ?? Math.random;
    this.#userAgent = options.userAgent ?? 'longrun-webhooks/0.1';
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? systemTimers;
    this.#logger = options.logger ?? silentLogger;
    this.#claimsOutage = new StoreOutageLog(this.#logger, 'webhook dispatcher', { owner: this.#owner });
    this.#recordsOutage = new StoreOutageLog(this.#logger, 'webhook delivery log', { owner: this.#owner });
    this.#sweepOutage = new StoreOutageLog(this.#logger, 'webhook retention sweep', { owner: this.#owner });
  }

  /** Starts queueing this process's changes and delivering due deliveries (including those left by a previous run). */
  start(): void {
    if (this.#running) throw new Error('the webhook dispatcher is already started');
    this.#running = true;
    this.#stopping = new AbortController();
    this.#unsubscribe = this.#changes?.subscribeAll((operation) => this.#onChange(operation));
    this.#wake();
    this.#scheduleSweep();
  }

  /**
   * Stops: aborts attempts in flight (they are given back, due at once, for the next run) and
   * waits for all of it to be recorded. The store stays open.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#timers.clearTimeout(this.#wakeTimer);
    this.#timers.clearTimeout(this.#sweepTimer);
    this.#stopping.abort();
    // A pump may be between claiming and starting its sends.
    while (this.#inFlight.size > 0 || this.#pumping) {
      await Promise.allSettled([...this.#inFlight]);
      if (this.#pumping) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * A subscription of `tenant` was made in this process: its changes may queue messages from now
   * on, so they wake a round again at once. (One made by another process is seen within a poll
   * interval, like the deliveries that process queues.)
   */
  subscriptionsChanged(tenant: string): void {
    this.#subscriptionChanges += 1;
    this.#unsubscribed.delete(tenant);
  }

  /** Asks for a delivery round now (after a change was queued, or an attempt finished). */
  #wake(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    this.#timers.clearTimeout(this.#wakeTimer);
    this.#wakeTimer = undefined;
    void this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#pumpAgain = false;
        const room = this.#concurrency - this.#inFlight.size;
        if (room <= 0) break; // a finishing attempt wakes the pump again
        const claimedAt = this.#clock.now();
        const claimed = await this.#store.claimDeliveries(this.#owner, room, this.#leaseMs, claimedAt);
        this.#claimsOutage.succeeded();
        for (const delivery of claimed) this.#begin(delivery, claimedAt.getTime() + this.#leaseMs);
        if (claimed.length === room) this.#pumpAgain = true;
      } while (this.#pumpAgain && this.#running);
      await this.#scheduleNextRound();
    } catch (error) {
      // Tried again at the next poll: the loop goes on through an outage.
      this.#claimsOutage.failed(error, 'claiming webhook deliveries failed');
      this.#setWakeTimer(this.#pollIntervalMs);
    } finally {
      this.#pumping = false;
    }
    if (this.#pumpAgain) this.#wake();
  }

  async #scheduleNextRound(): Promise<void> {
    if (!this.#running) return;
    const due = await this.#store.nextDeliveryDueAt();
    let delay = this.#pollIntervalMs;
    if (due !== undefined) delay = Math.min(delay, Date.parse(due) - this.#clock.now().getTime());
    // Never spin: a round that found nothing waits at least a moment.
    this.#setWakeTimer(Math.max(delay, 5));
  }

  #setWakeTimer(ms: number): void {
    if (!this.#running) return;
    this.#timers.clearTimeout(this.#wakeTimer);
    this.#wakeTimer = this.#timers.setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wake();
    }, ms);
  }

  /** Attempts `delivery`, claimed until `leaseEndsAt` (epoch ms). */
  #begin(delivery: ClaimedDelivery, leaseEndsAt: number): void {
    const attempt = this.#deliver(delivery, leaseEndsAt)
      .catch((error: unknown) =>
        this.#logger.error({ err: error, deliveryId: delivery.id }, 'recording a webhook delivery failed'),
      )
      .finally(() => {
        this.#inFlight.delete(attempt);
        this.#wake();
      });
    this.#inFlight.add(attempt);
  }

  async #deliver(delivery: ClaimedDelivery, leaseEndsAt: number): Promise<void> {
    const now = this.#clock.now();
    const outcome = await this.#attempt(delivery, now).catch((error: unknown): DeliveryAttempt => {
      // Not the endpoint's failure (stopping, or the database away before anything was sent):
      // given back, due at once, without counting an attempt.
      if (this.#stopping.signal.aborted || error instanceof StoreUnavailableError) return { outcome: 'released' };
      return this.#failure(delivery, null, error instanceof Error ? error.message : String(error), now);
    });
    const recorded = await this.#record(delivery, outcome, leaseEndsAt);
    const fields = {
      deliveryId: delivery.id,
      messageId: delivery.messageId,
      target: delivery.target,
      outcome: outcome.outcome,
    };
    if (!recorded) this.#logger.warn(fields, 'a webhook delivery was taken over or deleted while it was attempted');
    else if (outcome.outcome === 'gone')
      this.#logger.info(fields, 'an endpoint answered 410 Gone; nothing more is sent to it');
    else if (outcome.outcome === 'failed')
      this.#logger.warn({ ...fields, error: outcome.error }, 'a webhook delivery failed for good');
    else this.#logger.debug(fields, 'webhook delivery attempted');
  }

  /**
   * Records an attempt's outcome. When the database is away, the outcome is kept and recording
   * tried again (with backoff) until it answers, as long as this process holds the delivery's
   * lease: given up, the delivery would be sent again once the lease ran out, a minute later.
   */
  async #record(delivery: ClaimedDelivery, outcome: DeliveryAttempt, leaseEndsAt: number): Promise<boolean> {
    let delay: number = RECORD_RETRY_MS.min;
    for (;;) {
      try {
        const recorded = await this.#store.recordDeliveryAttempt(delivery.id, this.#owner, outcome, this.#clock.now());
        this.#recordsOutage.succeeded();
        return recorded;
      } catch (error) {
        const retry =
          error instanceof StoreUnavailableError &&
          !this.#stopping.signal.aborted &&
          this.#clock.now().getTime() + delay < leaseEndsAt;
        if (!retry) throw error;
        this.#recordsOutage.failed(error, 'recording a webhook delivery failed; trying again');
      }
      await this.#pause(delay);
      delay = Math.min(2 * delay, RECORD_RETRY_MS.max);
    }
  }

  /** Waits `ms`, or less when the dispatcher stops. */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.#stopping.signal;
      const done = (): void => {
        this.#timers.clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.#timers.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  async #attempt(delivery: ClaimedDelivery, now: Date): Promise<DeliveryAttempt> {
    const secrets =
      delivery.secrets ?? (await this.#store.ensureCallbackSecrets(delivery.tenant, newSigningSecret(), now));
    const monitor = this.#monitorJson(delivery);
    const body =
      delivery.target.kind === 'subscription'
        ? webhookEnvelope(delivery.type, delivery.messageCreatedAt, monitor)
        : monitor;
    const headers = {
      'content-type': 'application/json',
      'user-agent': this.#userAgent,
      ...signatureHeaders(secrets, delivery.messageId, body, now),
    };
    // Checked on every attempt: what a name resolves to may have changed since it was accepted.
    const target = await this.#guard.check(delivery.url).catch((error: unknown) => {
      throw new Error(`refused: ${error instanceof Error ? error.message : String(error)}`);
    });
    const status = await postToTarget(target, body, headers, {
      timeoutMs: this.#timeoutMs,
      signal: this.#stopping.signal,
    });
    if (status >= 200 && status < 300) return { outcome: 'succeeded', status };
    if (status === 410) return { outcome: 'gone', status };
    // 3xx included: redirects are never followed.
    return this.#failure(delivery, status, `HTTP ${status}`, now);
  }

  #failure(delivery: ClaimedDelivery, status: number | null, error: string, now: Date): DeliveryAttempt {
    const attempts = delivery.attempts + 1;
    const text = error.length > MAX_ERROR_LENGTH ? `${error.slice(0, MAX_ERROR_LENGTH - 1)}…` : error;
    if (attempts >= this.#retry.maxAttempts) return { outcome: 'failed', status, error: text };
    const delay = retryDelayMs(attempts, this.#retry, this.#random);
    return { outcome: 'retry', status, error: text, nextAttemptAt: new Date(now.getTime() + delay).toISOString() };
  }

  /**
   * The monitor a delivery carries, as JSON text: rendered from the operation the outbox kept (the
   * same at every attempt, since it is the operation at that version), or as appended.
   */
  #monitorJson(delivery: ClaimedDelivery): string {
    if (delivery.operation === null) return delivery.payload ?? 'null';
    try {
      return JSON.stringify(this.#render(delivery.operation));
    } catch (error) {
      throw new Error(`rendering the monitor failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A change made here: when it may have entered a new event type, its deliveries are due now. */
  #onChange(operation: OperationRecord): void {
    const type = eventTypeOf(operation);
    const seen = this.#lastType.get(operation.id);
    this.#lastType.delete(operation.id);
    if (!isFinalEventType(type)) {
      this.#lastType.set(operation.id, type);
      if (this.#lastType.size > REMEMBERED_OPERATIONS) {
        const oldest = this.#lastType.keys().next().value;
        if (oldest !== undefined) this.#lastType.delete(oldest);
      }
    }
    if (seen === type) return;
    // A change with no callback, of a tenant known to have no subscription, queued nothing: a round
    // would claim nothing. (Whether it queued is the outbox's decision, made in the change's own
    // transaction; this only spares a claim, so a stale answer delays a delivery by a poll at most.)
    if (operation.callbackUrl === null && this.#knownUnsubscribed(operation.tenant)) return;
    this.#wake();
  }

  /** Whether `tenant` is known to have no subscription; looks it up (for the next change) when not known. */
  #knownUnsubscribed(tenant: string): boolean {
    const until = this.#unsubscribed.get(tenant);
    const now = this.#clock.now().getTime();
    if (until !== undefined && until > now) return true;
    this.#unsubscribed.delete(tenant);
    if (!this.#checking.has(tenant)) {
      this.#checking.add(tenant);
      const changes = this.#subscriptionChanges;
      this.#store
        .listSubscriptions({ tenant, limit: 1 })
        .then((page) => {
          // Trusted for a poll interval: the poll is what finds another process's deliveries too.
          if (
            page.items.length === 0 &&
            changes === this.#subscriptionChanges &&
            this.#unsubscribed.size < REMEMBERED_OPERATIONS
          )
            this.#unsubscribed.set(tenant, now + this.#pollIntervalMs);
        })
        .catch((error: unknown) => this.#logger.warn({ err: error, tenant }, 'looking up webhook subscriptions failed'))
        .finally(() => this.#checking.delete(tenant));
    }
    return false;
  }

  #scheduleSweep(): void {
    this.#sweepTimer = this.#timers.setTimeout(() => {
      const before = new Date(this.#clock.now().getTime() - this.#retentionMs);
      this.#store
        .deleteFinishedDeliveries(before)
        .then((deleted) => {
          this.#sweepOutage.succeeded();
          if (deleted > 0) this.#logger.info({ deleted }, 'deleted webhook deliveries past retention');
        })
        .catch((error: unknown) => this.#sweepOutage.failed(error, 'webhook delivery retention sweep failed'))
        .finally(() => {
          if (this.#running) this.#scheduleSweep();
        });
    }, this.#sweepIntervalMs);
  }
}

function positive(value: number, what: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${what} must be a positive number: ${value}`);
  return value;
}
