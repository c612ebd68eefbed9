/**
 * A PostgreSQL outage under two real server processes (`node server/src/main.ts`): A serves the API
 * and runs handlers, B serves the API only and learns of A's changes by LISTEN/NOTIFY alone (its
 * backstop poll runs once a minute). The database is closed to new connections and every session
 * of it ended (`ALTER DATABASE … ALLOW_CONNECTIONS false` and `pg_terminate_backend`, what a
 * failover or a restart does to the processes), for several seconds, then opened again.
 *
 * Proves that every background loop comes back by itself: the runner claims and finishes the work
 * accepted before the outage (queued and running: each operation ends exactly once), the change
 * listener re-subscribes (a long poll on B wakes on A's change, not by a poll), the webhook
 * dispatcher delivers every event the outbox queued, the request quotas are counted in the
 * database again; meanwhile every request is answered 503 problem+json with Retry-After, and no
 * process exits (an unhandled rejection would end it). And that an outage shorter than a lease
 * costs no operation a second run: what ended meanwhile is written once the database is back. See
 * docs/operations.md "When PostgreSQL goes away".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT } from '../../server/src/http/rate-limit.ts';
import { STORE_BACK_MESSAGE, STORE_LOST_MESSAGE } from '../../server/src/operations/store-outage.ts';
import { connectClient } from '../../server/src/store/postgres/database-admin.ts';
import { reservationSize } from '../../server/src/store/postgres/rate-limit-table.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../server/src/testing/webhook-receiver.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { type LogLine, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { type SeenMonitor, tenantClient } from '../support/tenant-calls.ts';

const KEY = 'test-key-acme';
const CAR = { brand: 'Volvo', make: 'EX30', model: 2025, color: 'Moss Yellow' };
const FINAL_STATES = ['succeeded', 'failed', 'cancelled'];
/** How long the database refuses every connection: longer than a lease, so running work is recovered. */
const OUTAGE_MS = 5_000;
/** The lease of the first test: shorter than the outage. */
const SHORT_LEASE_MS = 2_000;

let db: TestDatabase;
/** On the server's `postgres` database: a database cannot close itself to connections. */
let admin: Awaited<ReturnType<typeof connectClient>>;
let dataDir: string;
let hooks: WebhookReceiver;
let a: ServerProcess;
let b: ServerProcess;

function serverEnv(role: 'all' | 'api', leaseMs: number): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    LONGRUN_ROLE: role,
    LONGRUN_API_KEYS: `acme:${KEY}`,
    LONGRUN_DATA_DIR: dataDir,
    // A car takes 2 s; two at a time, so some wait queued while others run.
    LONGRUN_SIMULATION_SCALE: '0.25',
    LONGRUN_CONCURRENCY: '2',
    LONGRUN_LEASE_MS: String(leaseMs),
    // Changes of the other process are learnt by LISTEN/NOTIFY only: the backstop poll waits a minute.
    LONGRUN_CHANGE_POLL_MS: '60000',
    LOG_LEVEL: 'info',
    // The receiver listens on 127.0.0.1, which the SSRF guard refuses otherwise.
    LONGRUN_OUTBOUND_ALLOW: '127.0.0.1',
  };
}

/** A database of its own, a webhook receiver, and the two processes A and B with leases of `leaseMs`. */
async function setUp(leaseMs: number): Promise<void> {
  db = await createTestDatabase();
  const outside = new URL(db.url);
  outside.pathname = '/postgres';
  admin = await connectClient(outside.href);
  dataDir = await mkdtemp(join(tmpdir(), 'longrun-outage-'));
  hooks = await startWebhookReceiver();
  a = await startServerProcess('outage-a', serverEnv('all', leaseMs));
  b = await startServerProcess('outage-b', serverEnv('api', leaseMs));
}

async function tearDown(): Promise<void> {
  await admin?.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => undefined);
  await Promise.all([a?.stop(), b?.stop()]);
  await admin?.end();
  await hooks?.close();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

/** Requests and long polls to one process as tenant `acme`. */
const { call, waitForMonitor } = tenantClient(KEY);

type Monitor = SeenMonitor;

