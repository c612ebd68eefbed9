/**
 * The store conformance suite: the executable specification of {@link OperationStore}.
 *
 * Every adapter runs it unchanged (`describeStoreConformance('sqlite', makeStore)`), with a fresh,
 * empty store per test. It uses only the port: time is passed in (`now`, `createdAt`), concurrency
 * is `Promise.all` over one store, and nothing sleeps.
 */
import { describe, expect, it } from 'vitest';
import type { OperationRecord, StoredStep } from '../operations/model.ts';
import { InvalidCursorError, type Lease, type OperationStore } from '../operations/ports/index.ts';
import { IllegalTransitionError, type OperationState } from '../operations/state.ts';
import { claimedRecord, patchedRecord } from '../operations/transitions.ts';
import {
  at,
  CAR,
  createCommand,
  freshStorePerTest,
  idempotencyClaim,
  iso,
  type MadeStore,
  type NewOperationOverrides,
  newOperation,
  OTHER_TENANT,
  REINDEX,
  TENANT,
  TRANSCODE,
  WORKER_LOST,
} from './store-fixtures.ts';

/** A fresh, empty store for one test, and how to dispose of it. */
export type StoreUnderTest = MadeStore<OperationStore>;

const LEASE_MS = 30_000;
const MAX_ATTEMPTS = 3;

/** The fixture's steps with the second one `waiting` for the outside action `action`. */
function waitingFor(action: string): StoredStep[] {
  return [
    { name: 'chassis', state: 'succeeded' },
    { name: 'paint', state: 'waiting', action: { name: action, method: 'POST', path: '/cars/paint/confirm' } },
  ];
}

/** What an adapter offers beyond the port's required calls, so the suite tests it too. */
export interface StoreConformanceOptions {
  /** The adapter has `updateOperationsAndClaim` (endings and the next claim in one call). */
  endsAndClaims?: boolean;
}

