import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreateOperationOutcome } from '../../operations/ports/index.ts';
import { describeStoreConformance } from '../../testing/store-conformance.ts';
import { at, CAR, createCommand, idempotencyClaim, iso, REINDEX, TENANT } from '../../testing/store-fixtures.ts';
import { type CommitInfo, StoreClosedError } from './group-commit.ts';
import { MIGRATIONS, migrate, SchemaTooNewError } from './migrations.ts';
import { openDatabase } from './open-database.ts';
import { createSqliteStore, DATABASE_FILENAME, type SqliteStoreOptions } from './sqlite-store.ts';

const LEASE_MS = 30_000;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'longrun-sqlite-'));
}

describeStoreConformance('sqlite', async () => {
  const dir = tempDir();
  const store = await createSqliteStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteOperationStore', () => {
  let dir: string;
  const open: { close(): Promise<void> | unknown }[] = [];

  beforeEach(() => {
    dir = tempDir();
  });

  afterEach(async () => {
    for (const handle of open.splice(0)) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function openStore(options: Omit<SqliteStoreOptions, 'dataDir'> = {}) {
    const store = await createSqliteStore({ dataDir: dir, ...options });
    open.push(store);
    return store;
  }

  function created(outcome: CreateOperationOutcome) {
    if (outcome.outcome !== 'created') throw new Error(`expected created, got ${outcome.outcome}`);
    return outcome.operation;
  }

  describe('durability across restart', () => {
    it('keeps operations, resources and idempotency keys across close and reopen', async () => {
      const first = await openStore();
      const command = createCommand(
        { at: 0 },
        {
          idempotency: idempotencyClaim('key-1'),
          resource: { collection: 'virtual-machines', id: 'vm-1', body: { status: 'creating' } },
        },
      );
      created(await first.createOperation(command));
      const claimed = await first.claimNext('worker-1', [CAR], LEASE_MS, at(1));
      if (claimed === undefined) throw new Error('expected a claim');
      const done = await first.updateOperation(
        claimed.lease,
        { state: 'succeeded', progress: { percent: 100 }, product: { rel: 'product', href: '/virtual-machines/vm-1' } },
        at(5),
        [{ collection: 'virtual-machines', id: 'vm-1', body: { status: 'ready' } }],
      );
      const queued = created(await first.createOperation(createCommand({ at: 6, kind: REINDEX, lockKey: 'reindex' })));
      const listed = await first.listOperations({ tenant: TENANT, limit: 10 });
      const resource = await first.getResource(TENANT, 'virtual-machines', 'vm-1');
      await first.close();

      const second = await openStore();
      expect(await second.getOperation(TENANT, command.operation.id)).toStrictEqual(done);
      expect(await second.getOperation(TENANT, queued.id)).toStrictEqual(queued);
      expect(await second.listOperations({ tenant: TENANT, limit: 10 })).toStrictEqual(listed);
      expect(await second.getResource(TENANT, 'virtual-machines', 'vm-1')).toStrictEqual(resource);
      const replay = await second.createOperation(createCommand({ at: 7 }, { idempotency: idempotencyClaim('key-1') }));
      expect(replay).toStrictEqual({ outcome: 'replayed', operation: done });
      const locked = await second.createOperation(createCommand({ at: 8, kind: REINDEX, lockKey: 'reindex' }));
      expect(locked).toStrictEqual({ outcome: 'locked', pending: queued });
    });

    it('commits writes still queued when it is closed', async () => {
      const first = await openStore();
      const command = createCommand();
      const pending = first.createOperation(command);
      await first.close();
      expect((await pending).outcome).toBe('created');
      const second = await openStore();
      expect(await second.getOperation(TENANT, command.operation.id)).toMatchObject({ state: 'queued' });
    });

    it('refuses writes after close', async () => {
      const store = await openStore();
      await store.close();
      await expect(store.createOperation(createCommand())).rejects.toBeInstanceOf(StoreClosedError);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });

  describe('opening', () => {
    it('configures WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
      const db = openDatabase(join(dir, 'pragmas.sqlite'), { busyTimeoutMs: 1234 });
      open.push(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    });

    it('applies the migrations once: reopening applies none and keeps the history', async () => {
      await (await openStore()).close();
      await (await openStore()).close();
      const db = new BetterSqlite3(join(dir, DATABASE_FILENAME));
      open.push(db);
      const history = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      expect(history).toStrictEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      expect(migrate(db)).toStrictEqual([]);
    });

    it('stores a request body that is the input once, and reads rows written before with their body', async () => {
      const store = await openStore();
      const same = createCommand();
      const other = createCommand({
        at: 1,
        input: { vmId: 'vm_1', configuration: { cpus: 2 } },
        request: { method: 'POST', path: '/virtual-machines', body: { configuration: { cpus: 2 } } },
      });
      for (const command of [same, other]) expect((await store.createOperation(command)).outcome).toBe('created');
      await store.close();
      const db = new BetterSqlite3(join(dir, DATABASE_FILENAME));
      open.push(db);
      const rawRequest = (id: string) =>
        JSON.parse(db.prepare('SELECT request FROM operations WHERE id = ?').pluck().get(id) as string);
      expect(rawRequest(same.operation.id)).toStrictEqual({ method: 'POST', path: '/cars', bodyIsInput: true });
      expect(rawRequest(other.operation.id)).toStrictEqual(other.operation.request);

      // As a release before this one wrote it: the body in the request too, schema version 2.
      db.prepare('UPDATE operations SET request = ? WHERE id = ?').run(
        JSON.stringify(same.operation.request),
        same.operation.id,
      );
      // Schema version 2 lacks what migration 4 added too.
      db.exec('ALTER TABLE webhook_messages DROP COLUMN payload_format');
      db.prepare('DELETE FROM schema_migrations WHERE version >= 3').run();
      const reopened = await openStore();
      expect(rawRequest(same.operation.id)).toStrictEqual({ method: 'POST', path: '/cars', bodyIsInput: true });
      expect(rawRequest(other.operation.id)).toStrictEqual(other.operation.request);
      expect((await reopened.getOperation(TENANT, same.operation.id))?.request).toStrictEqual(same.operation.request);
      expect((await reopened.getOperation(TENANT, other.operation.id))?.request).toStrictEqual(other.operation.request);
    });

    it('sends a push message queued before the outbox with the monitor it was stored with', async () => {
      await (await openStore()).close();
      const db = new BetterSqlite3(join(dir, DATABASE_FILENAME));
      open.push(db);
      // As a release before the outbox left it: schema version 3, a message holding its monitor.
      db.exec(`ALTER TABLE webhook_messages DROP COLUMN payload_format;
        DELETE FROM schema_migrations WHERE version >= 4;
        INSERT INTO webhook_messages (id, tenant, operation_id, operation_version, type, payload, created_at)
          VALUES ('msg_01_1', '${TENANT}', 'op_01', 1, 'monitor.queued', '{"id":"op_01","state":"queued"}', '${iso(0)}');
        INSERT INTO webhook_deliveries (id, tenant, message_id, operation_id, subscription_id, target, url, state,
          attempts, next_attempt_at, created_at)
          VALUES ('dlv_01', '${TENANT}', 'msg_01_1', 'op_01', NULL, 'callback', 'https://client.example.com/cb',
            'pending', 0, '${iso(0)}', '${iso(0)}');`);
      const store = await openStore();
      const [claimed] = await store.webhooks.claimDeliveries('dispatcher', 10, LEASE_MS, at(1));
      expect(claimed?.payload).toBe('{"id":"op_01","state":"queued"}');
      expect(claimed?.operation).toBeNull();
    });

    it('refuses a database migrated by a newer release', async () => {
      await (await openStore()).close();
      const db = new BetterSqlite3(join(dir, DATABASE_FILENAME));
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        999,
        'future',
        iso(0),
      );
      db.close();
      await expect(createSqliteStore({ dataDir: dir })).rejects.toBeInstanceOf(SchemaTooNewError);
    });

    it('needs a data directory or a file name', async () => {
      await expect(createSqliteStore({})).rejects.toBeInstanceOf(TypeError);
    });

    it('runs in memory for throwaway stores', async () => {
      const store = await createSqliteStore({ filename: ':memory:' });
      open.push(store);
      expect((await store.createOperation(createCommand())).outcome).toBe('created');
    });
  });

  describe('group commit', () => {
    it('commits 200 concurrent creates in one durable transaction', async () => {
      const commits: CommitInfo[] = [];
      const first = await openStore({ onCommit: (info) => commits.push(info) });
      const commands = Array.from({ length: 200 }, (_, i) => createCommand({ at: i }));
      const outcomes = await Promise.all(commands.map((c) => first.createOperation(c)));
      expect(outcomes.every((o) => o.outcome === 'created')).toBe(true);
      expect(commits.map((c) => c.writes)).toStrictEqual([200]);
      await first.close();

      const second = await openStore();
      const listed = await second.listOperations({ tenant: TENANT, limit: 500 });
      expect(listed.items.map((o) => o.id).sort()).toStrictEqual(commands.map((c) => c.operation.id).sort());
    });

    it('splits a burst into transactions of at most maxBatch writes', async () => {
      const commits: number[] = [];
      const store = await openStore({ maxBatch: 50, onCommit: (info) => commits.push(info.writes) });
      await Promise.all(Array.from({ length: 180 }, (_, i) => store.createOperation(createCommand({ at: i }))));
      expect(commits).toStrictEqual([50, 50, 50, 30]);
    });

    it('commits writes awaited one by one in a transaction each', async () => {
      let commits = 0;
      const store = await openStore({ onCommit: () => commits++ });
      for (let i = 0; i < 5; i++) await store.createOperation(createCommand({ at: i }));
      expect(commits).toBe(5);
    });

    it('evaluates a batch in order: later writes see earlier ones', async () => {
      const commits: number[] = [];
      const store = await openStore({ onCommit: (info) => commits.push(info.writes) });
      const first = store.createOperation(createCommand({ at: 0 }, { idempotency: idempotencyClaim('key-1') }));
      const claim = store.claimNext('worker-1', [CAR], LEASE_MS, at(1));
      const retry = store.createOperation(createCommand({ at: 2 }, { idempotency: idempotencyClaim('key-1') }));
      const [a, b, c] = await Promise.all([first, claim, retry]);
      expect(commits).toStrictEqual([3]);
      expect(b?.operation.id).toBe(created(a).id);
      expect(c).toStrictEqual({ outcome: 'replayed', operation: b?.operation });
    });

    it('keeps the rest of a batch durable when one write in it fails', async () => {
      const commits: number[] = [];
      const first = await openStore({ onCommit: (info) => commits.push(info.writes) });
      const good = createCommand({ at: 0 });
      const results = await Promise.allSettled([
        first.createOperation(good),
        first.createOperation(createCommand({ createdAt: '2031-05-06 07:08:09' })),
        first.createOperation({ operation: { ...good.operation } }),
      ]);
      expect(results.map((r) => r.status)).toStrictEqual(['fulfilled', 'rejected', 'rejected']);
      expect(results[1]?.status === 'rejected' && results[1].reason).toBeInstanceOf(RangeError);
      expect(commits).toStrictEqual([3]);
      await first.close();
      const second = await openStore();
      expect((await second.listOperations({ tenant: TENANT, limit: 10 })).items.map((o) => o.id)).toStrictEqual([
        good.operation.id,
      ]);
    });
  });

  describe('several connections on one file (several processes)', () => {
    it('answers locked across connections', async () => {
      const a = await openStore();
      const b = await openStore();
      const holder = created(await a.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex' })));
      expect(await b.createOperation(createCommand({ at: 1, kind: REINDEX, lockKey: 'reindex' }))).toStrictEqual({
        outcome: 'locked',
        pending: holder,
      });
    });

    it('backs the lock check with a unique index on active operations', async () => {
      const store = await openStore();
      const holder = created(await store.createOperation(createCommand({ kind: REINDEX, lockKey: 'reindex' })));
      const db = new BetterSqlite3(join(dir, DATABASE_FILENAME));
      open.push(db);
      // Bypass the store's check: a second queued row with the same (tenant, lock_key).
      const insertSecondActive = db.transaction(() => {
        db.prepare('CREATE TEMP TABLE twin AS SELECT * FROM operations WHERE id = ?').run(holder.id);
        db.prepare("UPDATE twin SET id = 'op_twin'").run();
        db.prepare('INSERT INTO operations SELECT * FROM twin').run();
      });
      expect(() => insertSecondActive()).toThrow(/UNIQUE constraint failed: operations.tenant, operations.lock_key/);
      // Once the holder is finished the same row is accepted: the index covers active ones only.
      db.prepare("UPDATE operations SET state = 'cancelled', finished_at = ? WHERE id = ?").run(iso(1), holder.id);
      expect(() => insertSecondActive()).not.toThrow();
    });

    it('never lets two connections claim the same operation', async () => {
      const a = await openStore();
      const b = await openStore();
      for (let i = 0; i < 10; i++) await a.createOperation(createCommand({ at: i }));
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).claimNext(`worker-${i}`, [CAR], LEASE_MS, at(20))),
      );
      const ids = claims.flatMap((c) => (c === undefined ? [] : [c.operation.id]));
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
    });
  });

  it('refuses a createdAt not in Date#toISOString() form (it orders the queue)', async () => {
    const store = await openStore();
    await expect(
      store.createOperation(createCommand({ createdAt: '2031-05-06T09:08:09+02:00' })),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
