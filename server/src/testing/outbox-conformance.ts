/**
 * The outbox conformance suite: every store that keeps the push data (`store.webhooks`) queues the
 * push message of each operation write that enters a new event type in the transaction of that
 * write, by the core's rule (`enteredEventType`), whichever write path the store takes (one
 * create or a batch of them, a claim or a batch, a read-then-write, a batch of endings).
 *
 * Every adapter runs it unchanged, with a fresh, empty store per test. Time is passed in; nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../operations/ids.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { OperationStore, WebhookStoreProvider } from '../operations/ports/index.ts';
import type { ClaimedDelivery, WebhookEventType } from '../operations/ports/webhook-store.ts';
import { WEBHOOK_EVENT_TYPES } from '../operations/ports/webhook-store.ts';
import { pushMessageId } from '../operations/push-messages.ts';
import {
  at,
  CAR,
  freshStorePerTest,
  iso,
  type MadeStore,
  newOperation,
  TENANT,
  WORKER_LOST,
} from './store-fixtures.ts';

/** A store with its push data, as the outbox suite tests it. */
export type OutboxStore = OperationStore & WebhookStoreProvider;

const LEASE_MS = 30_000;
const SECRET = 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
/** Later than anything a test writes: every queued delivery is due then. */
const LATER = 100_000;