async function acceptCar(server: ServerProcess): Promise<Monitor> {
  const response = await call(server, '/cars', { body: CAR });
  expect(response.status).toBe(202);
  return (await response.json()) as Monitor;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Closes the test database to new connections and ends every session of it. */
async function takeDatabaseAway(): Promise<number> {
  await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
  const { rows } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
    db.name,
  ]);
  return rows.length;
}

async function bringDatabaseBack(): Promise<void> {
  await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
}

/** What the test database holds, read on a connection of its own (the processes' pools are theirs). */
async function query<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
  const client = await connectClient(db.url);
  try {
    return (await client.query(text, values)).rows as Row[];
  } finally {
    await client.end();
  }
}

/**
 * Waits until `server` has logged the ending of each of `ids`: the line is written after the commit
 * another process's monitor already showed, and reaches the test through a pipe.
 */
async function endingsLogged(server: ServerProcess, ids: readonly string[]): Promise<void> {
  for (const id of ids) await server.waitForLog((line) => line.msg === 'operation finished' && line.operationId === id);
}

/** The log lines of `server` after the `from`th, with message `msg`. */
function logsSince(server: ServerProcess, from: number, msg: string): LogLine[] {
  return server.logs.slice(from).filter((line) => line.msg === msg);
}

/** Fails the test at once if a process exits (a crash, an unhandled rejection) while `work` runs. */
async function whileBothAlive<T>(work: () => Promise<T>): Promise<T> {
  const died = Promise.race([a.exited.then(() => a), b.exited.then(() => b)]).then((server) => {
    const tail = server.logs
      .slice(-10)
      .map((line) => JSON.stringify(line))
      .join('\n');
    throw new Error(`${server.name} exited (code ${server.exitCode}) during the outage test:\n${tail}`);
  });
  return Promise.race([work(), died]);
}

