/**
 * A change made in this process wakes the webhook dispatcher for a delivery round (a claim, a
 * write of the store) only when it may have queued a message: a change without a callback URL of
 * a tenant found with no subscription queued none, so it claims nothing. A subscription made
 * through the routes' store makes that tenant's changes wake a round again at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeListener } from '../operations/changes.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { WebhookStore } from '../operations/ports/webhook-store.ts';
import { createSqliteStore, type SqliteOperationStore } from '../store/sqlite/sqlite-store.ts';
import { newOperation, TENANT } from '../testing/store-fixtures.ts';
import { createPush } from './create-push.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

/** The store's webhooks, counting claims and telling when a round and a subscription look-up end. */
function observed(store: WebhookStore) {
  const seen = { claims: 0, roundsEnded: 0, lookups: [] as Promise<unknown>[] };
  let roundEnded: (() => void) | undefined;
  const proxy = new Proxy(store, {
    get(target, property) {
      const method = Reflect.get(target, property, target) as (...args: unknown[]) => Promise<unknown>;
      if (typeof method !== 'function') return method;
      return (...args: unknown[]) => {
        const result = method.apply(target, args);
        if (property === 'claimDeliveries') seen.claims += 1;
        if (property === 'listSubscriptions') seen.lookups.push(result.then(() => new Promise(setImmediate)));
        // A round ends by asking when the next delivery is due.
        if (property === 'nextDeliveryDueAt')
          void result.then(() => {
            seen.roundsEnded += 1;
            roundEnded?.();
          });
        return result;
      };
    },
  });
  const nextRoundEnd = () =>
    new Promise<void>((resolve) => {
      roundEnded = resolve;
    });
  return { proxy, seen, nextRoundEnd };
}

describe('what wakes the webhook dispatcher', () => {
  let store: SqliteOperationStore;
  let dispatcher: WebhookDispatcher;
  const listeners: ChangeListener[] = [];
  const publish = (record: OperationRecord) => {
    for (const listener of listeners) listener(record);
  };

  beforeEach(async () => {
    store = await createSqliteStore({ filename: ':memory:' });
  });

  afterEach(async () => {
    await dispatcher?.stop();
    await store.close();
  });

  async function start() {
    const { proxy, seen, nextRoundEnd } = observed(store.webhooks);
    const push = createPush({
      webhooks: proxy,
      engine: {
        changes: {
          subscribeAll(listener: ChangeListener) {
            listeners.push(listener);
            return () => listeners.splice(listeners.indexOf(listener), 1);
          },
        },
      } as never,
      render: (operation) => operation,
      clock: { now: () => new Date() },
      logger: { debug() {}, info() {}, warn() {}, error() {} } as never,
      // Only the wake-ups claim during the test.
      pollIntervalMs: 60_000,
    });
    dispatcher = push.dispatcher;
    const firstRound = nextRoundEnd();
    dispatcher.start();
    await firstRound;
    return { seen, nextRoundEnd, routesStore: push.context.webhooks };
  }

  async function accepted(callbackUrl: string | null = null): Promise<OperationRecord> {
    const outcome = await store.createOperation({ operation: { ...newOperation(), callbackUrl } });
    if (outcome.outcome !== 'created') throw new Error(outcome.outcome);
    return outcome.operation;
  }

  it('claims nothing for the changes of a tenant with no subscription, once it has looked', async () => {
    const { seen, nextRoundEnd } = await start();
    const first = await accepted();
    const round = nextRoundEnd();
    publish(first);
    await round;
    await Promise.all(seen.lookups);
    const claims = seen.claims;
    for (let i = 0; i < 10; i++) publish(await accepted());
    await new Promise(setImmediate);
    expect(seen.claims).toBe(claims);
    expect(seen.lookups).toHaveLength(1);
  });

  it('still claims for a change with a callback URL', async () => {
    const { seen, nextRoundEnd } = await start();
    publish(await accepted());
    await Promise.all(seen.lookups);
    const claims = seen.claims;
    const round = nextRoundEnd();
    publish(await accepted('https://example.test/callback'));
    await round;
    expect(seen.claims).toBeGreaterThan(claims);
  });

  it('claims again at once for a tenant once a subscription is made through the routes', async () => {
    const { seen, nextRoundEnd, routesStore } = await start();
    publish(await accepted());
    await Promise.all(seen.lookups);
    await routesStore.createSubscription(
      {
        id: 'whs_1',
        tenant: TENANT,
        url: 'https://example.test/hook',
        description: null,
        eventTypes: ['monitor.queued'],
        secret: 'whsec_c2VjcmV0',
        createdAt: new Date().toISOString(),
      },
      25,
    );
    const claims = seen.claims;
    const round = nextRoundEnd();
    publish(await accepted());
    await round;
    expect(seen.claims).toBeGreaterThan(claims);
  });
});