/** Registers the outbox conformance suite for the adapter `makeStore` builds. */
export function describeOutboxConformance(name: string, makeStore: () => Promise<MadeStore<OutboxStore>>): void {
  describe(`push outbox conformance: ${name}`, () => {
    let store: OutboxStore;
    freshStorePerTest(makeStore, (made) => {
      store = made;
    });

    async function subscribe(eventTypes: WebhookEventType[] = [...WEBHOOK_EVENT_TYPES]): Promise<string> {
      const created = await store.webhooks.createSubscription(
        {
          id: newId('whs', at(0)),
          tenant: TENANT,
          url: 'https://hooks.example.com/longrun',
          description: null,
          eventTypes,
          secret: SECRET,
          createdAt: iso(0),
        },
        100,
      );
      if (created === 'limit-reached') throw new Error('expected a subscription');
      return created.id;
    }

    async function create(overrides: Parameters<typeof newOperation>[0] = {}): Promise<OperationRecord> {
      const outcome = await store.createOperation({ operation: newOperation(overrides) });
      if (outcome.outcome !== 'created') throw new Error(`expected created, got ${outcome.outcome}`);
      return outcome.operation;
    }

    /** Every delivery queued, each claimed first in line and recorded delivered, in the order handed out. */
    async function drain(): Promise<ClaimedDelivery[]> {
      const sent: ClaimedDelivery[] = [];
      for (;;) {
        const claimed = await store.webhooks.claimDeliveries('dispatcher', 100, LEASE_MS, at(LATER));
        if (claimed.length === 0) return sent;
        for (const delivery of claimed) {
          sent.push(delivery);
          const recorded = await store.webhooks.recordDeliveryAttempt(
            delivery.id,
            'dispatcher',
            { outcome: 'succeeded', status: 204 },
            at(LATER),
          );
          expect(recorded).toBe(true);
        }
      }
    }

    const events = (sent: ClaimedDelivery[]) => sent.map((d) => `${d.type}@${d.operationVersion}`);

    it('queues nothing when no subscription wants the type and there is no callback', async () => {
      await create();
      await subscribe(['monitor.succeeded']);
      const other = await create({ at: 1 });
      expect(await store.claimNext('worker', [CAR], LEASE_MS, at(2))).toBeDefined();
      expect(other.state).toBe('queued');
      expect(await drain()).toStrictEqual([]);
    });

    it('queues the create and every change into a new event type, each with the operation as written', async () => {
      await subscribe();
      const written: OperationRecord[] = [await create()];
      const claim = await store.claimNext('worker', [CAR], LEASE_MS, at(1));
      if (claim === undefined) throw new Error('expected a claim');
      written.push(claim.operation);
      const patch = async (seconds: number, change: Parameters<OperationStore['updateOperation']>[1]) => {
        const next = await store.updateOperation(claim.lease, change, at(seconds));
        if (next === undefined) throw new Error('expected the write to be applied');
        written.push(next);
      };
      await patch(2, { progress: { percent: 10 } }); // running → running: not pushed
      await patch(3, {
        steps: [
          { name: 'chassis', state: 'waiting', title: 'Build the chassis' },
          { name: 'paint', state: 'pending' },
        ],
      });
      await patch(4, { progress: { percent: 20 } }); // still waiting: not pushed
      await patch(5, {
        steps: [
          { name: 'chassis', state: 'succeeded', title: 'Build the chassis' },
          { name: 'paint', state: 'running' },
        ],
      });
      await patch(6, { state: 'succeeded', result: { vin: 'X' } });

      const sent = await drain();
      expect(events(sent)).toStrictEqual([
        'monitor.queued@1',
        'monitor.running@2',
        'monitor.waiting@4',
        'monitor.running@6',
        'monitor.succeeded@7',
      ]);
      for (const delivery of sent) {
        const version = written.find((record) => record.version === delivery.operationVersion);
        expect(delivery.operation).toStrictEqual(version);
        expect(delivery.payload).toBeNull();
        expect(delivery.messageId).toBe(pushMessageId(delivery.operationId, delivery.operationVersion));
        expect(delivery.messageCreatedAt).toBe(version?.updatedAt);
        expect(delivery.target.kind).toBe('subscription');
      }
    });

    it('queues a cancel, a recovery and a failure like any other change', async () => {
      await subscribe();
      const cancelled = await create();
      expect((await store.requestCancel(TENANT, cancelled.id, at(1)))?.outcome).toBe('cancelled');
      const lost = await create({ at: 2 });
      const claim = await store.claimNext('worker', [CAR], 1_000, at(3));
      expect(claim?.operation.id).toBe(lost.id);
      expect(await store.recoverExpiredLeases(at(10), 2, WORKER_LOST)).toHaveLength(1);
      expect(await store.claimNext('worker', [CAR], 1_000, at(11))).toBeDefined();
      expect(await store.recoverExpiredLeases(at(20), 2, WORKER_LOST)).toHaveLength(1);

      const sent = await drain();
      const of = (id: string) => events(sent.filter((d) => d.operationId === id));
      expect(of(cancelled.id)).toStrictEqual(['monitor.queued@1', 'monitor.cancelled@2']);
      expect(of(lost.id)).toStrictEqual([
        'monitor.queued@1',
        'monitor.running@2',
        'monitor.queued@3',
        'monitor.running@4',
        'monitor.failed@5',
      ]);
    });

    it('queues the changes of batched writes: creates, claims and endings', async () => {
      await subscribe();
      const created = await Promise.all([create(), create(), create()]);
      const claims = await store.claimBatch('worker', [CAR], LEASE_MS, at(1), 3);
      expect(claims).toHaveLength(3);
      const ended = await store.updateOperations(
        claims.map((claim) => ({
          lease: claim.lease,
          patch: { state: 'succeeded' as const, result: { ok: true } },
          seen: claim.operation,
        })),
        at(2),
      );
      expect(ended.every((result) => result.status === 'fulfilled' && result.value?.state === 'succeeded')).toBe(true);

      const sent = await drain();
      for (const operation of created) {
        expect(events(sent.filter((d) => d.operationId === operation.id))).toStrictEqual([
          'monitor.queued@1',
          'monitor.running@2',
          'monitor.succeeded@3',
        ]);
      }
      const succeeded = sent.filter((d) => d.type === 'monitor.succeeded');
      for (const delivery of succeeded) expect(delivery.operation?.result).toStrictEqual({ ok: true });
    });

    it("queues a delivery to the operation's callback URL, and none after it answered 410", async () => {
      const callbackUrl = 'https://client.example.com/cb';
      const operation = await create({ callbackUrl });
      const [first, ...none] = await store.webhooks.claimDeliveries('dispatcher', 10, LEASE_MS, at(LATER));
      expect(none).toStrictEqual([]);
      expect(first?.target).toStrictEqual({ kind: 'callback' });
      expect(first?.url).toBe(callbackUrl);
      expect(first?.operation?.id).toBe(operation.id);
      await store.webhooks.recordDeliveryAttempt(
        first?.id ?? '',
        'dispatcher',
        { outcome: 'gone', status: 410 },
        at(LATER),
      );
      expect(await store.claimNext('worker', [CAR], LEASE_MS, at(1))).toBeDefined();
      expect(await drain()).toStrictEqual([]);
    });

    it('queues nothing for a write that is refused', async () => {
      await subscribe();
      await create();
      const claim = await store.claimNext('worker', [CAR], 1_000, at(1));
      if (claim === undefined) throw new Error('expected a claim');
      expect(await store.recoverExpiredLeases(at(10), 5, WORKER_LOST)).toHaveLength(1);
      // The first worker's lease is gone: its ending is fenced off, and so is its message.
      expect(await store.updateOperation(claim.lease, { state: 'succeeded' }, at(11))).toBeUndefined();
      expect(events(await drain())).toStrictEqual(['monitor.queued@1', 'monitor.running@2', 'monitor.queued@3']);
    });
  });
}
