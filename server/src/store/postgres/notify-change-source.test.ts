import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.ts';
import type { ChangeNotice } from '../../operations/changes.ts';
import type { OperationRecord } from '../../operations/model.ts';
import { at, CAR, createCommand, TENANT } from '../../testing/store-fixtures.ts';
import { connectClient } from './database-admin.ts';
import type { NotifyChangeSourceOptions } from './notify-change-source.ts';
import { createPostgresStore, type PostgresOperationStore } from './postgres-store.ts';

let db: TestDatabase;
let admin: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  await (await createPostgresStore({ connectionString: db.url })).close();
  admin = await connectClient(db.url);
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

/** Creates a car operation through `store`, created `seconds` after the epoch. */
async function create(store: PostgresOperationStore, seconds: number): Promise<OperationRecord> {
  const outcome = await store.createOperation(createCommand({ at: seconds }));
  if (outcome.outcome !== 'created') throw new Error(`expected created, got ${outcome.outcome}`);
  return outcome.operation;
}

/** Notices as they arrive, and a way to wait for the next ones. */
class NoticeLog {
  readonly notices: ChangeNotice[] = [];
  readonly #waiters: { count: number; resolve: () => void }[] = [];

  readonly onNotice = (notice: ChangeNotice): void => {
    this.notices.push(notice);
    for (const waiter of [...this.#waiters]) {
      if (this.notices.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };

  /** Resolves once `count` notices arrived in all (the test's timeout is the failure). */
  until(count: number): Promise<ChangeNotice[]> {
    if (this.notices.length >= count) return Promise.resolve(this.notices);
    return new Promise((resolve) => this.#waiters.push({ count, resolve: () => resolve(this.notices) }));
  }
}

describe('NotifyChangeSource', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await admin.query('ALTER TABLE operations ENABLE TRIGGER operations_notify_change');
    await admin.query('TRUNCATE operations, idempotency_keys, resources');
  });

  async function store(): Promise<PostgresOperationStore> {
    const opened = await createPostgresStore({ connectionString: db.url });
    cleanups.push(() => opened.close());
    return opened;
  }

  /** Instance `local` listening, and `other`, another instance on the same database. */
  async function listening(options: Partial<NotifyChangeSourceOptions> = {}) {
    const local = await store();
    const other = await store();
    const log = new NoticeLog();
    const source = local.changeSource({ pollIntervalMs: 60_000, ...options });
    const stop = await source.listen(log.onNotice);
    cleanups.push(stop);
    return { local, other, log, source, stop };
  }

  /** Server pids of `instance`'s listening connection. */
  async function listenerPids(instance: PostgresOperationStore): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
      [`longrun listener ${instance.instanceId}`],
    );
    return rows.map((row) => row.pid);
  }

  it("delivers another instance's changes with their state and cancel request, and skips its own", async () => {
    const { local, other, log, source } = await listening();
    const created = await create(other, 0);
    await log.until(1);
    const claimed = await other.claimNext('worker-b', [CAR], 30_000, at(1));
    await log.until(2);
    await other.requestCancel(TENANT, created.id, at(2));
    await log.until(3);
    expect(log.notices).toStrictEqual([
      { tenant: TENANT, operationId: created.id, version: 1, state: 'queued', cancelRequested: false },
      { tenant: TENANT, operationId: created.id, version: 2, state: 'running', cancelRequested: false },
      { tenant: TENANT, operationId: created.id, version: 3, state: 'running', cancelRequested: true },
    ]);
    // A lease renewal is no change of the monitor: nothing is announced.
    expect(claimed && (await other.renewLease(claimed.lease, 30_000, at(3)))).toBe(true);
    // Its own change is not delivered, and a poll brings back neither it nor what was delivered.
    const mine = await create(local, 4);
    const theirs = await create(other, 5);
    await log.until(4);
    await source.pollNow();
    expect(log.notices.map((n) => n.operationId)).toStrictEqual([created.id, created.id, created.id, theirs.id]);
    expect(log.notices.some((n) => n.operationId === mine.id)).toBe(false);
    expect(source.stats).toStrictEqual({ notified: 4, polled: 0, reconnects: 0 });
  });

  it('delivers a change whose notification was lost by the backstop poll', async () => {
    const { other, log, source } = await listening({ pollIntervalMs: 50 });
    await admin.query('ALTER TABLE operations DISABLE TRIGGER operations_notify_change');
    const created = await create(other, 0);
    const [notice] = await log.until(1);
    expect(notice).toStrictEqual({
      tenant: TENANT,
      operationId: created.id,
      version: 1,
      state: 'queued',
      cancelRequested: false,
    });
    expect(source.stats).toMatchObject({ notified: 0, polled: 1 });
  });

  it('re-establishes a dropped listening connection and catches up on what changed meanwhile', async () => {
    const { local, other, log, source } = await listening({ reconnectDelayMs: { min: 300, max: 300 } });
    const [pid] = await listenerPids(local);
    expect(pid).toBeTypeOf('number');
    // Waits until the backend is gone: the next change has nobody listening for it.
    await admin.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
    const whileAway = await create(other, 0);
    const [caughtUp] = await log.until(1);
    expect(caughtUp?.operationId).toBe(whileAway.id);
    expect(source.stats).toStrictEqual({ notified: 0, polled: 1, reconnects: 1 });
    const [newPid] = await listenerPids(local);
    expect(newPid).not.toBe(pid);
    const afterwards = await create(other, 1);
    const notices = await log.until(2);
    expect(notices[1]?.operationId).toBe(afterwards.id);
    expect(source.stats).toMatchObject({ notified: 1, reconnects: 1 });
  });

  it('stops delivering and closes its connection when stopped', async () => {
    const { local, other, log, source, stop } = await listening({ pollIntervalMs: 20 });
    expect(await listenerPids(local)).toHaveLength(1);
    await stop();
    expect(await listenerPids(local)).toHaveLength(0);
    await create(other, 0);
    await source.pollNow();
    expect(log.notices).toStrictEqual([]);
  });
});