/** Registers the conformance suite for the adapter `makeStore` builds. */
export function describeStoreConformance(
  name: string,
  makeStore: () => Promise<StoreUnderTest>,
  options: StoreConformanceOptions = {},
): void {
  describe(`OperationStore conformance: ${name}`, () => {
    let store: OperationStore;
    freshStorePerTest(makeStore, (made) => {
      store = made;
    });

    /** Creates an operation that must be accepted and returns it. */
    async function create(overrides: NewOperationOverrides = {}): Promise<OperationRecord> {
      const outcome = await store.createOperation(createCommand(overrides));
      if (outcome.outcome !== 'created') throw new Error(`expected created, got ${outcome.outcome}`);
      return outcome.operation;
    }

    /** Claims the next operation of `kinds`, which must exist. */
    async function claim(
      seconds: number,
      owner = 'worker-1',
      kinds: readonly string[] = [CAR, TRANSCODE, REINDEX],
    ): Promise<{ operation: OperationRecord; lease: Lease }> {
      const claimed = await store.claimNext(owner, kinds, LEASE_MS, at(seconds));
      if (claimed === undefined) throw new Error('expected a queued operation to claim');
      return claimed;
    }

    /** Asserts `record` is exactly what the store now returns for it. */
    async function expectStored(record: OperationRecord): Promise<void> {
      expect(await store.getOperation(record.tenant, record.id)).toStrictEqual(record);
    }

    /** Runs an operation to `succeeded` (created at 0, claimed at 1, finished at `seconds`). */
    async function succeeded(seconds: number, overrides: NewOperationOverrides = {}): Promise<OperationRecord> {
      const operation = await create({ at: 0, ...overrides });
      const claimed = await store.claimNext('worker-1', [operation.kind], LEASE_MS, at(1));
      if (claimed?.operation.id !== operation.id) throw new Error('expected to claim the operation just created');
      const done = await store.updateOperation(claimed.lease, { state: 'succeeded' }, at(seconds));
      if (done === undefined) throw new Error('expected the update to be accepted');
      return done;
    }

    describe('createOperation', () => {
      it('stores a new operation as queued, version 1, with nothing done yet', async () => {
        const command = createCommand({ at: 5, callbackUrl: 'https://client.example/hooks/cars', lockKey: null });
        const outcome = await store.createOperation(command);
        const op = command.operation;
        expect(outcome).toStrictEqual({
          outcome: 'created',
          operation: {
            id: op.id,
            tenant: TENANT,
            kind: CAR,
            state: 'queued',
            version: 1,
            input: op.input,
            request: op.request,
            progress: { percent: 0 },
            steps: op.steps,
            estimatedCompletionAt: op.estimatedCompletionAt,
            result: null,
            product: null,
            related: [],
            error: null,
            cancelRequested: false,
            lockKey: null,
            callbackUrl: 'https://client.example/hooks/cars',
            actions: {},
            attempts: 0,
            leaseOwner: null,
            leaseExpiresAt: null,
            createdAt: iso(5),
            updatedAt: iso(5),
            startedAt: null,
            finishedAt: null,
          },
        });
      });

      it('makes the operation readable with exactly the record it returned', async () => {
        const created = await create({
          input: { nested: { list: [1, 'two', null, true] } },
          estimatedCompletionAt: null,
        });
        await expectStored(created);
      });

      it('stores the initial resource in the same write, owned by the operation', async () => {
        const command = createCommand(
          { at: 2 },
          { resource: { collection: 'virtual-machines', id: 'vm-1', body: { name: 'vm-1', status: 'creating' } } },
        );
        const outcome = await store.createOperation(command);
        expect(outcome.outcome).toBe('created');
        expect(await store.getResource(TENANT, 'virtual-machines', 'vm-1')).toStrictEqual({
          tenant: TENANT,
          collection: 'virtual-machines',
          id: 'vm-1',
          body: { name: 'vm-1', status: 'creating' },
          operationId: command.operation.id,
          createdAt: iso(2),
          updatedAt: iso(2),
        });
      });

      it('rejects and creates nothing when the initial resource already exists', async () => {
        const resource = { collection: 'virtual-machines', id: 'vm-1', body: { status: 'creating' } };
        await store.createOperation(createCommand({}, { resource }));
        const clash = createCommand({ at: 1 }, { resource, idempotency: idempotencyClaim('key-clash') });
        await expect(store.createOperation(clash)).rejects.toThrow();
        expect(await store.getOperation(TENANT, clash.operation.id)).toBeUndefined();
        // The key was not kept either: a corrected retry with it is a fresh create.
        const retry = createCommand({ at: 2 }, { idempotency: idempotencyClaim('key-clash') });
        expect((await store.createOperation(retry)).outcome).toBe('created');
      });

      it('rejects an id that already exists', async () => {
        const first = createCommand();
        await store.createOperation(first);
        await expect(store.createOperation({ operation: { ...first.operation, kind: TRANSCODE } })).rejects.toThrow();
        expect((await store.getOperation(TENANT, first.operation.id))?.kind).toBe(CAR);
      });

      describe('idempotency', () => {
        it('replays the first operation for the same key and fingerprint, creating nothing', async () => {
          const first = await store.createOperation(createCommand({}, { idempotency: idempotencyClaim('key-1') }));
          const retry = await store.createOperation(
            createCommand({ at: 1 }, { idempotency: idempotencyClaim('key-1') }),
          );
          expect(retry).toStrictEqual({
            outcome: 'replayed',
            operation: first.outcome === 'created' ? first.operation : undefined,
          });
          expect((await store.listOperations({ tenant: TENANT, limit: 10 })).items).toHaveLength(1);
        });

        it('replays the operation as it is now, not as it was created', async () => {
          const created = await store.createOperation(createCommand({}, { idempotency: idempotencyClaim('key-1') }));
          const claimed = await claim(1);
          const retry = await store.createOperation(
            createCommand({ at: 2 }, { idempotency: idempotencyClaim('key-1') }),
          );
          expect(retry.outcome).toBe('replayed');
          if (retry.outcome !== 'replayed' || created.outcome !== 'created') return;
          expect(retry.operation).toStrictEqual(claimed.operation);
          expect(retry.operation.state).toBe('running');
        });

        it('refuses the same key with another fingerprint, naming the first operation', async () => {
          const first = await store.createOperation(
            createCommand({}, { idempotency: idempotencyClaim('key-1', 'sha256:a') }),
          );
          const other = await store.createOperation(
            createCommand({ at: 1 }, { idempotency: idempotencyClaim('key-1', 'sha256:b') }),
          );
          expect(other.outcome).toBe('idempotency-mismatch');
          if (other.outcome !== 'idempotency-mismatch' || first.outcome !== 'created') return;
          expect(other.operation.id).toBe(first.operation.id);
          expect((await store.listOperations({ tenant: TENANT, limit: 10 })).items).toHaveLength(1);
        });

        it('keeps keys per tenant: another tenant may use the same key', async () => {
          await store.createOperation(createCommand({}, { idempotency: idempotencyClaim('key-1') }));
          const other = await store.createOperation(
            createCommand({ tenant: OTHER_TENANT, at: 1 }, { idempotency: idempotencyClaim('key-1') }),
          );
          expect(other.outcome).toBe('created');
        });

        it('treats an expired key as absent and gives it to the new operation', async () => {
          const claimKey = { key: 'key-1', fingerprint: 'sha256:a', expiresAt: iso(100) };
          const first = createCommand({ at: 0 }, { idempotency: claimKey });
          await store.createOperation(first);
          const afterExpiry = createCommand(
            { at: 100 },
            { idempotency: { key: 'key-1', fingerprint: 'sha256:b', expiresAt: iso(200) } },
          );
          const outcome = await store.createOperation(afterExpiry);
          expect(outcome.outcome).toBe('created');
          // The key now names the new operation.
          const retry = await store.createOperation(
            createCommand({ at: 150 }, { idempotency: { key: 'key-1', fingerprint: 'sha256:b', expiresAt: iso(250) } }),
          );
          expect(retry.outcome === 'replayed' && retry.operation.id).toBe(afterExpiry.operation.id);
        });

        it('creates exactly one operation for 50 concurrent requests with the same key', async () => {
          const outcomes = await Promise.all(
            Array.from({ length: 50 }, (_, i) =>
              store.createOperation(createCommand({ at: i % 3 }, { idempotency: idempotencyClaim('key-burst') })),
            ),
          );
          const created = outcomes.filter((o) => o.outcome === 'created');
          expect(created).toHaveLength(1);
          const id = created[0]?.outcome === 'created' ? created[0].operation.id : undefined;
          expect(outcomes.filter((o) => o.outcome === 'replayed' && o.operation.id === id)).toHaveLength(49);
          expect((await store.listOperations({ tenant: TENANT, limit: 100 })).items.map((o) => o.id)).toStrictEqual([
            id,
          ]);
        });

        it('replays a retry of a pending one-at-a-time request rather than answering locked', async () => {
          const first = await store.createOperation(
            createCommand({ kind: REINDEX, lockKey: 'reindex' }, { idempotency: idempotencyClaim('key-1') }),
          );
          const retry = await store.createOperation(
            createCommand({ kind: REINDEX, lockKey: 'reindex', at: 1 }, { idempotency: idempotencyClaim('key-1') }),
          );
          expect(retry.outcome).toBe('replayed');
          expect(
            retry.outcome === 'replayed' && first.outcome === 'created' && retry.operation.id === first.operation.id,
          ).toBe(true);
        });
      });

      describe('one at a time', () => {
        it('answers locked, naming the pending operation, while one with the lock key is queued', async () => {
          const pending = await create({ kind: REINDEX, lockKey: 'reindex' });
          const second = createCommand({ kind: REINDEX, lockKey: 'reindex', at: 1 });
          expect(await store.createOperation(second)).toStrictEqual({ outcome: 'locked', pending });
          expect(await store.getOperation(TENANT, second.operation.id)).toBeUndefined();
        });

        it('answers locked while the holder is running', async () => {
          await create({ kind: REINDEX, lockKey: 'reindex' });
          const running = await claim(1);
          const outcome = await store.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex', at: 2 }));
          expect(outcome).toStrictEqual({ outcome: 'locked', pending: running.operation });
        });

        it('does not keep the key of a locked request', async () => {
          await create({ kind: REINDEX, lockKey: 'reindex' });
          const locked = await store.createOperation(
            createCommand({ kind: REINDEX, lockKey: 'reindex', at: 1 }, { idempotency: idempotencyClaim('key-2') }),
          );
          expect(locked.outcome).toBe('locked');
          const elsewhere = await store.createOperation(
            createCommand({ at: 2 }, { idempotency: idempotencyClaim('key-2') }),
          );
          expect(elsewhere.outcome).toBe('created');
        });

        it('scopes the lock to the tenant and to the key', async () => {
          await create({ kind: REINDEX, lockKey: 'reindex' });
          expect(await create({ kind: REINDEX, lockKey: 'reindex', tenant: OTHER_TENANT })).toMatchObject({
            state: 'queued',
          });
          expect(await create({ kind: REINDEX, lockKey: 'reindex-eu' })).toMatchObject({ state: 'queued' });
          expect(await create({ kind: REINDEX, lockKey: null })).toMatchObject({ state: 'queued' });
        });

        it('releases the lock when the holder finishes', async () => {
          await succeeded(5, { kind: REINDEX, lockKey: 'reindex' });
          expect(
            (await store.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex', at: 6 }))).outcome,
          ).toBe('created');
        });

        it('releases the lock when a queued holder is cancelled', async () => {
          const holder = await create({ kind: REINDEX, lockKey: 'reindex' });
          await store.requestCancel(TENANT, holder.id, at(1));
          expect(
            (await store.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex', at: 2 }))).outcome,
          ).toBe('created');
        });

        it('creates one of 20 concurrent requests with the same lock key; the rest are locked by it', async () => {
          const outcomes = await Promise.all(
            Array.from({ length: 20 }, () =>
              store.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex' })),
            ),
          );
          const created = outcomes.flatMap((o) => (o.outcome === 'created' ? [o.operation] : []));
          expect(created).toHaveLength(1);
          const locked = outcomes.flatMap((o) => (o.outcome === 'locked' ? [o.pending.id] : []));
          expect(locked).toStrictEqual(Array.from({ length: 19 }, () => created[0]?.id));
        });
      });

      it('stores each of many concurrent creates exactly as it returned it', async () => {
        const commands = Array.from({ length: 12 }, (_, i) =>
          createCommand({ at: i, tenant: i % 2 === 0 ? TENANT : OTHER_TENANT }),
        );
        const outcomes = await Promise.all(commands.map((command) => store.createOperation(command)));
        expect(outcomes.map((o) => o.outcome)).toStrictEqual(commands.map(() => 'created'));
        expect(outcomes.map((o) => (o.outcome === 'created' ? o.operation.id : ''))).toStrictEqual(
          commands.map((c) => c.operation.id),
        );
        for (const outcome of outcomes) if (outcome.outcome === 'created') await expectStored(outcome.operation);
      });

      it('fails one bad write without failing the writes made alongside it', async () => {
        const taken = createCommand();
        await store.createOperation(taken);
        const good1 = createCommand({ at: 1 });
        const good2 = createCommand({ at: 2 });
        const results = await Promise.allSettled([
          store.createOperation(good1),
          store.createOperation({ operation: { ...taken.operation } }),
          store.createOperation(good2),
        ]);
        expect(results.map((r) => r.status)).toStrictEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(await store.getOperation(TENANT, good1.operation.id)).toMatchObject({ state: 'queued' });
        expect(await store.getOperation(TENANT, good2.operation.id)).toMatchObject({ state: 'queued' });
      });
    });

    describe('getOperation', () => {
      it('returns undefined for an unknown id', async () => {
        expect(await store.getOperation(TENANT, newOperation().id)).toBeUndefined();
      });

      it("returns undefined for another tenant's operation", async () => {
        const created = await create();
        expect(await store.getOperation(OTHER_TENANT, created.id)).toBeUndefined();
      });
    });

    describe('listOperations', () => {
      it('lists newest first', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) ids.push((await create({ at: i })).id);
        const page = await store.listOperations({ tenant: TENANT, limit: 10 });
        expect(page.items.map((o) => o.id)).toStrictEqual([...ids].reverse());
        expect(page.next).toBeNull();
      });

      it('returns an empty last page when there is nothing', async () => {
        expect(await store.listOperations({ tenant: TENANT, limit: 10 })).toStrictEqual({ items: [], next: null });
      });

      it('has no next page when the last page is exactly full', async () => {
        for (let i = 0; i < 5; i++) await create({ at: i });
        const page = await store.listOperations({ tenant: TENANT, limit: 5 });
        expect(page.items).toHaveLength(5);
        expect(page.next).toBeNull();
      });

      it('visits every operation exactly once across pages', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 23; i++) ids.push((await create({ at: i, kind: i % 2 === 0 ? CAR : TRANSCODE })).id);
        const seen: string[] = [];
        let after: string | undefined;
        let pages = 0;
        do {
          const page = await store.listOperations({ tenant: TENANT, limit: 5, after });
          expect(page.items.length).toBeLessThanOrEqual(5);
          seen.push(...page.items.map((o) => o.id));
          after = page.next ?? undefined;
          pages += 1;
        } while (after !== undefined && pages < 100);
        expect(pages).toBe(5);
        expect(seen).toStrictEqual([...ids].reverse());
      });

      it('neither repeats nor skips older items when new ones arrive between pages', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 6; i++) ids.push((await create({ at: i })).id);
        const first = await store.listOperations({ tenant: TENANT, limit: 3 });
        await create({ at: 10 });
        const second = await store.listOperations({ tenant: TENANT, limit: 3, after: first.next ?? undefined });
        expect([...first.items, ...second.items].map((o) => o.id)).toStrictEqual([...ids].reverse());
        expect(second.next).toBeNull();
      });

      it('filters by state and by kind, paginating within the filter', async () => {
        const cars: string[] = [];
        for (let i = 0; i < 7; i++) {
          cars.push((await create({ at: i, kind: CAR })).id);
          await create({ at: i, kind: TRANSCODE });
        }
        const claimed = await claim(20, 'worker-1', [TRANSCODE]);
        const running = await store.listOperations({ tenant: TENANT, state: 'running', limit: 10 });
        expect(running.items.map((o) => o.id)).toStrictEqual([claimed.operation.id]);

        const seen: string[] = [];
        let after: string | undefined;
        do {
          const page = await store.listOperations({ tenant: TENANT, kind: CAR, limit: 3, after });
          expect(page.items.every((o) => o.kind === CAR)).toBe(true);
          seen.push(...page.items.map((o) => o.id));
          after = page.next ?? undefined;
        } while (after !== undefined);
        expect(seen).toStrictEqual([...cars].reverse());

        const queuedTranscodes = await store.listOperations({
          tenant: TENANT,
          state: 'queued',
          kind: TRANSCODE,
          limit: 10,
        });
        expect(queuedTranscodes.items).toHaveLength(6);
        expect(queuedTranscodes.items.every((o) => o.kind === TRANSCODE && o.state === 'queued')).toBe(true);
      });

      it("lists only the tenant's own operations", async () => {
        const mine = await create();
        await create({ tenant: OTHER_TENANT, at: 1 });
        expect((await store.listOperations({ tenant: TENANT, limit: 10 })).items.map((o) => o.id)).toStrictEqual([
          mine.id,
        ]);
      });

      it('rejects a cursor it did not issue', async () => {
        await create();
        for (const after of ['not a cursor', 'bm9wZQ', '']) {
          await expect(store.listOperations({ tenant: TENANT, limit: 10, after })).rejects.toBeInstanceOf(
            InvalidCursorError,
          );
        }
      });
    });

    describe('claimNext', () => {
      it('claims the oldest queued operation: running, attempt 1, leased, started', async () => {
        const newer = await create({ at: 5 });
        const older = await create({ at: 1 });
        const claimed = await claim(10, 'worker-7');
        expect(claimed.lease).toStrictEqual({ operationId: older.id, owner: 'worker-7', attempt: 1 });
        expect(claimed.operation).toStrictEqual({
          ...older,
          state: 'running',
          version: 2,
          attempts: 1,
          leaseOwner: 'worker-7',
          leaseExpiresAt: new Date(at(10).getTime() + LEASE_MS).toISOString(),
          startedAt: iso(10),
          updatedAt: iso(10),
        });
        await expectStored(claimed.operation);
        expect((await claim(11)).operation.id).toBe(newer.id);
      });

      it('claims only the given kinds', async () => {
        await create({ kind: TRANSCODE });
        expect(await store.claimNext('worker-1', [CAR], LEASE_MS, at(1))).toBeUndefined();
        expect(await store.claimNext('worker-1', [], LEASE_MS, at(1))).toBeUndefined();
        expect((await store.claimNext('worker-1', [CAR, TRANSCODE], LEASE_MS, at(1)))?.operation.kind).toBe(TRANSCODE);
      });

      it('returns undefined when nothing is queued', async () => {
        expect(await store.claimNext('worker-1', [CAR], LEASE_MS, at(0))).toBeUndefined();
        await create();
        await claim(1);
        const cancelled = await create({ at: 2 });
        await store.requestCancel(TENANT, cancelled.id, at(3));
        expect(await store.claimNext('worker-1', [CAR], LEASE_MS, at(4))).toBeUndefined();
      });

      it('claims across tenants', async () => {
        const theirs = await create({ tenant: OTHER_TENANT });
        expect((await claim(1)).operation.id).toBe(theirs.id);
      });

      it('never gives the same operation to two claimers', async () => {
        for (let i = 0; i < 10; i++) await create({ at: i });
        const claims = await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.claimNext(`worker-${i}`, [CAR], LEASE_MS, at(20))),
        );
        const won = claims.flatMap((c) => (c === undefined ? [] : [c]));
        expect(won).toHaveLength(10);
        expect(new Set(won.map((c) => c.operation.id)).size).toBe(10);
        expect(won.every((c) => c.operation.leaseOwner === c.lease.owner)).toBe(true);
      });

      it('keeps startedAt and counts the attempt when a recovered operation is claimed again', async () => {
        await create();
        const first = await claim(1, 'worker-1');
        await store.recoverExpiredLeases(at(100), MAX_ATTEMPTS, WORKER_LOST);
        const second = await claim(101, 'worker-2');
        expect(second.operation.id).toBe(first.operation.id);
        expect(second.lease).toStrictEqual({ operationId: first.operation.id, owner: 'worker-2', attempt: 2 });
        expect(second.operation.startedAt).toBe(iso(1));
      });
    });

    describe('claimBatch', () => {
      it("claims up to the limit, oldest first, each exactly as the core's claim rule makes it", async () => {
        const created = [await create({ at: 3 }), await create({ at: 1 }), await create({ at: 2 })];
        const oldest = [...created].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        const claims = await store.claimBatch('worker-3', [CAR], LEASE_MS, at(10), 2);
        expect(claims.map((c) => c.operation)).toStrictEqual(
          oldest.slice(0, 2).map((record) => claimedRecord(record, 'worker-3', LEASE_MS, at(10))),
        );
        expect(claims.map((c) => c.lease)).toStrictEqual(
          oldest.slice(0, 2).map((record) => ({ operationId: record.id, owner: 'worker-3', attempt: 1 })),
        );
        for (const claimed of claims) await expectStored(claimed.operation);
        const rest = await store.claimBatch('worker-3', [CAR], LEASE_MS, at(11), 5);
        expect(rest.map((c) => c.operation.id)).toStrictEqual([oldest[2]?.id]);
        expect(await store.claimBatch('worker-3', [CAR], LEASE_MS, at(12), 5)).toStrictEqual([]);
      });

      it('claims only the given kinds, and nothing for no kinds', async () => {
        await create({ kind: TRANSCODE });
        await create({ kind: CAR });
        expect(await store.claimBatch('worker-1', [], LEASE_MS, at(1), 5)).toStrictEqual([]);
        const claims = await store.claimBatch('worker-1', [TRANSCODE], LEASE_MS, at(1), 5);
        expect(claims.map((c) => c.operation.kind)).toStrictEqual([TRANSCODE]);
      });

      it('never gives the same operation to two concurrent batches', async () => {
        for (let i = 0; i < 30; i++) await create({ at: i });
        const batches = await Promise.all(
          Array.from({ length: 6 }, (_, i) => store.claimBatch(`worker-${i}`, [CAR], LEASE_MS, at(40), 8)),
        );
        const won = batches.flat();
        expect(won).toHaveLength(30);
        expect(new Set(won.map((c) => c.operation.id)).size).toBe(30);
        expect(won.every((c) => c.operation.leaseOwner === c.lease.owner && c.operation.state === 'running')).toBe(
          true,
        );
      });
    });

    describe('updateOperations', () => {
      it('applies each write as updateOperation would, with or without the record the worker saw', async () => {
        for (let i = 0; i < 3; i++) await create({ at: i });
        const claims = await store.claimBatch('worker-1', [CAR], LEASE_MS, at(5), 3);
        const [a, b, c] = claims as [(typeof claims)[0], (typeof claims)[0], (typeof claims)[0]];
        const results = await store.updateOperations(
          [
            { lease: a.lease, patch: { state: 'succeeded', result: { n: 1 } }, seen: a.operation },
            { lease: b.lease, patch: { state: 'failed', error: WORKER_LOST } },
            { lease: c.lease, patch: { state: 'cancelled' }, seen: c.operation },
          ],
          at(9),
        );
        const expected = [
          patchedRecord(a.operation, { state: 'succeeded', result: { n: 1 } }, at(9)).record,
          patchedRecord(b.operation, { state: 'failed', error: WORKER_LOST }, at(9)).record,
          patchedRecord(c.operation, { state: 'cancelled' }, at(9)).record,
        ];
        expect(results).toStrictEqual(expected.map((value) => ({ status: 'fulfilled', value })));
        for (const record of expected) await expectStored(record);
      });

      it('reads the row when the record the worker saw is out of date: cancel still wins', async () => {
        const created = await create();
        const { operation, lease } = await claim(1);
        await store.requestCancel(TENANT, created.id, at(2));
        const [result] = await store.updateOperations(
          [{ lease, patch: { state: 'succeeded', result: { vin: 'YV1XZ' } }, seen: operation }],
          at(3),
        );
        expect(result).toMatchObject({
          status: 'fulfilled',
          value: { state: 'cancelled', cancelRequested: true, result: null, version: operation.version + 2 },
        });
        await expectStored((result as PromiseFulfilledResult<OperationRecord>).value);
      });

      it('refuses a write whose lease was lost and applies the others', async () => {
        await create({ at: 0 });
        await create({ at: 1 });
        const [first, second] = await store.claimBatch('worker-1', [CAR], LEASE_MS, at(2), 2);
        if (first === undefined || second === undefined) throw new Error('expected two claims');
        await store.recoverExpiredLeases(at(100), MAX_ATTEMPTS, WORKER_LOST);
        const again = await store.claimBatch('worker-2', [CAR], LEASE_MS, at(101), 2);
        expect(again).toHaveLength(2);
        const mine = again.find((c) => c.operation.id === second.operation.id);
        if (mine === undefined) throw new Error('expected the second operation to be claimed again');
        const results = await store.updateOperations(
          [
            { lease: first.lease, patch: { state: 'succeeded' }, seen: first.operation },
            { lease: mine.lease, patch: { state: 'succeeded' }, seen: mine.operation },
          ],
          at(102),
        );
        expect(results[0]).toStrictEqual({ status: 'fulfilled', value: undefined });
        expect(results[1]).toMatchObject({ status: 'fulfilled', value: { state: 'succeeded', attempts: 2 } });
        expect((await store.getOperation(TENANT, first.operation.id))?.state).toBe('running');
      });

      it('publishes the resources of a success written in a batch', async () => {
        await create();
        const { operation, lease } = await claim(1);
        const [result] = await store.updateOperations(
          [
            {
              lease,
              patch: { state: 'succeeded' },
              resources: [{ collection: 'widgets', id: 'w-9', body: { id: 'w-9' } }],
              seen: operation,
            },
          ],
          at(4),
        );
        expect(result).toMatchObject({ status: 'fulfilled', value: { state: 'succeeded' } });
        expect(await store.getResource(TENANT, 'widgets', 'w-9')).toMatchObject({ operationId: operation.id });
      });
    });

    // Only for a store that has the call: registered, not skipped, for the others.
    if (options.endsAndClaims)
      describe('updateOperationsAndClaim', () => {
        it('ends the operations it is given and claims queued ones, each as its own call would', async () => {
          const both = endsAndClaims(store);
          for (let i = 0; i < 2; i++) await create({ at: i });
          const held = await store.claimBatch('worker-1', [CAR], LEASE_MS, at(5), 2);
          const queued = [await create({ at: 6 }), await create({ at: 7 }), await create({ at: 8 })];
          const [a, b] = held as [(typeof held)[0], (typeof held)[0]];
          await store.requestCancel(TENANT, b.operation.id, at(8));
          const { results, claims } = await both(
            [
              { lease: a.lease, patch: { state: 'succeeded', result: { n: 1 } }, seen: a.operation },
              // Out of date (a cancel came): read again, and cancel wins.
              { lease: b.lease, patch: { state: 'succeeded' }, seen: b.operation },
            ],
            { owner: 'worker-1', kinds: [CAR], leaseMs: LEASE_MS, limit: 2 },
            at(9),
          );
          const ended = patchedRecord(a.operation, { state: 'succeeded', result: { n: 1 } }, at(9)).record;
          expect(results[0]).toStrictEqual({ status: 'fulfilled', value: ended });
          expect(results[1]).toMatchObject({ status: 'fulfilled', value: { state: 'cancelled' } });
          await expectStored(ended);
          expect(claims.status).toBe('fulfilled');
          const claimed = claims.status === 'fulfilled' ? claims.value : [];
          expect(claimed.map((c) => c.operation)).toStrictEqual(
            queued.slice(0, 2).map((record) => claimedRecord(record, 'worker-1', LEASE_MS, at(9))),
          );
          expect(claimed.map((c) => c.lease)).toStrictEqual(
            queued.slice(0, 2).map((record) => ({ operationId: record.id, owner: 'worker-1', attempt: 1 })),
          );
          for (const c of claimed) await expectStored(c.operation);
        });

        it('refuses a write whose lease was lost, and claims nothing when nothing is queued', async () => {
          const both = endsAndClaims(store);
          await create();
          const { operation, lease } = await claim(1);
          const { results, claims } = await both(
            [{ lease: { ...lease, attempt: 2 }, patch: { state: 'succeeded' }, seen: operation }],
            { owner: 'worker-1', kinds: [CAR], leaseMs: LEASE_MS, limit: 4 },
            at(2),
          );
          expect(results).toStrictEqual([{ status: 'fulfilled', value: undefined }]);
          expect(claims).toStrictEqual({ status: 'fulfilled', value: [] });
          await expectStored(operation);
        });
      });

    describe('renewLease', () => {
      it('extends the lease without changing the version', async () => {
        await create();
        const { operation, lease } = await claim(1);
        expect(await store.renewLease(lease, LEASE_MS, at(20))).toBe(true);
        await expectStored({ ...operation, leaseExpiresAt: new Date(at(20).getTime() + LEASE_MS).toISOString() });
      });

      it('refuses a lease of another attempt, another owner, a finished or an unknown operation', async () => {
        await create();
        const { lease } = await claim(1);
        expect(await store.renewLease({ ...lease, attempt: 2 }, LEASE_MS, at(2))).toBe(false);
        expect(await store.renewLease({ ...lease, owner: 'worker-2' }, LEASE_MS, at(2))).toBe(false);
        expect(await store.renewLease({ ...lease, operationId: newOperation().id }, LEASE_MS, at(2))).toBe(false);
        await store.updateOperation(lease, { state: 'failed' }, at(3));
        expect(await store.renewLease(lease, LEASE_MS, at(4))).toBe(false);
      });
    });

    describe('updateOperation', () => {
      it('applies progress, steps and ETA, bumping version and updatedAt and keeping the rest', async () => {
        await create();
        const { operation, lease } = await claim(1);
        const patch = {
          progress: { percent: 40, message: 'painting' },
          steps: [
            { name: 'chassis', state: 'succeeded' as const },
            { name: 'paint', state: 'running' as const },
          ],
          estimatedCompletionAt: iso(90),
        };
        const updated = await store.updateOperation(lease, patch, at(5));
        expect(updated).toStrictEqual({ ...operation, ...patch, version: operation.version + 1, updatedAt: iso(5) });
        if (updated !== undefined) await expectStored(updated);
      });

      it('bumps the version by exactly one on every change through the life of an operation', async () => {
        const created = await create();
        const versions = [created.version];
        const { operation, lease } = await claim(1);
        versions.push(operation.version);
        versions.push((await store.updateOperation(lease, { steps: waitingFor('confirm') }, at(2)))?.version ?? -1);
        versions.push(
          (await store.deliverAction(TENANT, created.id, 'confirm', { ok: true }, at(3)))?.operation.version ?? -1,
        );
        versions.push((await store.requestCancel(TENANT, created.id, at(4)))?.operation.version ?? -1);
        versions.push((await store.updateOperation(lease, { state: 'cancelled' }, at(5)))?.version ?? -1);
        expect(versions).toStrictEqual([1, 2, 3, 4, 5, 6]);
      });

      it('ends succeeded: lease cleared, finishedAt set, result and product stored', async () => {
        await create();
        const { operation, lease } = await claim(1);
        const product = { rel: 'product', href: '/cars/car-1', title: 'Volvo EX30' };
        const done = await store.updateOperation(
          lease,
          { state: 'succeeded', progress: { percent: 100 }, result: { vin: 'YV1XZ' }, product },
          at(9),
        );
        expect(done).toStrictEqual({
          ...operation,
          state: 'succeeded',
          version: operation.version + 1,
          progress: { percent: 100 },
          result: { vin: 'YV1XZ' },
          product,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: iso(9),
          finishedAt: iso(9),
        });
        if (done !== undefined) await expectStored(done);
      });

      it('publishes resources with a patch of a running operation, before it ends', async () => {
        await create();
        const { lease } = await claim(1);
        const updated = await store.updateOperation(lease, { progress: { percent: 40 } }, at(5), [
          { collection: 'widgets', id: 'w-early', body: { id: 'w-early' } },
        ]);
        expect(updated?.state).toBe('running');
        expect((await store.getResource(TENANT, 'widgets', 'w-early'))?.body).toStrictEqual({ id: 'w-early' });
      });

      it('publishes the resources with a success, owned by the operation', async () => {
        await create();
        const { operation, lease } = await claim(1);
        await store.updateOperation(
          lease,
          {
            state: 'succeeded',
            related: [
              { rel: 'related', href: '/widgets/w-1' },
              { rel: 'related', href: '/invoices/i-1' },
            ],
          },
          at(9),
          [
            { collection: 'widgets', id: 'w-1', body: { id: 'w-1', colour: 'red' } },
            { collection: 'invoices', id: 'i-1', body: { id: 'i-1', total: 42 } },
          ],
        );
        expect(await store.getResource(TENANT, 'widgets', 'w-1')).toStrictEqual({
          tenant: TENANT,
          collection: 'widgets',
          id: 'w-1',
          body: { id: 'w-1', colour: 'red' },
          operationId: operation.id,
          createdAt: iso(9),
          updatedAt: iso(9),
        });
        expect((await store.getResource(TENANT, 'invoices', 'i-1'))?.body).toStrictEqual({ id: 'i-1', total: 42 });
      });

      it('replaces a resource created at accept time, keeping its createdAt', async () => {
        await store.createOperation(
          createCommand({}, { resource: { collection: 'virtual-machines', id: 'vm-1', body: { status: 'creating' } } }),
        );
        const { lease } = await claim(1);
        await store.updateOperation(lease, { state: 'succeeded' }, at(9), [
          { collection: 'virtual-machines', id: 'vm-1', body: { status: 'ready' } },
        ]);
        expect(await store.getResource(TENANT, 'virtual-machines', 'vm-1')).toMatchObject({
          body: { status: 'ready' },
          createdAt: iso(0),
          updatedAt: iso(9),
        });
      });

      it('ends failed with the problem', async () => {
        await create();
        const { lease } = await claim(1);
        const error = {
          type: 'https://longrun.dev/problems/paint-shortage',
          title: 'Out of paint',
          status: 422,
          detail: 'moss yellow',
        };
        const failed = await store.updateOperation(lease, { state: 'failed', error }, at(4));
        expect(failed).toMatchObject({
          state: 'failed',
          error,
          finishedAt: iso(4),
          leaseOwner: null,
          leaseExpiresAt: null,
        });
      });

      it('ends cancelled instead of succeeded after a cancel request, publishing nothing', async () => {
        const created = await create();
        const { lease } = await claim(1);
        await store.requestCancel(TENANT, created.id, at(2));
        const done = await store.updateOperation(
          lease,
          {
            state: 'succeeded',
            progress: { percent: 100 },
            result: { vin: 'YV1XZ' },
            product: { rel: 'product', href: '/cars/car-1' },
          },
          at(3),
          [{ collection: 'cars', id: 'car-1', body: { id: 'car-1' } }],
        );
        expect(done).toMatchObject({
          state: 'cancelled',
          cancelRequested: true,
          result: null,
          product: null,
          related: [],
          finishedAt: iso(3),
          leaseOwner: null,
        });
        expect(await store.getResource(TENANT, 'cars', 'car-1')).toBeUndefined();
        if (done !== undefined) await expectStored(done);
      });

      it('lets a worker end a cancel-requested operation failed or cancelled', async () => {
        const a = await create({ at: 0 });
        const b = await create({ at: 1 });
        const leaseA = (await claim(2)).lease;
        const leaseB = (await claim(2)).lease;
        await store.requestCancel(TENANT, a.id, at(3));
        await store.requestCancel(TENANT, b.id, at(3));
        expect(await store.updateOperation(leaseA, { state: 'cancelled' }, at(4))).toMatchObject({
          state: 'cancelled',
          finishedAt: iso(4),
        });
        expect(await store.updateOperation(leaseB, { state: 'failed', error: WORKER_LOST }, at(4))).toMatchObject({
          state: 'failed',
          error: WORKER_LOST,
        });
      });

      it('hands the operation back to the queue on a patch to queued, releasing the lease', async () => {
        await create();
        const { lease } = await claim(1, 'worker-1');
        expect(await store.updateOperation(lease, { state: 'queued' }, at(2))).toMatchObject({
          state: 'queued',
          leaseOwner: null,
          leaseExpiresAt: null,
          finishedAt: null,
        });
        expect(await store.updateOperation(lease, { progress: { percent: 5 } }, at(3))).toBeUndefined();
        expect((await claim(4, 'worker-2')).lease.attempt).toBe(2);
      });

      it('rejects a transition the state machine forbids, changing nothing', async () => {
        await create();
        const { operation, lease } = await claim(1);
        const patch = { state: 'paused' as OperationState, progress: { percent: 50 } };
        await expect(store.updateOperation(lease, patch, at(2))).rejects.toBeInstanceOf(IllegalTransitionError);
        await expectStored(operation);
      });

      it('refuses a stale lease once the operation was recovered and claimed again', async () => {
        await create();
        const first = await claim(1, 'worker-1');
        await store.recoverExpiredLeases(at(1 + LEASE_MS / 1000 + 1), MAX_ATTEMPTS, WORKER_LOST);
        const second = await claim(40, 'worker-2');
        expect(
          await store.updateOperation(first.lease, { state: 'succeeded' }, at(41), [
            { collection: 'cars', id: 'car-1', body: {} },
          ]),
        ).toBeUndefined();
        expect(await store.renewLease(first.lease, LEASE_MS, at(41))).toBe(false);
        await expectStored(second.operation);
        expect(await store.getResource(TENANT, 'cars', 'car-1')).toBeUndefined();
      });

      it('refuses a lease with another owner or attempt, or for an unknown operation', async () => {
        await create();
        const { operation, lease } = await claim(1);
        expect(
          await store.updateOperation({ ...lease, owner: 'worker-2' }, { progress: { percent: 1 } }, at(2)),
        ).toBeUndefined();
        expect(
          await store.updateOperation({ ...lease, attempt: 0 }, { progress: { percent: 1 } }, at(2)),
        ).toBeUndefined();
        expect(
          await store.updateOperation(
            { ...lease, operationId: newOperation().id },
            { progress: { percent: 1 } },
            at(2),
          ),
        ).toBeUndefined();
        await expectStored(operation);
      });

      it('refuses any change once the operation is terminal', async () => {
        await create();
        const { lease } = await claim(1);
        const done = await store.updateOperation(lease, { state: 'succeeded' }, at(2));
        expect(await store.updateOperation(lease, { state: 'failed', error: WORKER_LOST }, at(3))).toBeUndefined();
        expect(await store.updateOperation(lease, { progress: { percent: 1 } }, at(3))).toBeUndefined();
        if (done !== undefined) await expectStored(done);
      });

      it('fails an illegal update without failing the writes made alongside it', async () => {
        await create();
        const { lease } = await claim(1);
        const alongside = createCommand({ at: 2 });
        const [bad, good] = await Promise.allSettled([
          store.updateOperation(lease, { state: 'paused' as OperationState }, at(2)),
          store.createOperation(alongside),
        ]);
        expect(bad.status).toBe('rejected');
        expect(good.status).toBe('fulfilled');
        expect(await store.getOperation(TENANT, alongside.operation.id)).toBeDefined();
      });
    });

    describe('requestCancel', () => {
      it('cancels a queued operation at once', async () => {
        const created = await create();
        const outcome = await store.requestCancel(TENANT, created.id, at(3));
        expect(outcome).toStrictEqual({
          outcome: 'cancelled',
          operation: {
            ...created,
            state: 'cancelled',
            cancelRequested: true,
            version: 2,
            updatedAt: iso(3),
            finishedAt: iso(3),
          },
        });
        if (outcome !== undefined) await expectStored(outcome.operation);
      });

      it('marks a running operation cancel-requested once, keeping it running and leased', async () => {
        const created = await create();
        const { operation, lease } = await claim(1);
        const first = await store.requestCancel(TENANT, created.id, at(2));
        expect(first).toStrictEqual({
          outcome: 'requested',
          operation: { ...operation, cancelRequested: true, version: operation.version + 1, updatedAt: iso(2) },
        });
        const again = await store.requestCancel(TENANT, created.id, at(3));
        expect(again).toStrictEqual(first);
        expect(await store.renewLease(lease, LEASE_MS, at(4))).toBe(true);
      });

      it('reports a terminal operation as terminal, unchanged', async () => {
        const done = await succeeded(5);
        expect(await store.requestCancel(TENANT, done.id, at(6))).toStrictEqual({
          outcome: 'terminal',
          operation: done,
        });
      });

      it("returns undefined for an unknown id or another tenant's operation, changing nothing", async () => {
        const created = await create();
        expect(await store.requestCancel(TENANT, newOperation().id, at(1))).toBeUndefined();
        expect(await store.requestCancel(OTHER_TENANT, created.id, at(1))).toBeUndefined();
        await expectStored(created);
      });
    });

    describe('deliverAction', () => {
      /** A running operation whose second step waits for the action `action`. */
      async function waiting(action = 'confirm'): Promise<{ operation: OperationRecord; lease: Lease }> {
        await create();
        const { lease } = await claim(1);
        const operation = await store.updateOperation(lease, { steps: waitingFor(action) }, at(2));
        if (operation === undefined) throw new Error('expected the update to be accepted');
        return { operation, lease };
      }

      it('records the payload of the action a step waits for, bumping the version', async () => {
        const { operation } = await waiting('confirm-fulfilment');
        const delivered = await store.deliverAction(
          TENANT,
          operation.id,
          'confirm-fulfilment',
          { by: 'warehouse-3' },
          at(4),
        );
        expect(delivered).toStrictEqual({
          outcome: 'delivered',
          operation: {
            ...operation,
            actions: { 'confirm-fulfilment': { by: 'warehouse-3' } },
            version: operation.version + 1,
            updatedAt: iso(4),
          },
        });
        if (delivered !== undefined) await expectStored(delivered.operation);
      });

      it('refuses an action no step waits for, changing nothing', async () => {
        const { operation } = await waiting('confirm');
        expect(await store.deliverAction(TENANT, operation.id, 'other', 1, at(4))).toStrictEqual({
          outcome: 'not-waiting',
          operation,
        });
        await expectStored(operation);
        // Queued, with no step waiting at all.
        const plain = await create({ at: 5 });
        expect(await store.deliverAction(TENANT, plain.id, 'confirm', 1, at(6))).toStrictEqual({
          outcome: 'not-waiting',
          operation: plain,
        });
        await expectStored(plain);
      });

      it('counts only the first delivery: a second one of the same action changes nothing', async () => {
        const { operation } = await waiting('confirm');
        const first = await store.deliverAction(TENANT, operation.id, 'confirm', { by: 'ana' }, at(3));
        if (first?.outcome !== 'delivered') throw new Error('expected the first delivery to count');
        // The step still shows `waiting` until its handler resumes; the recorded action decides.
        expect(first.operation.steps).toStrictEqual(operation.steps);
        expect(await store.deliverAction(TENANT, operation.id, 'confirm', { by: 'bo' }, at(4))).toStrictEqual({
          outcome: 'not-waiting',
          operation: first.operation,
        });
        await expectStored(first.operation);
      });

      it('delivers exactly one of concurrent deliveries of one action', async () => {
        const { operation } = await waiting('confirm');
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.deliverAction(TENANT, operation.id, 'confirm', { by: i }, at(3))),
        );
        const delivered = outcomes.filter((outcome) => outcome?.outcome === 'delivered');
        expect(delivered).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome?.outcome === 'not-waiting')).toHaveLength(9);
        const stored = await store.getOperation(TENANT, operation.id);
        expect(stored).toStrictEqual(delivered[0]?.operation);
        expect(stored?.version).toBe(operation.version + 1);
      });

      it('keeps earlier actions and survives worker updates', async () => {
        const { lease } = await waiting('a');
        await store.deliverAction(TENANT, lease.operationId, 'a', 1, at(3));
        await store.updateOperation(lease, { steps: waitingFor('b') }, at(4));
        await store.deliverAction(TENANT, lease.operationId, 'b', { n: 2 }, at(5));
        const updated = await store.updateOperation(lease, { progress: { percent: 80 } }, at(6));
        expect(updated?.actions).toStrictEqual({ a: 1, b: { n: 2 } });
      });

      it('reports a terminal operation as terminal, unchanged', async () => {
        const done = await succeeded(5);
        expect(await store.deliverAction(TENANT, done.id, 'confirm', {}, at(6))).toStrictEqual({
          outcome: 'terminal',
          operation: done,
        });
        await expectStored(done);
      });

      it("returns undefined for an unknown id or another tenant's operation, changing nothing", async () => {
        const { operation } = await waiting('confirm');
        expect(await store.deliverAction(TENANT, newOperation().id, 'confirm', {}, at(3))).toBeUndefined();
        expect(await store.deliverAction(OTHER_TENANT, operation.id, 'confirm', {}, at(3))).toBeUndefined();
        await expectStored(operation);
      });
    });

    describe('recoverExpiredLeases', () => {
      const expiry = (claimedAt: number) => claimedAt + LEASE_MS / 1000;

      it('requeues a running operation whose lease expired, clearing the lease', async () => {
        await create();
        const { operation } = await claim(1);
        const recovered = await store.recoverExpiredLeases(at(expiry(1) + 1), MAX_ATTEMPTS, WORKER_LOST);
        const expected = {
          ...operation,
          state: 'queued' as const,
          version: operation.version + 1,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: iso(expiry(1) + 1),
        };
        expect(recovered).toStrictEqual([expected]);
        await expectStored(expected);
      });

      it('leaves leases that have not expired by now alone', async () => {
        await create({ at: 0 });
        await create({ at: 1 });
        const early = await claim(1);
        const late = await claim(10);
        expect(await store.recoverExpiredLeases(at(expiry(1)), MAX_ATTEMPTS, WORKER_LOST)).toStrictEqual([]);
        const recovered = await store.recoverExpiredLeases(at(expiry(1) + 1), MAX_ATTEMPTS, WORKER_LOST);
        expect(recovered.map((o) => o.id)).toStrictEqual([early.operation.id]);
        await expectStored(late.operation);
      });

      it('fails an operation out of attempts with the problem, releasing its lock', async () => {
        await create({ kind: REINDEX, lockKey: 'reindex' });
        let now = 0;
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          await claim(now);
          now = expiry(now) + 1;
          const [recovered] = await store.recoverExpiredLeases(at(now), MAX_ATTEMPTS, WORKER_LOST);
          expect(recovered?.state).toBe(attempt < MAX_ATTEMPTS ? 'queued' : 'failed');
        }
        const [failed] = (await store.listOperations({ tenant: TENANT, limit: 10 })).items;
        expect(failed).toMatchObject({
          state: 'failed',
          attempts: MAX_ATTEMPTS,
          error: WORKER_LOST,
          finishedAt: iso(now),
          leaseOwner: null,
        });
        expect(
          (await store.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex', at: now }))).outcome,
        ).toBe('created');
      });

      it('ends a cancel-requested operation cancelled rather than running it again', async () => {
        const created = await create();
        await claim(1);
        await store.requestCancel(TENANT, created.id, at(2));
        const [recovered] = await store.recoverExpiredLeases(at(expiry(1) + 1), MAX_ATTEMPTS, WORKER_LOST);
        expect(recovered).toMatchObject({ state: 'cancelled', finishedAt: iso(expiry(1) + 1), leaseOwner: null });
      });

      it('ignores queued and terminal operations', async () => {
        await create({ at: 0, kind: TRANSCODE });
        await succeeded(3, { at: 1 });
        expect(await store.recoverExpiredLeases(at(10_000), MAX_ATTEMPTS, WORKER_LOST)).toStrictEqual([]);
      });
    });

    describe('resources', () => {
      it('creates a resource and replaces its body, keeping createdAt', async () => {
        const created = await create();
        const put = await store.putResource(
          {
            tenant: TENANT,
            collection: 'virtual-machines',
            id: 'vm-1',
            body: { status: 'creating' },
            operationId: created.id,
          },
          at(1),
        );
        expect(put).toStrictEqual({
          tenant: TENANT,
          collection: 'virtual-machines',
          id: 'vm-1',
          body: { status: 'creating' },
          operationId: created.id,
          createdAt: iso(1),
          updatedAt: iso(1),
        });
        const replaced = await store.putResource(
          {
            tenant: TENANT,
            collection: 'virtual-machines',
            id: 'vm-1',
            body: { status: 'ready', ip: '10.0.0.4' },
            operationId: created.id,
          },
          at(7),
        );
        expect(replaced).toStrictEqual({ ...put, body: { status: 'ready', ip: '10.0.0.4' }, updatedAt: iso(7) });
        expect(await store.getResource(TENANT, 'virtual-machines', 'vm-1')).toStrictEqual(replaced);
      });

      it('returns undefined for an unknown resource', async () => {
        expect(await store.getResource(TENANT, 'cars', 'car-404')).toBeUndefined();
      });
    });

    describe('tenant isolation', () => {
      it("hides one tenant's operations and resources from another in every read and write", async () => {
        const command = createCommand(
          {},
          { resource: { collection: 'virtual-machines', id: 'vm-1', body: { status: 'creating' } } },
        );
        const created = await store.createOperation(command);
        if (created.outcome !== 'created') throw new Error('expected created');
        const mine = created.operation;

        expect(await store.getOperation(OTHER_TENANT, mine.id)).toBeUndefined();
        expect(await store.listOperations({ tenant: OTHER_TENANT, limit: 10 })).toStrictEqual({
          items: [],
          next: null,
        });
        expect(await store.requestCancel(OTHER_TENANT, mine.id, at(1))).toBeUndefined();
        expect(await store.deliverAction(OTHER_TENANT, mine.id, 'confirm', {}, at(1))).toBeUndefined();
        expect(await store.getResource(OTHER_TENANT, 'virtual-machines', 'vm-1')).toBeUndefined();
        await expectStored(mine);

        // The same resource address in another tenant is another resource.
        await store.putResource(
          {
            tenant: OTHER_TENANT,
            collection: 'virtual-machines',
            id: 'vm-1',
            body: { status: 'theirs' },
            operationId: 'op_other',
          },
          at(2),
        );
        expect((await store.getResource(TENANT, 'virtual-machines', 'vm-1'))?.body).toStrictEqual({
          status: 'creating',
        });
      });
    });

    describe('deleteExpired (retention)', () => {
      it('deletes terminal operations finished before the cutoff and keeps the rest and all resources', async () => {
        const oldSuccess = await create({ at: 0 });
        const oldFailure = await create({ at: 1 });
        const recentCancel = await create({ at: 2 });
        const leaseA = (await claim(3)).lease;
        const leaseB = (await claim(3)).lease;
        await store.updateOperation(leaseA, { state: 'succeeded' }, at(10), [
          { collection: 'cars', id: 'car-1', body: { id: 'car-1' } },
        ]);
        await store.updateOperation(leaseB, { state: 'failed', error: WORKER_LOST }, at(20));
        await store.requestCancel(TENANT, recentCancel.id, at(30));
        const running = await create({ at: 4 });
        await claim(5);
        const queued = await create({ at: 5 });

        expect(await store.deleteExpired(at(25), at(25))).toBe(2);

        expect(await store.getOperation(TENANT, oldSuccess.id)).toBeUndefined();
        expect(await store.getOperation(TENANT, oldFailure.id)).toBeUndefined();
        expect(await store.getOperation(TENANT, recentCancel.id)).toMatchObject({ state: 'cancelled' });
        expect(await store.getOperation(TENANT, running.id)).toMatchObject({ state: 'running' });
        expect(await store.getOperation(TENANT, queued.id)).toMatchObject({ state: 'queued' });
        expect((await store.getResource(TENANT, 'cars', 'car-1'))?.operationId).toBe(oldSuccess.id);
        expect(await store.deleteExpired(at(25), at(25))).toBe(0);
      });

      it('never deletes active operations, however old', async () => {
        await create({ at: 0 });
        await create({ at: 1 });
        await claim(2);
        expect(await store.deleteExpired(at(1_000_000), at(1_000_000))).toBe(0);
        expect((await store.listOperations({ tenant: TENANT, limit: 10 })).items).toHaveLength(2);
      });

      it('forgets the idempotency keys of deleted operations', async () => {
        await store.createOperation(
          createCommand({ at: 0 }, { idempotency: idempotencyClaim('key-1', 'sha256:a', 0) }),
        );
        const { lease } = await claim(1);
        await store.updateOperation(lease, { state: 'succeeded' }, at(2));
        expect(await store.deleteExpired(at(3), at(3))).toBe(1);
        // The key would still be live (a day), but its operation is gone: a fresh create.
        const again = await store.createOperation(
          createCommand({ at: 4 }, { idempotency: idempotencyClaim('key-1', 'sha256:a', 4) }),
        );
        expect(again.outcome).toBe('created');
      });

      it('purges idempotency keys expired by now, even of operations it keeps', async () => {
        const kept = await store.createOperation(
          createCommand({ at: 0 }, { idempotency: { key: 'key-1', fingerprint: 'sha256:a', expiresAt: iso(50) } }),
        );
        expect(await store.deleteExpired(at(0), at(60))).toBe(0);
        // A late request stamped before the expiry would have replayed; the key is gone, so it creates.
        const late = await store.createOperation(
          createCommand({ at: 40 }, { idempotency: { key: 'key-1', fingerprint: 'sha256:a', expiresAt: iso(90) } }),
        );
        expect(late.outcome).toBe('created');
        expect(kept.outcome === 'created' && (await store.getOperation(TENANT, kept.operation.id))?.state).toBe(
          'queued',
        );
      });

      it('keeps idempotency keys not yet expired', async () => {
        await store.createOperation(
          createCommand({ at: 0 }, { idempotency: { key: 'key-1', fingerprint: 'sha256:a', expiresAt: iso(50) } }),
        );
        await store.deleteExpired(at(0), at(49));
        const retry = await store.createOperation(
          createCommand({ at: 40 }, { idempotency: { key: 'key-1', fingerprint: 'sha256:a', expiresAt: iso(90) } }),
        );
        expect(retry.outcome).toBe('replayed');
      });
    });
  });
}

/** The store's `updateOperationsAndClaim`, which a store said to have it must have. */
function endsAndClaims(store: OperationStore): NonNullable<OperationStore['updateOperationsAndClaim']> {
  const both = store.updateOperationsAndClaim?.bind(store);
  if (both === undefined) throw new Error('the store has no updateOperationsAndClaim');
  return both;
}
