/**
 * Builds push delivery for a server: the SSRF guard, the webhook dispatcher, and the context the
 * push routes are given.
 */
import type { OperationEngine } from '../operations/engine.ts';
import type { OperationLogger } from '../operations/logger.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { Clock } from '../operations/ports/clock.ts';
import type { WebhookStore } from '../operations/ports/webhook-store.ts';
import { DEFAULT_SECRET_GRACE_MS } from './callbacks.ts';
import type { PushContext, PushOptions } from './push-settings.ts';
import { parseSecretKeys, SecretBox, sealedWebhookStore } from './sealed-secrets.ts';
import { DEFAULT_KEEP_ALIVE_MS, DEFAULT_RECONNECT_MS } from './sse-stream.ts';
import { OutboundGuard } from './ssrf-guard.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';

/** What {@link createPush} wires together. */
export interface CreatePushOptions extends PushOptions {
  webhooks: WebhookStore;
  engine: Pick<OperationEngine, 'changes'>;
  render: (operation: OperationRecord) => unknown;
  clock: Clock;
  logger: OperationLogger;
}

/** The guard, the dispatcher (not started) and the routes' context. */
export function createPush(options: CreatePushOptions): {
  guard: OutboundGuard;
  dispatcher: WebhookDispatcher;
  context: PushContext;
} {
  const keys = parseSecretKeys(options.secretKey ?? '');
  if (keys.length === 0) {
    options.logger.warn(
      { setting: 'LONGRUN_SECRET_KEY' },
      'LONGRUN_SECRET_KEY is not set: webhook and callback signing secrets are stored unencrypted (see docs/operations.md)',
    );
  }
  const webhooks = keys.length === 0 ? options.webhooks : sealedWebhookStore(options.webhooks, new SecretBox(keys));
  const guard = new OutboundGuard({
    allow: options.outboundAllow,
    resolve: options.resolve,
  });
  const dispatcher = new WebhookDispatcher({
    store: webhooks,
    changes: options.engine.changes,
    render: options.render,
    guard,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    pollIntervalMs: options.pollIntervalMs,
    leaseMs: options.leaseMs,
    deliveryRetentionMs: options.deliveryRetentionMs,
    random: options.random,
    clock: options.clock,
    logger: options.logger,
  });
  const context: PushContext = {
    webhooks: tellingDispatcher(webhooks, dispatcher),
    guard,
    secretGraceMs: options.secretGraceMs ?? DEFAULT_SECRET_GRACE_MS,
    maxSubscriptionsPerTenant: options.maxSubscriptionsPerTenant ?? 25,
    keepAliveMs: options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
    reconnectMs: options.reconnectMs ?? DEFAULT_RECONNECT_MS,
    maxStreamsPerTenant: options.maxStreamsPerTenant ?? 100,
  };
  return { guard, dispatcher, context };
}

/**
 * `store` for the routes: a subscription made through it tells `dispatcher` at once, so the next
 * changes of its tenant wake a delivery round (the dispatcher skips rounds for tenants it found
 * with no subscription).
 */
function tellingDispatcher(store: WebhookStore, dispatcher: WebhookDispatcher): WebhookStore {
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property !== 'createSubscription') return (value as (...args: unknown[]) => unknown).bind(target);
      const create: WebhookStore['createSubscription'] = async (subscription, maxPerTenant) => {
        // Told before and after: a round started meanwhile may have read the tenant as unsubscribed.
        dispatcher.subscriptionsChanged(subscription.tenant);
        try {
          return await target.createSubscription(subscription, maxPerTenant);
        } finally {
          dispatcher.subscriptionsChanged(subscription.tenant);
        }
      };
      return create;
    },
  });
}
