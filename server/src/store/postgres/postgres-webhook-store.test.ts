import { afterEach, describe, expect, it } from 'vitest';
import { newId, newOperationId } from '../../operations/ids.ts';
import type { NewPushMessage, NewWebhookSubscription, WebhookStore } from '../../operations/ports/webhook-store.ts';
import { WEBHOOK_EVENT_TYPES } from '../../operations/ports/webhook-store.ts';
import { useMigratedTestDatabase } from '../../testing/migrated-postgres-database.ts';
import { describeOutboxConformance } from '../../testing/outbox-conformance.ts';
import { at, iso, TENANT } from '../../testing/store-fixtures.ts';
import { describeWebhookStoreConformance } from '../../testing/webhook-store-conformance.ts';
import { createPostgresStore, type PostgresOperationStore } from './postgres-store.ts';

const LEASE_MS = 30_000;
const SECRET = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const db = useMigratedTestDatabase([
  'webhook_deliveries',
  'webhook_messages',
  'webhook_subscriptions',
  'callback_secrets',
  'operations',
  'idempotency_keys',
  'resources',
]);
const emptyStore = () => db.emptyStore();

describeWebhookStoreConformance('postgres', async () => {
  const store = await emptyStore();
  return { store: store.webhooks, cleanup: () => store.close() };
});

describeOutboxConformance('postgres', async () => {
  const store = await emptyStore();
  return { store, cleanup: () => store.close() };
});