describe('a PostgreSQL outage under two server processes', { timeout: 180_000 }, () => {
  // What was running when the database went away has lost its lease by the time it is back.
  beforeAll(() => setUp(SHORT_LEASE_MS));
  afterAll(tearDown);

  it('recovers every background loop by itself: no accepted operation and no push event is lost', async () => {
    await whileBothAlive(async () => {
      const subscribed = await call(a, '/webhook-subscriptions', { body: { url: `${hooks.origin}/hooks` } });
      expect(subscribed.status).toBe(201);
      const subscription = (await subscribed.json()) as { id: string };

      // The database goes away while an endpoint is being sent an event: once the second of the
      // first two cars is announced running, before that delivery is answered (and recorded).
      const runningAnnounced = new Set<string>();
      let outage: Promise<number> | undefined;
      let streamOpen = (): void => undefined;
      const streaming = new Promise<void>((resolve) => {
        streamOpen = resolve;
      });
      hooks.answer(async (request) => {
        const event = JSON.parse(request.body) as { type: string; data: Monitor };
        if (outage === undefined && event.type === 'monitor.running') {
          runningAnnounced.add(event.data.id);
          if (runningAnnounced.size === 2) outage = streaming.then(takeDatabaseAway);
        }
        if (outage !== undefined) await outage;
        return 204;
      });

      const logsAtOutage = { a: a.logs.length, b: b.logs.length };
      // Before: eight cars, two running (concurrency 2) and the rest queued.
      const before = await Promise.all(Array.from({ length: 8 }, (_, i) => acceptCar(i % 2 === 0 ? a : b)));
      const last = before[7] as Monitor;
      // An event stream on B, open across the outage, on a car that is queued all through it.
      const stream = fetch(`${b.url}/monitors/${last.id}/events`, {
        headers: { Authorization: `Bearer ${KEY}`, Accept: 'text/event-stream' },
      }).then(async (response) => {
        expect(response.status).toBe(200);
        let text = '';
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
          // Its first event (queued) is in: the stream is open, the outage may begin.
          if (text.includes('data: ')) streamOpen();
        }
        return text;
      });
      // Should the test fail before it reads the stream, its end is not an unhandled rejection.
      stream.catch(() => undefined);
      await hooks.waitFor(() => outage !== undefined);
      expect(await outage).toBeGreaterThan(0);
      const outageStarted = Date.now();
      const answers: { server: string; what: string; status: number; type: string; retryAfter: string | null }[] = [];
      const monitorId = before[3]?.id as string;
      const asks: [string, (server: ServerProcess) => Promise<Response>][] = [
        ['read a monitor', (server) => call(server, `/monitors/${monitorId}`)],
        [
          'long-poll a monitor',
          (server) => call(server, `/monitors/${monitorId}`, { headers: { 'If-None-Match': '"x"', Prefer: 'wait=2' } }),
        ],
        ['list monitors', (server) => call(server, '/monitors')],
        ['accept a car', (server) => call(server, '/cars', { body: CAR })],
        ['cancel', (server) => call(server, `/monitors/${last.id}/cancel`, { method: 'POST' })],
        ['list subscriptions', (server) => call(server, '/webhook-subscriptions')],
        ['health', (server) => fetch(`${server.url}/healthz`)],
      ];
      do {
        for (const server of [a, b]) {
          for (const [what, ask] of asks) {
            const response = await ask(server);
            const body = await response.text();
            answers.push({
              server: server.name,
              what,
              status: response.status,
              type: `${response.headers.get('content-type')?.split(';')[0]} ${body.includes('/problems/store-unavailable') ? 'store-unavailable' : body.slice(0, 200)}`,
              retryAfter: response.headers.get('retry-after'),
            });
          }
        }
        await sleep(250);
      } while (Date.now() - outageStarted < OUTAGE_MS);
      // Every answer meanwhile: 503 store-unavailable, problem+json, with Retry-After; never a 500.
      const wrong = answers.filter(
        (answer) =>
          answer.status !== 503 ||
          answer.type !== 'application/problem+json store-unavailable' ||
          answer.retryAfter !== '1',
      );
      expect(wrong).toStrictEqual([]);
      expect(a.exitCode).toBeNull();
      expect(b.exitCode).toBeNull();

      await bringDatabaseBack();

      // The change listeners said they lost the database, and say they are back.
      for (const [server, from] of [
        [a, logsAtOutage.a],
        [b, logsAtOutage.b],
      ] as const) {
        expect(
          logsSince(server, from, 'the PostgreSQL change listener lost its connection; reconnecting').length,
        ).toBeGreaterThan(0);
        // By its own backoff (at most 5 s between tries), not by its check of the connection, which
        // comes with the backstop poll: once a minute here.
        const reconnected = server.waitForLog(
          (line) => line.msg === 'the PostgreSQL change listener reconnected' && server.logs.indexOf(line) >= from,
        );
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tooLate = new Promise<'too late'>((resolve) => {
          timer = setTimeout(() => resolve('too late'), 30_000);
        });
        const when = await Promise.race([reconnected.then(() => 'reconnected'), tooLate]);
        clearTimeout(timer);
        expect(when, `${server.name}'s change listener`).toBe('reconnected');
      }

      // New work is accepted again, on both.
      const after = [await acceptCar(a), await acceptCar(b)];
      const ids = [...before, ...after].map((monitor) => monitor.id);

      // Every operation, accepted before or after, ends.
      for (const id of ids) await waitForMonitor(b, id, (monitor) => FINAL_STATES.includes(monitor.state));
      // The stream held across the outage told every change of its car, up to the end.
      const frames = (await stream).split('\n').filter((line) => line.startsWith('data: '));
      expect((JSON.parse(frames.at(-1)?.slice('data: '.length) ?? '{}') as Monitor).state).toBe('succeeded');
      const rows = await query<{ id: string; state: string; attempts: number }>(
        'SELECT id, state, attempts FROM operations WHERE id = ANY ($1::text[]) ORDER BY id',
        [ids],
      );
      expect(rows.map((row) => row.id)).toStrictEqual([...ids].sort());
      // The cancel asked for during the outage was refused: every car succeeded.
      expect(rows.filter((row) => row.state !== 'succeeded')).toStrictEqual([]);
      // Each ended exactly once: one `operation finished` line per operation in the worker's log.
      await endingsLogged(a, ids);
      const finished = a.logs.filter((line) => line.msg === 'operation finished').map((line) => line.operationId);
      for (const id of ids)
        expect(
          finished.filter((each) => each === id),
          id,
        ).toHaveLength(1);

      // B's long poll wakes on A's change at once: the wait is 20 s and B polls only every 60 s,
      // so only the notification (its LISTEN connection re-established) can answer this early.
      const orderAccepted = await call(a, '/widget-orders', {
        body: { items: [{ sku: 'WIDGET-1', quantity: 1 }], manualFulfilment: true },
      });
      expect(orderAccepted.status).toBe(202);
      const order = (await orderAccepted.json()) as Monitor;
      await waitForMonitor(b, order.id, (monitor) => monitor.steps.some((step) => step.state === 'waiting'));
      const waiting = await call(b, `/monitors/${order.id}`);
      const etag = waiting.headers.get('etag') ?? '';
      const orderProduct = ((await waiting.json()) as Monitor).links.product?.href;
      const started = performance.now();
      const longPoll = call(b, `/monitors/${order.id}`, { headers: { 'If-None-Match': etag, Prefer: 'wait=20' } });
      await sleep(100);
      const confirmed = await call(a, `${orderProduct}/fulfilment`, { body: { confirmedBy: 'after-the-outage' } });
      expect(confirmed.status).toBe(202);
      const woke = await longPoll;
      const elapsed = performance.now() - started;
      expect(woke.status).toBe(202);
      expect(woke.headers.get('etag')).not.toBe(etag);
      expect(elapsed).toBeLessThan(10_000);
      await waitForMonitor(b, order.id, (monitor) => monitor.state === 'succeeded');
      ids.push(order.id);

      // Every event the outbox queued, before, during and after the outage, reached the receiver.
      const pendingDeliveries = async () =>
        (
          await query<{ pending: number }>(
            `SELECT count(*)::int AS pending FROM webhook_deliveries WHERE subscription_id = $1 AND state = 'pending'`,
            [subscription.id],
          )
        )[0]?.pending;
      while ((await pendingDeliveries()) !== 0) await sleep(200);
      const messages = await query<{ id: string; operation_id: string; type: string; state: string }>(
        `SELECT m.id, m.operation_id, m.type, d.state FROM webhook_messages m
         JOIN webhook_deliveries d ON d.message_id = m.id WHERE d.subscription_id = $1 ORDER BY d.seq`,
        [subscription.id],
      );
      expect(messages.filter((message) => message.state !== 'succeeded')).toStrictEqual([]);
      const receivedIds = new Set(
        hooks.received.filter((request) => request.path === '/hooks').map((request) => request.headers['webhook-id']),
      );
      expect(messages.map((message) => message.id).filter((id) => !receivedIds.has(id))).toStrictEqual([]);
      // And once: the delivery answered while the database was away was recorded when it came
      // back, not sent again when its lease ran out.
      const sent = hooks.received.filter((request) => request.path === '/hooks');
      expect(sent.length, 'webhooks sent more than once').toBe(receivedIds.size);
      for (const id of ids) {
        const final = messages.filter(
          (message) => message.operation_id === id && FINAL_STATES.includes(message.type.slice('monitor.'.length)),
        );
        expect(final, `final events of ${id}`).toHaveLength(1);
      }

      // The request quotas are counted in the database again: requests move their count there, a
      // block of places at a time (docs/decisions/0014), so within one block's worth of requests.
      const quotas = () => query('SELECT key, points, expire FROM longrun_rate_limits ORDER BY key');
      const quotasBefore = JSON.stringify(await quotas());
      let moved = false;
      for (let i = 0; i < reservationSize(DEFAULT_RATE_LIMIT.limit) && !moved; i++) {
        expect((await call(b, '/monitors?limit=1')).status).toBe(200);
        moved = JSON.stringify(await quotas()) !== quotasBefore;
      }
      expect(moved, 'the quota count moved in the database').toBe(true);

      // Both instances said they counted quotas in memory, and (every request since) in the database again.
      for (const [server, from] of [
        [a, logsAtOutage.a],
        [b, logsAtOutage.b],
      ] as const) {
        expect(
          logsSince(server, from, 'the shared request quotas do not answer: this instance counts them alone meanwhile'),
        ).toHaveLength(1);
        expect(
          logsSince(server, from, 'the shared request quotas answer again: counted in the database again'),
        ).toHaveLength(1);
      }
      // Each background loop said once that it lost the database and once that it reaches it again.
      const outageLines = (server: ServerProcess, from: number, loop: string) => {
        const lines = server.logs.slice(from).filter((line) => line.loop === loop);
        return {
          lost: lines.filter((line) => line.msg === STORE_LOST_MESSAGE).length,
          back: lines.filter((line) => line.msg === STORE_BACK_MESSAGE).length,
        };
      };
      for (const [server, from, loop] of [
        [a, logsAtOutage.a, 'operation runner'],
        [a, logsAtOutage.a, 'lease recovery'],
        [a, logsAtOutage.a, 'webhook dispatcher'],
        [b, logsAtOutage.b, 'webhook dispatcher'],
      ] as const) {
        expect(outageLines(server, from, loop), `${server.name} ${loop}`).toStrictEqual({ lost: 1, back: 1 });
      }
      const deliveryLog = [
        outageLines(a, logsAtOutage.a, 'webhook delivery log'),
        outageLines(b, logsAtOutage.b, 'webhook delivery log'),
      ];
      expect(deliveryLog.reduce((sum, count) => sum + count.lost, 0)).toBeGreaterThan(0);
      for (const count of deliveryLog) expect(count.back).toBe(count.lost);
      // No loop logged an error for each of its tries meanwhile, nor a request for each 503.
      for (const server of [a, b]) {
        expect(
          server.logs
            .filter(
              (line) =>
                (line.level ?? 0) >= 50 &&
                line.msg !== 'writing the end of an operation failed' &&
                line.msg !== 'handing an operation back failed',
            )
            .map((line) => line.msg),
        ).toStrictEqual([]);
      }

      // Nothing crashed meanwhile.
      expect(a.exitCode).toBeNull();
      expect(b.exitCode).toBeNull();
      const recoveredRuns = rows.filter((row) => row.attempts > 1).length;
      console.info(
        `database outage of ${OUTAGE_MS} ms: ${answers.length} requests answered 503 meanwhile; ` +
          `${ids.length} operations ended, ${recoveredRuns} re-run after their lease ran out; ` +
          `${messages.length} webhook events delivered; B's long poll woke ${Math.round(elapsed)} ms after A's change`,
      );
    });
  });
});

