/**
 * The webhook store conformance suite: the executable specification of {@link WebhookStore}.
 *
 * Every adapter runs it unchanged (`describeWebhookStoreConformance('sqlite', makeStore)`), with a
 * fresh, empty store per test. Time is passed in; nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { newId, newOperationId } from '../operations/ids.ts';
import { InvalidCursorError } from '../operations/ports/index.ts';
import type {
  ClaimedDelivery,
  NewPushMessage,
  NewWebhookSubscription,
  WebhookEventType,
  WebhookStore,
  WebhookSubscriptionRecord,
} from '../operations/ports/webhook-store.ts';
import { WEBHOOK_EVENT_TYPES } from '../operations/ports/webhook-store.ts';
import { at, freshStorePerTest, iso, type MadeStore, OTHER_TENANT, TENANT } from './store-fixtures.ts';

/** A fresh, empty webhook store for one test, and how to dispose of it. */
export type WebhookStoreUnderTest = MadeStore<WebhookStore>;

const LEASE_MS = 30_000;
const SECRET_A = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const SECRET_B = 'whsec_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';
const SECRET_C = 'whsec_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=';

/** Registers the conformance suite for the adapter `makeStore` builds. */
export function describeWebhookStoreConformance(name: string, makeStore: () => Promise<WebhookStoreUnderTest>): void {
  describe(`WebhookStore conformance: ${name}`, () => {
    let store: WebhookStore;
    freshStorePerTest(makeStore, (made) => {
      store = made;
    });

    function newSubscription(
      overrides: Partial<NewWebhookSubscription> & { at?: number } = {},
    ): NewWebhookSubscription {
      const { at: seconds = 0, ...fields } = overrides;
      return {
        id: newId('whs', at(seconds)),
        tenant: TENANT,
        url: 'https://hooks.example.com/longrun',
        description: null,
        eventTypes: [...WEBHOOK_EVENT_TYPES],
        secret: SECRET_A,
        createdAt: iso(seconds),
        ...fields,
      };
    }

    async function subscribe(
      overrides: Partial<NewWebhookSubscription> & { at?: number } = {},
    ): Promise<WebhookSubscriptionRecord> {
      const created = await store.createSubscription(newSubscription(overrides), 100);
      if (created === 'limit-reached') throw new Error('expected a subscription');
      return created;
    }

    function message(
      operationId: string,
      version: number,
      type: WebhookEventType,
      overrides: Partial<NewPushMessage> & { at?: number } = {},
    ): NewPushMessage {
      const { at: seconds = version, ...fields } = overrides;
      return {
        id: `msg_${operationId.slice(3)}_${version}`,
        tenant: TENANT,
        operationId,
        operationVersion: version,
        type,
        payload: JSON.stringify({ id: operationId, version }),
        callbackUrl: null,
        createdAt: iso(seconds),
        ...fields,
      };
    }

    async function claimAll(seconds: number, owner = 'dispatcher-1'): Promise<ClaimedDelivery[]> {
      return store.claimDeliveries(owner, 100, LEASE_MS, at(seconds));
    }

    describe('subscriptions', () => {
      it('creates an enabled subscription with its secret and reads it back', async () => {
        const created = await subscribe({ description: 'orders', eventTypes: ['monitor.succeeded'] });
        expect(created).toStrictEqual({
          id: created.id,
          tenant: TENANT,
          url: 'https://hooks.example.com/longrun',
          description: 'orders',
          eventTypes: ['monitor.succeeded'],
          secrets: { current: SECRET_A, previous: null, previousExpiresAt: null },
          state: 'enabled',
          disabledReason: null,
          createdAt: iso(0),
          updatedAt: iso(0),
        });
        expect(await store.getSubscription(TENANT, created.id)).toStrictEqual(created);
      });

      it("does not show one tenant's subscription to another", async () => {
        const created = await subscribe();
        expect(await store.getSubscription(OTHER_TENANT, created.id)).toBeUndefined();
        expect(await store.deleteSubscription(OTHER_TENANT, created.id)).toBe(false);
        expect(await store.rotateSubscriptionSecret(OTHER_TENANT, created.id, SECRET_B, iso(9), at(1))).toBeUndefined();
        expect((await store.listSubscriptions({ tenant: OTHER_TENANT, limit: 10 })).items).toStrictEqual([]);
      });

      it('refuses a subscription beyond the per-tenant limit, counting per tenant', async () => {
        await store.createSubscription(newSubscription(), 2);
        await store.createSubscription(newSubscription(), 2);
        expect(await store.createSubscription(newSubscription(), 2)).toBe('limit-reached');
        expect(await store.createSubscription(newSubscription({ tenant: OTHER_TENANT }), 2)).not.toBe('limit-reached');
        expect((await store.listSubscriptions({ tenant: TENANT, limit: 10 })).items).toHaveLength(2);
      });

      it('lists newest first and visits every subscription once across pages', async () => {
        const made: string[] = [];
        for (let i = 0; i < 5; i += 1) made.push((await subscribe({ at: i })).id);
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listSubscriptions({ tenant: TENANT, after, limit: 2 });
          seen.push(...page.items.map((item) => item.id));
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(seen).toStrictEqual([...made].reverse());
      });

      it('rejects a cursor it did not issue', async () => {
        await expect(store.listSubscriptions({ tenant: TENANT, after: 'bm9wZQ', limit: 2 })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });

      it('rotates the secret, keeping the old one as previous until the given time', async () => {
        const created = await subscribe();
        const rotated = await store.rotateSubscriptionSecret(TENANT, created.id, SECRET_B, iso(100), at(10));
        expect(rotated?.secrets).toStrictEqual({ current: SECRET_B, previous: SECRET_A, previousExpiresAt: iso(100) });
        expect(rotated?.updatedAt).toBe(iso(10));
        const again = await store.rotateSubscriptionSecret(TENANT, created.id, SECRET_C, iso(200), at(20));
        expect(again?.secrets).toStrictEqual({ current: SECRET_C, previous: SECRET_B, previousExpiresAt: iso(200) });
      });

      it('deletes a subscription with its deliveries', async () => {
        const created = await subscribe();
        const operationId = newOperationId(at(1));
        await store.appendMessage(message(operationId, 1, 'monitor.queued'));
        expect(await store.deleteSubscription(TENANT, created.id)).toBe(true);
        expect(await store.getSubscription(TENANT, created.id)).toBeUndefined();
        expect(await claimAll(5)).toStrictEqual([]);
        expect(await store.deleteSubscription(TENANT, created.id)).toBe(false);
      });
    });

    describe('callback secrets', () => {
      it('has none before the first use, then keeps the first one stored', async () => {
        expect(await store.getCallbackSecrets(TENANT)).toBeUndefined();
        const first = await store.ensureCallbackSecrets(TENANT, SECRET_A, at(0));
        expect(first).toStrictEqual({ current: SECRET_A, previous: null, previousExpiresAt: null });
        expect(await store.ensureCallbackSecrets(TENANT, SECRET_B, at(1))).toStrictEqual(first);
        expect(await store.getCallbackSecrets(TENANT)).toStrictEqual(first);
        expect(await store.getCallbackSecrets(OTHER_TENANT)).toBeUndefined();
      });

      it('rotates, keeping the old secret as previous; a first rotation just sets one', async () => {
        expect(await store.rotateCallbackSecrets(TENANT, SECRET_A, iso(50), at(0))).toStrictEqual({
          current: SECRET_A,
          previous: null,
          previousExpiresAt: null,
        });
        expect(await store.rotateCallbackSecrets(TENANT, SECRET_B, iso(60), at(10))).toStrictEqual({
          current: SECRET_B,
          previous: SECRET_A,
          previousExpiresAt: iso(60),
        });
      });
    });

    describe('appendMessage', () => {
      it('stores nothing when no subscription wants it and there is no callback', async () => {
        await subscribe({ eventTypes: ['monitor.succeeded'] });
        await subscribe({ tenant: OTHER_TENANT });
        const operationId = newOperationId(at(1));
        expect(await store.appendMessage(message(operationId, 1, 'monitor.queued'))).toStrictEqual({
          outcome: 'no-targets',
        });
        expect(await claimAll(5)).toStrictEqual([]);
      });

      it('queues one delivery per enabled subscription that wants the type, and one for the callback', async () => {
        const all = await subscribe();
        const finishedOnly = await subscribe({ eventTypes: ['monitor.succeeded', 'monitor.failed'] });
        const operationId = newOperationId(at(1));
        const appended = await store.appendMessage(
          message(operationId, 3, 'monitor.succeeded', { callbackUrl: 'https://client.example.com/cb' }),
        );
        expect(appended).toStrictEqual({ outcome: 'appended', deliveries: 3 });
        const claimed = await claimAll(5);
        expect(
          claimed.map((delivery) => delivery.target).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        ).toStrictEqual([
          { kind: 'callback' },
          { kind: 'subscription', subscriptionId: all.id },
          { kind: 'subscription', subscriptionId: finishedOnly.id },
        ]);
        const callback = claimed.find((delivery) => delivery.target.kind === 'callback');
        expect(callback).toMatchObject({
          tenant: TENANT,
          url: 'https://client.example.com/cb',
          messageId: `msg_${operationId.slice(3)}_3`,
          type: 'monitor.succeeded',
          operationId,
          operationVersion: 3,
          payload: JSON.stringify({ id: operationId, version: 3 }),
          messageCreatedAt: iso(3),
          attempts: 0,
          secrets: undefined,
        });
        const subscribed = claimed.find(
          (delivery) => delivery.target.kind === 'subscription' && delivery.target.subscriptionId === all.id,
        );
        expect(subscribed?.secrets).toStrictEqual({ current: SECRET_A, previous: null, previousExpiresAt: null });
        expect(subscribed?.url).toBe('https://hooks.example.com/longrun');
      });

      it('gives callback deliveries the tenant callback secrets once they exist', async () => {
        await store.ensureCallbackSecrets(TENANT, SECRET_C, at(0));
        const operationId = newOperationId(at(1));
        await store.appendMessage(
          message(operationId, 1, 'monitor.queued', { callbackUrl: 'https://client.example.com/cb' }),
        );
        const [callback] = await claimAll(5);
        expect(callback?.secrets).toStrictEqual({ current: SECRET_C, previous: null, previousExpiresAt: null });
      });

      it('skips a message of the same type as the latest one, and one older than it', async () => {
        await subscribe();
        const operationId = newOperationId(at(1));
        expect((await store.appendMessage(message(operationId, 2, 'monitor.running'))).outcome).toBe('appended');
        expect(await store.appendMessage(message(operationId, 3, 'monitor.running'))).toStrictEqual({
          outcome: 'unchanged',
        });
        expect(await store.appendMessage(message(operationId, 1, 'monitor.queued'))).toStrictEqual({
          outcome: 'unchanged',
        });
        expect(await store.appendMessage(message(operationId, 2, 'monitor.waiting'))).toStrictEqual({
          outcome: 'unchanged',
        });
        expect((await store.appendMessage(message(operationId, 4, 'monitor.waiting'))).outcome).toBe('appended');
        expect((await store.appendMessage(message(operationId, 5, 'monitor.running'))).outcome).toBe('appended');
      });

      it('appends the same change once when it is appended twice at once', async () => {
        await subscribe();
        const operationId = newOperationId(at(1));
        const outcomes = await Promise.all([
          store.appendMessage(message(operationId, 1, 'monitor.queued')),
          store.appendMessage(message(operationId, 1, 'monitor.queued')),
        ]);
        expect(outcomes.map((outcome) => outcome.outcome).sort()).toStrictEqual(['appended', 'unchanged']);
        expect(await claimAll(5)).toHaveLength(1);
      });
    });

    describe('claimDeliveries', () => {
      it('leases what it claims: a second claim gets nothing until the lease expires', async () => {
        await subscribe();
        await store.appendMessage(message(newOperationId(at(1)), 1, 'monitor.queued'));
        expect(await claimAll(5, 'dispatcher-1')).toHaveLength(1);
        expect(await claimAll(6, 'dispatcher-2')).toStrictEqual([]);
        expect(await claimAll(5 + LEASE_MS / 1000, 'dispatcher-2')).toHaveLength(1);
      });

      it('claims nothing before it is due', async () => {
        await subscribe();
        await store.appendMessage(message(newOperationId(at(1)), 1, 'monitor.queued', { at: 10 }));
        expect(await claimAll(9)).toStrictEqual([]);
        expect(await claimAll(10)).toHaveLength(1);
      });

      it("holds back an operation's later deliveries to a target until the earlier one is done", async () => {
        await subscribe();
        const first = newOperationId(at(1));
        const second = newOperationId(at(1));
        await store.appendMessage(message(first, 1, 'monitor.queued'));
        await store.appendMessage(message(first, 2, 'monitor.running'));
        await store.appendMessage(message(second, 1, 'monitor.queued'));
        const claimed = await claimAll(5);
        expect(claimed.map((delivery) => [delivery.operationId, delivery.operationVersion])).toStrictEqual([
          [first, 1],
          [second, 1],
        ]);
        const head = claimed[0] as ClaimedDelivery;
        await store.recordDeliveryAttempt(
          head.id,
          'dispatcher-1',
          { outcome: 'retry', status: 503, error: 'HTTP 503', nextAttemptAt: iso(6) },
          at(5),
        );
        // The head is pending again (due later): the one behind it still waits.
        expect(await claimAll(5)).toStrictEqual([]);
        const [retried] = await claimAll(6);
        expect(retried?.operationVersion).toBe(1);
        await store.recordDeliveryAttempt(
          retried?.id ?? '',
          'dispatcher-1',
          { outcome: 'succeeded', status: 200 },
          at(6),
        );
        const [next] = await claimAll(6);
        expect([next?.operationId, next?.operationVersion]).toStrictEqual([first, 2]);
      });

      it('claims at most `limit`, oldest due first', async () => {
        await subscribe();
        for (let i = 0; i < 4; i += 1)
          await store.appendMessage(message(newOperationId(at(i)), 1, 'monitor.queued', { at: 4 - i }));
        const claimed = await store.claimDeliveries('dispatcher-1', 2, LEASE_MS, at(10));
        expect(claimed.map((delivery) => delivery.messageCreatedAt)).toStrictEqual([iso(1), iso(2)]);
      });
    });

    describe('recordDeliveryAttempt', () => {
      async function oneClaimed(callbackUrl: string | null = null, subscribed = true): Promise<ClaimedDelivery> {
        if (subscribed) await subscribe();
        await store.appendMessage(message(newOperationId(at(1)), 1, 'monitor.queued', { callbackUrl }));
        const [claimed] = await claimAll(5);
        if (claimed === undefined) throw new Error('expected a claimed delivery');
        return claimed;
      }

      async function logOf(subscriptionId: string) {
        return (await store.listDeliveries({ tenant: TENANT, subscriptionId, limit: 100 })).items;
      }

      it('records a success: no longer pending, one attempt, the status kept', async () => {
        const claimed = await oneClaimed();
        expect(
          await store.recordDeliveryAttempt(claimed.id, 'dispatcher-1', { outcome: 'succeeded', status: 204 }, at(6)),
        ).toBe(true);
        const subscriptionId = claimed.target.kind === 'subscription' ? claimed.target.subscriptionId : '';
        expect(await logOf(subscriptionId)).toStrictEqual([
          {
            id: claimed.id,
            tenant: TENANT,
            subscriptionId,
            messageId: claimed.messageId,
            type: 'monitor.queued',
            operationId: claimed.operationId,
            operationVersion: 1,
            state: 'succeeded',
            attempts: 1,
            nextAttemptAt: null,
            lastAttemptAt: iso(6),
            lastStatus: 204,
            lastError: null,
            createdAt: iso(1),
            finishedAt: iso(6),
          },
        ]);
        expect(await claimAll(100)).toStrictEqual([]);
        expect(await store.nextDeliveryDueAt()).toBeUndefined();
      });

      it('records a retry: pending again at the given time, with the failure', async () => {
        const claimed = await oneClaimed();
        await store.recordDeliveryAttempt(
          claimed.id,
          'dispatcher-1',
          { outcome: 'retry', status: null, error: 'connect ECONNREFUSED', nextAttemptAt: iso(20) },
          at(6),
        );
        expect(await store.nextDeliveryDueAt()).toBe(iso(20));
        const [again] = await claimAll(20);
        expect(again).toMatchObject({ id: claimed.id, attempts: 1 });
        const subscriptionId = claimed.target.kind === 'subscription' ? claimed.target.subscriptionId : '';
        const [logged] = await logOf(subscriptionId);
        expect(logged).toMatchObject({
          state: 'pending',
          attempts: 1,
          lastStatus: null,
          lastError: 'connect ECONNREFUSED',
          lastAttemptAt: iso(6),
        });
      });

      it('records a last failure: failed, never claimed again', async () => {
        const claimed = await oneClaimed();
        await store.recordDeliveryAttempt(
          claimed.id,
          'dispatcher-1',
          { outcome: 'failed', status: 500, error: 'HTTP 500' },
          at(6),
        );
        expect(await claimAll(1000)).toStrictEqual([]);
        const subscriptionId = claimed.target.kind === 'subscription' ? claimed.target.subscriptionId : '';
        expect((await logOf(subscriptionId))[0]).toMatchObject({
          state: 'failed',
          attempts: 1,
          lastStatus: 500,
          finishedAt: iso(6),
        });
      });

      it('gives a released delivery back at once without counting an attempt', async () => {
        const claimed = await oneClaimed();
        await store.recordDeliveryAttempt(claimed.id, 'dispatcher-1', { outcome: 'released' }, at(6));
        const [again] = await claimAll(6, 'dispatcher-2');
        expect(again).toMatchObject({ id: claimed.id, attempts: 0 });
      });

      it('changes nothing for an owner that lost the lease', async () => {
        const claimed = await oneClaimed();
        const [taken] = await claimAll(5 + LEASE_MS / 1000, 'dispatcher-2');
        expect(taken?.id).toBe(claimed.id);
        expect(
          await store.recordDeliveryAttempt(claimed.id, 'dispatcher-1', { outcome: 'succeeded', status: 200 }, at(40)),
        ).toBe(false);
        expect(
          await store.recordDeliveryAttempt(claimed.id, 'dispatcher-2', { outcome: 'succeeded', status: 200 }, at(40)),
        ).toBe(true);
        expect(
          await store.recordDeliveryAttempt(
            'dlv_unknown0000000000',
            'dispatcher-2',
            { outcome: 'succeeded', status: 200 },
            at(40),
          ),
        ).toBe(false);
      });

      it('disables a subscription that answered 410 and drops its queue', async () => {
        const claimed = await oneClaimed();
        const subscriptionId = claimed.target.kind === 'subscription' ? claimed.target.subscriptionId : '';
        await store.appendMessage(message(newOperationId(at(2)), 1, 'monitor.queued'));
        await store.recordDeliveryAttempt(claimed.id, 'dispatcher-1', { outcome: 'gone', status: 410 }, at(6));
        expect(await store.getSubscription(TENANT, subscriptionId)).toMatchObject({
          state: 'disabled',
          disabledReason: 'gone',
          updatedAt: iso(6),
        });
        expect((await logOf(subscriptionId)).map((delivery) => [delivery.state, delivery.lastStatus])).toStrictEqual([
          ['dropped', null],
          ['failed', 410],
        ]);
        expect(await claimAll(100)).toStrictEqual([]);
        expect(await store.appendMessage(message(newOperationId(at(3)), 1, 'monitor.queued'))).toStrictEqual({
          outcome: 'no-targets',
        });
      });

      it("stops an operation's callbacks once its callback answered 410", async () => {
        const claimed = await oneClaimed('https://client.example.com/cb', false);
        await store.recordDeliveryAttempt(claimed.id, 'dispatcher-1', { outcome: 'gone', status: 410 }, at(6));
        const later = message(claimed.operationId, 2, 'monitor.running', {
          callbackUrl: 'https://client.example.com/cb',
        });
        expect(await store.appendMessage(later)).toStrictEqual({ outcome: 'no-targets' });
        // Another operation's callback is unaffected.
        const other = message(newOperationId(at(7)), 1, 'monitor.queued', {
          callbackUrl: 'https://client.example.com/cb',
        });
        expect(await store.appendMessage(other)).toStrictEqual({ outcome: 'appended', deliveries: 1 });
      });
    });

    describe('listDeliveries', () => {
      it("lists a subscription's log newest first, every delivery once across pages, per tenant", async () => {
        const subscription = await subscribe();
        for (let i = 1; i <= 5; i += 1)
          await store.appendMessage(message(newOperationId(at(i)), 1, 'monitor.queued', { at: i }));
        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listDeliveries({ tenant: TENANT, subscriptionId: subscription.id, after, limit: 2 });
          seen.push(...page.items.map((item) => item.createdAt));
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(seen).toStrictEqual([iso(5), iso(4), iso(3), iso(2), iso(1)]);
        expect(
          (await store.listDeliveries({ tenant: OTHER_TENANT, subscriptionId: subscription.id, limit: 10 })).items,
        ).toStrictEqual([]);
        await expect(
          store.listDeliveries({ tenant: TENANT, subscriptionId: subscription.id, after: 'x', limit: 2 }),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });

    describe('deleteFinishedDeliveries', () => {
      it('deletes finished deliveries older than the cut-off and keeps pending ones', async () => {
        const subscription = await subscribe();
        await store.appendMessage(message(newOperationId(at(1)), 1, 'monitor.queued'));
        await store.appendMessage(message(newOperationId(at(2)), 1, 'monitor.queued'));
        const [first] = await store.claimDeliveries('dispatcher-1', 1, LEASE_MS, at(5));
        await store.recordDeliveryAttempt(
          first?.id ?? '',
          'dispatcher-1',
          { outcome: 'succeeded', status: 200 },
          at(6),
        );
        expect(await store.deleteFinishedDeliveries(at(6))).toBe(0);
        expect(await store.deleteFinishedDeliveries(at(7))).toBe(1);
        const left = (await store.listDeliveries({ tenant: TENANT, subscriptionId: subscription.id, limit: 10 })).items;
        expect(left.map((delivery) => delivery.state)).toStrictEqual(['pending']);
      });
    });
  });
}