describe('PostgresWebhookStore across instances on one database', () => {
  const open: PostgresOperationStore[] = [];
  let a: WebhookStore;
  let b: WebhookStore;

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  /** Two stores on one database, as two processes would have. */
  async function twoInstances(): Promise<void> {
    const first = await emptyStore();
    const second = await createPostgresStore({ connectionString: db.url });
    open.push(first, second);
    [a, b] = [first.webhooks, second.webhooks];
  }

  function newSubscription(tenant = TENANT): NewWebhookSubscription {
    return {
      id: newId('whs', at(0)),
      tenant,
      url: 'https://hooks.example.com/longrun',
      description: null,
      eventTypes: [...WEBHOOK_EVENT_TYPES],
      secret: SECRET,
      createdAt: iso(0),
    };
  }

  function message(operationId: string, version: number, type = WEBHOOK_EVENT_TYPES[0]): NewPushMessage {
    return {
      id: `msg_${operationId.slice(3)}_${version}`,
      tenant: TENANT,
      operationId,
      operationVersion: version,
      type: type ?? 'monitor.queued',
      payload: JSON.stringify({ id: operationId, version }),
      callbackUrl: null,
      createdAt: iso(version),
    };
  }

  it('keeps the per-tenant limit when creates race on two instances', async () => {
    await twoInstances();
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).createSubscription(newSubscription(), 5)),
    );
    expect(outcomes.filter((outcome) => outcome !== 'limit-reached')).toHaveLength(5);
    expect((await a.listSubscriptions({ tenant: TENANT, limit: 100 })).items).toHaveLength(5);
  });

  it('never hands one delivery to two dispatchers claiming on two instances at once', async () => {
    await twoInstances();
    await a.createSubscription(newSubscription(), 100);
    for (let i = 0; i < 30; i += 1) await a.appendMessage(message(newOperationId(at(i)), 1));
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).claimDeliveries(`dispatcher-${i}`, 4, LEASE_MS, at(60)),
      ),
    );
    const ids = claims.flat().map((delivery) => delivery.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it("stores one operation's racing changes once each, and hands them out in version order", async () => {
    await twoInstances();
    await a.createSubscription(newSubscription(), 100);
    const operationId = newOperationId(at(0));
    const types = ['monitor.queued', 'monitor.running', 'monitor.waiting', 'monitor.running'] as const;
    // Each change appended by both instances at once (as if seen twice), all changes at once.
    const outcomes = await Promise.all(
      types.flatMap((type, i) => [
        a.appendMessage(message(operationId, i + 1, type)),
        b.appendMessage(message(operationId, i + 1, type)),
      ]),
    );
    const appended = outcomes.filter((outcome) => outcome.outcome === 'appended');
    // Late ones are skipped; whatever was stored, stored once, and sent in version order.
    expect(appended.length).toBeGreaterThanOrEqual(1);
    const sent: number[] = [];
    for (let second = 60; ; second += 1) {
      const [next] = await (second % 2 === 0 ? a : b).claimDeliveries('dispatcher', 10, LEASE_MS, at(second));
      if (next === undefined) break;
      sent.push(next.operationVersion);
      await (second % 2 === 0 ? a : b).recordDeliveryAttempt(
        next.id,
        'dispatcher',
        { outcome: 'succeeded', status: 204 },
        at(second),
      );
    }
    expect(sent).toHaveLength(appended.length);
    expect(sent).toStrictEqual([...sent].sort((x, y) => x - y));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('lets only the dispatcher that holds the lease record an attempt, when both record at once', async () => {
    await twoInstances();
    await a.createSubscription(newSubscription(), 100);
    await a.appendMessage(message(newOperationId(at(0)), 1));
    const [first] = await a.claimDeliveries('dispatcher-a', 1, LEASE_MS, at(1));
    // The lease ran out; the other instance took the delivery over.
    const [taken] = await b.claimDeliveries('dispatcher-b', 1, LEASE_MS, at(1 + LEASE_MS / 1000));
    expect(taken?.id).toBe(first?.id);
    const recorded = await Promise.all([
      a.recordDeliveryAttempt(first?.id ?? '', 'dispatcher-a', { outcome: 'succeeded', status: 200 }, at(40)),
      b.recordDeliveryAttempt(
        taken?.id ?? '',
        'dispatcher-b',
        { outcome: 'retry', status: 503, error: 'HTTP 503', nextAttemptAt: iso(50) },
        at(40),
      ),
    ]);
    expect(recorded).toStrictEqual([false, true]);
    const [log] = (
      await a.listDeliveries({
        tenant: TENANT,
        subscriptionId: first?.target.kind === 'subscription' ? first.target.subscriptionId : '',
        limit: 1,
      })
    ).items;
    expect(log).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 503, nextAttemptAt: iso(50) });
  });

  it("records one of two 410s of a subscription's deliveries answered on two instances at once", async () => {
    await twoInstances();
    const subscription = await a.createSubscription(newSubscription(), 100);
    if (subscription === 'limit-reached') throw new Error('expected a subscription');
    for (let i = 0; i < 3; i += 1) await a.appendMessage(message(newOperationId(at(i)), 1));
    const [one, two] = await a.claimDeliveries('dispatcher-a', 2, LEASE_MS, at(5));
    const recorded = await Promise.all([
      a.recordDeliveryAttempt(one?.id ?? '', 'dispatcher-a', { outcome: 'gone', status: 410 }, at(6)),
      b.recordDeliveryAttempt(two?.id ?? '', 'dispatcher-a', { outcome: 'gone', status: 410 }, at(6)),
    ]);
    // The first 410 recorded drops the other delivery, whose own record then finds it no longer
    // pending; neither waits on the other's row (no deadlock).
    expect([...recorded].sort()).toStrictEqual([false, true]);
    expect((await b.getSubscription(TENANT, subscription.id))?.state).toBe('disabled');
    const log = (await b.listDeliveries({ tenant: TENANT, subscriptionId: subscription.id, limit: 10 })).items;
    expect(log.map((delivery) => delivery.state).sort()).toStrictEqual(['dropped', 'dropped', 'failed']);
  });

  it('keeps text PostgreSQL cannot hold out of its queries', async () => {
    await twoInstances();
    const created = await a.createSubscription({ ...newSubscription(), description: 'nul \u0000 inside' }, 100);
    expect(created !== 'limit-reached' && created.description).toBe('nul \u0000 inside');
    expect(await a.getSubscription(TENANT, 'whs_\u0000')).toBeUndefined();
    expect(await a.deleteSubscription(TENANT, 'whs_\u0000')).toBe(false);
    expect(await a.recordDeliveryAttempt('dlv_\u0000', 'x', { outcome: 'released' }, at(1))).toBe(false);
  });
});
