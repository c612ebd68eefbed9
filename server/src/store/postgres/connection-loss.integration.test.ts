/**
 * A PostgreSQL connection lost in the middle of a request — ended by the server for a transaction
 * left idle (25P03), terminated by an operator, or refused — fails that request with a 503 problem
 * and never ends the process (an `'error'` event with no listener would).
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.ts';
import { StoreUnavailableError } from '../../operations/errors.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { connectClient } from './database-admin.ts';
import { createPostgresStore } from './postgres-store.ts';
import { guardPoolQueries, inTransaction } from './transaction.ts';

let db: TestDatabase;
/** Connected to the server's `postgres` database: a database cannot close itself to connections. */
let admin: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  const outside = new URL(db.url);
  outside.pathname = '/postgres';
  admin = await connectClient(outside.href);
});

afterAll(async () => {
  await admin?.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
  await admin?.end();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ends every other connection to the test database, as an operator or a failover would. */
async function terminateOthers(): Promise<number> {
  const { rows } = await admin.query<{ ended: boolean }>(
    'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = $1',
    [db.name],
  );
  return rows.length;
}

describe('a connection lost while checked out', () => {
  it('a transaction the server ends for idling rejects with StoreUnavailableError; the pool goes on', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined);
    guardPoolQueries(pool);
    try {
      const failure = await inTransaction(pool, async (client) => {
        await client.query(`SET LOCAL idle_in_transaction_session_timeout = '100ms'`);
        // Idle between statements: the server ends the session (FATAL 25P03) while no query runs.
        await sleep(600);
        await client.query('SELECT 1');
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0]?.one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('a terminated backend rejects the transaction with StoreUnavailableError', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined);
    guardPoolQueries(pool);
    try {
      const failure = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await sleep(200);
        await client.query('SELECT 1');
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((await pool.query('SELECT 1')).rowCount).toBe(1);
    } finally {
      await pool.end();
    }
  });
});

describe('a server whose database goes away and comes back', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ databaseUrl: db.url, changePollMs: 100 });
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    await t?.stop();
  });

  it('answers 503 store-unavailable while it cannot connect, then serves again', async () => {
    const car = JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' });
    const first = await fetch(`${t.url}/cars`, { method: 'POST', headers: t.headers(), body: car });
    expect(first.status).toBe(202);
    const monitor = new URL(first.headers.get('location') ?? '', t.url).href;
    expect([200, 202]).toContain((await fetch(monitor, { headers: t.headers() })).status);

    await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    expect(await terminateOthers()).toBeGreaterThan(0);
    await sleep(200);
    const refused = await fetch(monitor, { headers: t.headers() });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    const problem = (await refused.json()) as { type: string };
    expect(problem.type).toBe('https://longrun.dev/problems/store-unavailable');
    const accept = await fetch(`${t.url}/cars`, {
      method: 'POST',
      headers: t.headers(),
      body: car,
    });
    expect(accept.status).toBe(503);

    await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    expect([200, 202]).toContain((await fetch(monitor, { headers: t.headers() })).status);
  });
});

describe('a database that accepts connections and never answers', () => {
  it('fails the store with StoreUnavailableError after the connect timeout instead of waiting forever', async () => {
    // What a proxy in front of a stopped database, or a half-open network path, looks like.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    try {
      const failure = await createPostgresStore({
        connectionString: `postgres://postgres@127.0.0.1:${port}/longrun`,
        connectTimeoutMs: 300,
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toMatch(/timeout/);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
