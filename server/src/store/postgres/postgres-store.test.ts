import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.ts';
import type { CreateOperationOutcome, OperationStore } from '../../operations/ports/index.ts';
import { useMigratedTestDatabase } from '../../testing/migrated-postgres-database.ts';
import { describeStoreConformance } from '../../testing/store-conformance.ts';
import {
  at,
  CAR,
  createCommand,
  idempotencyClaim,
  REINDEX,
  TENANT,
  WORKER_LOST,
} from '../../testing/store-fixtures.ts';
import { connectClient } from './database-admin.ts';
import { MIGRATIONS, SchemaTooNewError } from './migrations.ts';
import { createPostgresStore, type PostgresOperationStore } from './postgres-store.ts';

const LEASE_MS = 30_000;

const db = useMigratedTestDatabase(['operations', 'idempotency_keys', 'resources']);
const emptyStore = () => db.emptyStore();

describeStoreConformance(
  'postgres',
  async () => {
    const store = await emptyStore();
    return { store, cleanup: () => store.close() };
  },
  { endsAndClaims: true },
);

function created(outcome: CreateOperationOutcome) {
  if (outcome.outcome !== 'created') throw new Error(`expected created, got ${outcome.outcome}`);
  return outcome.operation;
}

describe('PostgresOperationStore', () => {
  const open: OperationStore[] = [];

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  /** Two stores on one database, as two processes would have. */
  async function twoInstances(): Promise<[PostgresOperationStore, PostgresOperationStore]> {
    const a = await emptyStore();
    const b = await createPostgresStore({ connectionString: db.url });
    open.push(a, b);
    return [a, b];
  }

  describe('migrations', () => {
    async function freshDatabase(): Promise<TestDatabase> {
      const fresh = await createTestDatabase();
      cleanups.push(() => fresh.drop());
      return fresh;
    }
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('migrates an empty database once, even when instances start together', async () => {
      const fresh = await freshDatabase();
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => createPostgresStore({ connectionString: fresh.url, migrate: false })),
      );
      open.push(...stores);
      const applied = await Promise.all(stores.map((store) => store.migrate()));
      expect(applied.flat()).toStrictEqual(MIGRATIONS.map((m) => m.version));
      expect(await stores[0]?.migrate()).toStrictEqual([]);
      const client = await connectClient(fresh.url);
      try {
        const { rows } = await client.query('SELECT version, name FROM longrun_schema_migrations ORDER BY version');
        expect(rows).toStrictEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      } finally {
        await client.end();
      }
    });

    it('stores a request body that is the input once, and reads rows written before with their body', async () => {
      const fresh = await freshDatabase();
      const store = await createPostgresStore({ connectionString: fresh.url });
      open.push(store);
      const same = createCommand();
      const other = createCommand({
        at: 1,
        input: { vmId: 'vm_1', configuration: { cpus: 2 } },
        request: { method: 'POST', path: '/virtual-machines', body: { configuration: { cpus: 2 } } },
      });
      for (const command of [same, other]) expect((await store.createOperation(command)).outcome).toBe('created');
      const client = await connectClient(fresh.url);
      try {
        const rawRequest = async (id: string) =>
          (await client.query('SELECT request::jsonb AS request FROM operations WHERE id = $1', [id])).rows[0]?.request;
        expect(await rawRequest(same.operation.id)).toStrictEqual({ method: 'POST', path: '/cars', bodyIsInput: true });
        expect(await rawRequest(other.operation.id)).toStrictEqual(other.operation.request);

        // As a release before this one wrote it: the body in the request too, schema version 2.
        await client.query('UPDATE operations SET request = $1::json WHERE id = $2', [
          JSON.stringify(same.operation.request),
          same.operation.id,
        ]);
        // Schema version 2 lacks what migrations 4 and 5 added too.
        await client.query(`DROP TRIGGER operations_queue_push_message ON operations;
          DROP TRIGGER operations_queue_push_message_on_change ON operations;
          DROP FUNCTION longrun_queue_push_message(); DROP FUNCTION longrun_event_type(text, json);
          ALTER TABLE webhook_messages DROP COLUMN payload_format`);
        await client.query('DELETE FROM longrun_schema_migrations WHERE version >= 3');
        await client.query('DROP TABLE longrun_rate_limits'); // made by version 5
        const reopened = await createPostgresStore({ connectionString: fresh.url });
        open.push(reopened);
        expect(await rawRequest(same.operation.id)).toStrictEqual({ method: 'POST', path: '/cars', bodyIsInput: true });
        expect(await rawRequest(other.operation.id)).toStrictEqual(other.operation.request);
        expect((await reopened.getOperation(TENANT, same.operation.id))?.request).toStrictEqual(same.operation.request);
        expect((await reopened.getOperation(TENANT, other.operation.id))?.request).toStrictEqual(
          other.operation.request,
        );
      } finally {
        await client.end();
      }
    });

    it('refuses a database migrated by a newer release', async () => {
      const fresh = await freshDatabase();
      await (await createPostgresStore({ connectionString: fresh.url })).close();
      const client = await connectClient(fresh.url);
      try {
        await client.query(`INSERT INTO longrun_schema_migrations VALUES (99, 'from the future', now())`);
      } finally {
        await client.end();
      }
      await expect(createPostgresStore({ connectionString: fresh.url })).rejects.toBeInstanceOf(SchemaTooNewError);
    });
  });

  describe('across instances on one database', () => {
    it('never gives one operation to two workers of different instances', async () => {
      const [a, b] = await twoInstances();
      for (let i = 0; i < 20; i++) created(await a.createOperation(createCommand({ at: i })));
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).claimNext(`worker-${i}`, [CAR], LEASE_MS, at(30))),
      );
      const won = claims.flatMap((claim) => (claim === undefined ? [] : [claim.operation.id]));
      expect(won).toHaveLength(20);
      expect(new Set(won).size).toBe(20);
    });

    it('claims past a row another transaction holds locked instead of waiting for it (SKIP LOCKED)', async () => {
      const [a] = await twoInstances();
      const oldest = created(await a.createOperation(createCommand({ at: 0 })));
      const next = created(await a.createOperation(createCommand({ at: 1 })));
      const holder = await connectClient(db.url);
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM operations WHERE id = $1 FOR UPDATE', [oldest.id]);
        expect((await a.claimNext('worker-1', [CAR], LEASE_MS, at(2)))?.operation.id).toBe(next.id);
        await holder.query('ROLLBACK');
        expect((await a.claimNext('worker-1', [CAR], LEASE_MS, at(3)))?.operation.id).toBe(oldest.id);
      } finally {
        await holder.end();
      }
    });

    it('creates one operation for concurrent requests with one idempotency key spread over instances', async () => {
      const [a, b] = await twoInstances();
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? a : b).createOperation(createCommand({ at: 0 }, { idempotency: idempotencyClaim('key-1') })),
        ),
      );
      const ids = new Set(outcomes.map((o) => (o.outcome === 'locked' ? o.pending.id : o.operation.id)));
      expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'replayed')).toHaveLength(29);
      expect(ids.size).toBe(1);
    });

    it('lets one of concurrent one-at-a-time requests spread over instances through', async () => {
      const [a, b] = await twoInstances();
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 === 0 ? a : b).createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex', at: 0 })),
        ),
      );
      const winner = outcomes.flatMap((o) => (o.outcome === 'created' ? [o.operation.id] : []));
      expect(winner).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'locked' && o.pending.id === winner[0])).toHaveLength(29);
    });

    it("refuses the late write of a worker whose lease another instance's recovery took over", async () => {
      const [a, b] = await twoInstances();
      created(await a.createOperation(createCommand({ at: 0 })));
      const first = await a.claimNext('worker-a', [CAR], LEASE_MS, at(1));
      if (first === undefined) throw new Error('expected a claim');
      const recovered = await b.recoverExpiredLeases(at(1 + LEASE_MS / 1000 + 1), 3, WORKER_LOST);
      expect(recovered.map((o) => o.state)).toStrictEqual(['queued']);
      const second = await b.claimNext('worker-b', [CAR], LEASE_MS, at(40));
      expect(second?.lease.attempt).toBe(2);
      expect(await a.renewLease(first.lease, LEASE_MS, at(41))).toBe(false);
      expect(
        await a.updateOperation(first.lease, { state: 'succeeded', result: { late: true } }, at(41), [
          { collection: 'cars', id: 'car-late', body: {} },
        ]),
      ).toBeUndefined();
      expect(await b.getOperation(TENANT, first.operation.id)).toStrictEqual(second?.operation);
      expect(await b.getResource(TENANT, 'cars', 'car-late')).toBeUndefined();
    });
  });

  describe('batched creates', () => {
    it('sends the creates asked while a batch insert is in flight together, in the next one', async () => {
      const [a] = await twoInstances();
      const inserts: string[] = [];
      const query = pg.Client.prototype.query;
      const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args) {
        const name = (args[0] as { name?: string } | undefined)?.name;
        if (name?.startsWith('longrun_insert_operation')) inserts.push(name);
        return (query as (...a: unknown[]) => unknown).apply(this, args) as never;
      });
      const holder = await connectClient(db.url);
      try {
        // Inserts wait for this lock, so the first batch stays in flight while the others are asked.
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE operations IN SHARE MODE');
        const first = a.createOperation(createCommand({ at: 0 }));
        const later: Promise<CreateOperationOutcome>[] = [];
        for (let i = 1; i <= 5; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          later.push(a.createOperation(createCommand({ at: i })));
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
        await holder.query('ROLLBACK');
        const outcomes = await Promise.all([first, ...later]);
        expect(outcomes.map((o) => o.outcome)).toStrictEqual(Array(6).fill('created'));
        expect(inserts).toStrictEqual(['longrun_insert_operation', 'longrun_insert_operations']);
      } finally {
        spy.mockRestore();
        await holder.end();
      }
    });
  });

  describe('text PostgreSQL cannot hold', () => {
    it('finds nothing for keys with NUL instead of failing', async () => {
      const [a] = await twoInstances();
      expect(await a.getOperation('\u0000health', 'op_0000000000')).toBeUndefined();
      // Yet it asked the database (the health check reads such a key to probe it).
      await a.close();
      await expect(a.getOperation('\u0000health', 'op_0000000000')).rejects.toThrow();
    });

    it('finds no resource and cancels nothing for keys with NUL', async () => {
      const [a] = await twoInstances();
      expect(await a.getResource(TENANT, 'cars\u0000', 'x')).toBeUndefined();
      expect(await a.requestCancel(TENANT, 'op_\u0000', at(0))).toBeUndefined();
    });

    it('keeps NUL characters inside JSON values', async () => {
      const [a] = await twoInstances();
      const operation = created(
        await a.createOperation(
          createCommand({ input: { name: 'a\u0000b' }, request: { method: 'POST', path: '/cars', body: 'x\u0000' } }),
        ),
      );
      expect(await a.getOperation(TENANT, operation.id)).toStrictEqual(operation);
      expect(operation.input).toStrictEqual({ name: 'a\u0000b' });
    });
  });
});
