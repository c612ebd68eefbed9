/**
 * What two instances on one database let a caller through now that each reserves its places in
 * the shared count a block at a time (docs/decisions/0014): never more than the quota, at least
 * the quota less one block per other instance, and one upsert per block.
 */
import pg from 'pg';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useMigratedTestDatabase } from '../../testing/migrated-postgres-database.ts';
import { connectClient } from './database-admin.ts';
import type { PostgresOperationStore } from './postgres-store.ts';
import { createPostgresStore } from './postgres-store.ts';
import { RATE_LIMIT_TABLE, ReservingQuotaCounter, reservationSize } from './rate-limit-table.ts';

const QUOTA = 1_000;
const BLOCK = reservationSize(QUOTA);
const db = useMigratedTestDatabase([RATE_LIMIT_TABLE]);

describe('request quotas reserved a block at a time', () => {
  const open: PostgresOperationStore[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  /** The counters of two instances on one database, each as the API builds it. */
  async function twoInstances() {
    const a = await db.emptyStore();
    const b = await createPostgresStore({ connectionString: db.url });
    open.push(a, b);
    const quota = { points: QUOTA, duration: 60, keyPrefix: 'test' };
    return [a, b].map((store) => store.quotaCounter({ ...quota, insuranceLimiter: new RateLimiterMemory(quota) })) as [
      ReturnType<PostgresOperationStore['quotaCounter']>,
      ReturnType<PostgresOperationStore['quotaCounter']>,
    ];
  }

  /** The place a request got, or undefined when it was refused. */
  async function place(counter: RateLimiterAbstract, caller = 'tenant:acme'): Promise<number | undefined> {
    try {
      return (await counter.consume(caller)).consumedPoints;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return undefined;
      throw refusal;
    }
  }

  async function sharedCount(): Promise<number> {
    const client = await connectClient(db.url);
    try {
      const { rows } = await client.query<{ points: number }>(
        `SELECT points FROM ${RATE_LIMIT_TABLE} WHERE key LIKE '%:tenant:acme'`,
      );
      return rows[0]?.points ?? 0;
    } finally {
      await client.end();
    }
  }

  it('reserves a hundredth of the quota at a time, at least one place and at most 100', () => {
    expect(BLOCK).toBe(10);
    expect([5, 199, 200, 6_000, 10_000, 1_000_000_000].map(reservationSize)).toStrictEqual([1, 1, 2, 60, 100, 100]);
  });

  it('counts a busy caller with one upsert per block, each request its own place in order', async () => {
    const [a] = await twoInstances();
    const places: (number | undefined)[] = [];
    for (let i = 0; i < 25; i++) places.push(await place(a));
    expect(places).toStrictEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // Three blocks taken from the database for 25 requests.
    expect(await sharedCount()).toBe(3 * BLOCK);
  });

  it('holds places of a window that never ends (a quota of 0 seconds) until they are used', async () => {
    const store = await db.emptyStore();
    open.push(store);
    const quota = { points: QUOTA, duration: 0, keyPrefix: 'test' };
    const counter = store.quotaCounter({ ...quota, insuranceLimiter: new RateLimiterMemory(quota) });
    for (let i = 1; i <= 25; i++) expect(await place(counter)).toBe(i);
    expect(await sharedCount()).toBe(3 * BLOCK);
    expect((await counter.consume('tenant:acme')).msBeforeNext).toBe(-1);
  });

  it('lets requests arriving at both at once through the quota, never past it, each with its own place', async () => {
    const counters = await twoInstances();
    const places = await Promise.all(
      Array.from({ length: 3 * QUOTA }, (_, i) => place(counters[i % 2] as (typeof counters)[0])),
    );
    const passed = places.filter((p): p is number => p !== undefined);
    expect(passed.length).toBeLessThanOrEqual(QUOTA);
    // Each instance may still hold part of a block when the other is refused.
    expect(passed.length).toBeGreaterThanOrEqual(QUOTA - 2 * (BLOCK - 1));
    expect(new Set(passed).size).toBe(passed.length);
    expect(Math.max(...passed)).toBeLessThanOrEqual(QUOTA);
  });

  it('loses to the caller, at most, the rest of a block an instance no longer serves', async () => {
    const [a, b] = await twoInstances();
    // A takes one place and reserves a block; every later request goes to B.
    expect(await place(a)).toBe(1);
    let passedAtB = 0;
    for (let i = 0; i < QUOTA + 50; i++) if ((await place(b)) !== undefined) passedAtB += 1;
    expect(1 + passedAtB).toBe(QUOTA - (BLOCK - 1));
    // A still hands out the places it holds, and nothing past the quota.
    let passedAtA = 0;
    for (let i = 0; i < 2 * BLOCK; i++) if ((await place(a)) !== undefined) passedAtA += 1;
    expect(1 + passedAtB + passedAtA).toBe(QUOTA);
  });

  it('counts each request, not a block, in memory while the database does not answer', async () => {
    const nowhere = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 });
    try {
      const quota = { points: QUOTA, duration: 60, keyPrefix: 'test' };
      const insurance = new RateLimiterMemory(quota);
      const counter = new ReservingQuotaCounter(nowhere, { ...quota, insuranceLimiter: insurance });
      const places: (number | undefined)[] = [];
      for (let i = 0; i < 3; i++) places.push(await place(counter));
      expect(places).toStrictEqual([1, 2, 3]);
      expect((await insurance.get('tenant:acme'))?.consumedPoints).toBe(3);
    } finally {
      await nowhere.end();
    }
  });

  it('leaves held places alone while the database does not answer, and asks it again first when it is back', async () => {
    await db.emptyStore().then((store) => open.push(store));
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const quota = { points: QUOTA, duration: 60, keyPrefix: 'test' };
      const insurance = new RateLimiterMemory(quota);
      const counter = new ReservingQuotaCounter(pool, { ...quota, insuranceLimiter: insurance });
      expect(await place(counter)).toBe(1);
      const away = vi
        .spyOn(pool, 'query')
        .mockImplementation((() => Promise.reject(new Error('connection refused'))) as never);
      // Another caller finds the database away: counted by the insurance…
      expect(await place(counter, 'tenant:globex')).toBe(1);
      // …and so is acme now, not from the places it holds since its first request.
      expect(await place(counter)).toBe(1);
      expect((await insurance.get('tenant:acme'))?.consumedPoints).toBe(1);
      away.mockRestore();
      // Back: the next request counts in the database again (a new block), then places are held again.
      expect(await place(counter)).toBe(BLOCK + 1);
      expect(await sharedCount()).toBe(2 * BLOCK);
      expect(await place(counter)).toBe(BLOCK + 2);
      expect(await sharedCount()).toBe(2 * BLOCK);
    } finally {
      await pool.end();
    }
  });
});