describe('a PostgreSQL failover or outage shorter than a lease', { timeout: 180_000 }, () => {
  beforeAll(() => setUp(30_000));
  afterAll(tearDown);

  /**
   * Accepts four cars (two run, two wait), does `away` to the database while the two run, and
   * checks that every car still succeeds, each ended once (a handler whose progress write failed
   * runs again; it does not end `failed`).
   */
  async function everyCarSucceeds(away: () => Promise<void>): Promise<void> {
    await whileBothAlive(async () => {
      const logsBefore = a.logs.length;
      const cars = [await acceptCar(a), await acceptCar(a), await acceptCar(b), await acceptCar(b)];
      await Promise.all(cars.slice(0, 2).map((car) => waitForMonitor(b, car.id, (m) => m.state === 'running')));
      await away();
      const ids = cars.map((car) => car.id);
      for (const id of ids) await waitForMonitor(b, id, (m) => FINAL_STATES.includes(m.state));
      const rows = await query<{ id: string; state: string; error: string | null }>(
        'SELECT id, state, error::text AS error FROM operations WHERE id = ANY ($1::text[]) ORDER BY id',
        [ids],
      );
      expect(rows.filter((row) => row.state !== 'succeeded')).toStrictEqual([]);
      // Each ended once (the ids are new, so no earlier line can match).
      await endingsLogged(a, ids);
      const finished = a.logs
        .slice(logsBefore)
        .filter((line) => line.msg === 'operation finished')
        .map((line) => line.operationId);
      expect([...finished].sort()).toStrictEqual([...ids].sort());
    });
  }

  it('fails no operation when every session is ended and the database accepts again at once (a restart, a failover)', async () => {
    await everyCarSucceeds(async () => {
      const { rows } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        db.name,
      ]);
      expect(rows.length).toBeGreaterThan(0);
    });
  });

  it('fails no operation when the database refuses connections for less than a lease', async () => {
    await everyCarSucceeds(async () => {
      expect(await takeDatabaseAway()).toBeGreaterThan(0);
      await sleep(3_000);
      expect((await call(b, '/monitors')).status).toBe(503);
      await bringDatabaseBack();
    });
  });
});
