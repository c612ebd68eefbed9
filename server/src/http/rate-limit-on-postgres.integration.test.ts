/**
 * Request quotas on PostgreSQL are counted in the database, so two instances on one database let
 * a tenant (or an address guessing keys) through its quota once in total, not once per instance;
 * and a database that stops answering never turns a request into a 500: each instance then
 * counts alone, and says so in its log.
 */
import { Writable } from 'node:stream';
import type pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.ts';
import { connectClient } from '../store/postgres/database-admin.ts';
import { startTestServer, TEST_TENANTS, type TestServer } from '../testing/test-server.ts';

const QUOTA = 5;
const rateLimit = { limit: QUOTA, windowSeconds: 60 };

/** Asserts `answer` is the 429 problem with its `Retry-After`. */
async function expectTooMany(answer: Response): Promise<void> {
  expect(answer.status).toBe(429);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(await answer.json()).toMatchObject({ type: 'https://longrun.dev/problems/too-many-requests', status: 429 });
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(answer.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

describe('two instances on one PostgreSQL database', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let servers: TestServer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // One after the other: the first migrates, the second finds the schema up to date.
    for (let i = 0; i < 2; i++) servers.push(await startTestServer({ databaseUrl: db.url, role: 'api', rateLimit }));
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
    await db?.drop();
  });

  it('let a tenant through its quota once in total, each answer counting down the shared remainder', async () => {
    for (let i = 0; i < QUOTA; i++) {
      const answer = await fetch(`${servers[i % 2]?.url}/monitors`, { headers: bearer(TEST_TENANTS.acme) });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('ratelimit')).toMatch(new RegExp(`^"default";r=${QUOTA - 1 - i};t=\\d+$`));
      expect(answer.headers.get('ratelimit-policy')).toBe(`"default";q=${QUOTA};w=60`);
    }
    for (const server of servers)
      await expectTooMany(await fetch(`${server.url}/monitors`, { headers: bearer(TEST_TENANTS.acme) }));
  });

  it('let exactly the quota through when requests arrive at both at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 * QUOTA }, (_, i) =>
        fetch(`${servers[i % 2]?.url}/monitors`, { headers: bearer(TEST_TENANTS.globex) }),
      ),
    );
    const passed = answers.filter((answer) => answer.status === 200);
    expect(passed).toHaveLength(QUOTA);
    for (const answer of passed) await answer.body?.cancel();
    for (const answer of answers.filter((answer) => answer.status !== 200)) await expectTooMany(answer);
  });

  it('count wrong keys against the address across both, and keep /healthz answering it', async () => {
    for (let i = 0; i < QUOTA; i++) {
      const answer = await fetch(`${servers[i % 2]?.url}/monitors`, { headers: bearer(`guess-${i}`) });
      expect(answer.status).toBe(401);
      await answer.body?.cancel();
    }
    for (const server of servers) {
      await expectTooMany(await fetch(`${server.url}/monitors`, { headers: bearer('guess') }));
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    }
  });
});

describe('a PostgreSQL database that stops answering', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let server: TestServer;
  const logged: { level: number; msg: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const outside = new URL(db.url);
    outside.pathname = '/postgres';
    admin = await connectClient(outside.href);
    const sink = new Writable({
      write(line, _encoding, done) {
        logged.push(JSON.parse(String(line)));
        done();
      },
    });
    server = await startTestServer({
      databaseUrl: db.url,
      role: 'api',
      rateLimit,
      logger: pino({ level: 'warn' }, sink),
    });
  });

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await server?.stop();
    await db?.drop();
  });

  it('counts the quota in memory meanwhile: answers as before, then 429, never 500', async () => {
    await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [db.name]);
    // A path no route serves: answered without the store, so only the quota needs the database.
    for (let i = 0; i < QUOTA; i++) {
      const answer = await fetch(`${server.url}/nowhere`, { headers: bearer(TEST_TENANTS.acme) });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('ratelimit')).toMatch(new RegExp(`^"default";r=${QUOTA - 1 - i};t=\\d+$`));
      await answer.body?.cancel();
    }
    await expectTooMany(await fetch(`${server.url}/nowhere`, { headers: bearer(TEST_TENANTS.acme) }));
    expect(logged.filter((line) => line.msg.startsWith('the shared request quotas do not answer'))).toHaveLength(1);
  });
});
