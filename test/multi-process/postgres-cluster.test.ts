/**
 * Two API processes and two worker processes on one PostgreSQL database, all real: `node
 * server/src/main.ts` with `LONGRUN_ROLE`, killed with SIGKILL, frozen with SIGSTOP and thawed with
 * SIGCONT. What the tests count comes from the database and from the workers' own logs
 * (`LOG_LEVEL=debug`: `running operation`, `operation finished`, lease losses), never from inside.
 *
 * Simulated work runs at `LONGRUN_SIMULATION_SCALE=0.4` (a car takes 3.2 s), long enough to kill a
 * worker mid-operation; leases last 2 s (`LONGRUN_LEASE_MS`): recovery is quick, yet a lease
 * outlasts the event-loop stalls of a loaded machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@longrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../server/src/store/postgres/database-admin.ts';
import { type ReceivedRequest, startWebhookReceiver } from '../../server/src/testing/webhook-receiver.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { type LogLine, type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { type SeenMonitor, tenantClient } from '../support/tenant-calls.ts';

const KEY = 'test-key-acme';
const CAR = { brand: 'Volvo', make: 'EX30', model: 2025, color: 'Moss Yellow' };
const LEASE_LOST = [
  'lease lost on renewal',
  'lost the lease while running an operation; its outcome was dropped',
  'lost the lease before writing the end of an operation',
];

let db: TestDatabase;
let sql: Awaited<ReturnType<typeof connectClient>>;
let dataDir: string;
let apiA: ServerProcess;
let apiB: ServerProcess;
/** Every worker started, dead or alive: their logs are the record of what ran where. */
const workers: ServerProcess[] = [];
const killed = new Set<ServerProcess>();
const everyProcess: ServerProcess[] = [];

function serverEnv(role: 'api' | 'worker', extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    LONGRUN_ROLE: role,
    LONGRUN_API_KEYS: `acme:${KEY}`,
    LONGRUN_DATA_DIR: dataDir,
    LONGRUN_SIMULATION_SCALE: '0.4',
    LONGRUN_LEASE_MS: '2000',
    LOG_LEVEL: 'debug',
    // Webhook receivers of the tests listen on 127.0.0.1, which the SSRF guard refuses otherwise.
    LONGRUN_OUTBOUND_ALLOW: '127.0.0.1',
    ...extra,
  };
}

async function startWorker(name: string): Promise<ServerProcess> {
  const worker = await startServerProcess(name, serverEnv('worker'));
  workers.push(worker);
  everyProcess.push(worker);
  return worker;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'longrun-cluster-'));
  // All four start at once on the empty database: one migrates it, the others wait and find it done.
  // API processes poll for lost notifications only every minute: what they learn in time, they
  // learned by LISTEN/NOTIFY.
  const api = (name: string) =>
    startServerProcess(name, serverEnv('api', { LONGRUN_CHANGE_POLL_MS: '60000' })).then((started) => {
      everyProcess.push(started);
      return started;
    });
  [apiA, apiB] = await Promise.all([api('api-a'), api('api-b'), startWorker('worker-1'), startWorker('worker-2')]);
  sql = await connectClient(db.url);
});

afterAll(async () => {
  await Promise.all(everyProcess.map((server) => server.stop()));
  await sql?.end();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Monitor = SeenMonitor & Record<string, unknown>;

/** Requests and long polls to one process as tenant `acme`. */
const { call, waitForMonitor } = tenantClient<Monitor>(KEY);

/** Polls the database until `check` returns a value (the test's timeout is the failure). */
async function eventually<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function operationRow(id: string) {
  const { rows } = await sql.query<{ state: string; attempts: number; lease_owner: string | null }>(
    'SELECT state, attempts, lease_owner FROM operations WHERE id = $1',
    [id],
  );
  return rows[0];
}

/** Resources an operation published, by collection. */
async function productsOf(id: string): Promise<{ collection: string; id: string }[]> {
  const { rows } = await sql.query<{ collection: string; id: string }>(
    'SELECT collection, id FROM resources WHERE operation_id = $1 ORDER BY collection, id',
    [id],
  );
  return rows;
}

/** Log lines of every worker (dead or alive) with message `msg` about operation `id`, oldest first. */
function workerLogs(msg: string, id: string): (LogLine & { worker: string })[] {
  return workers
    .flatMap((worker) =>
      worker.logs
        .filter((line) => line.msg === msg && line.operationId === id)
        .map((line) => ({ ...line, worker: worker.name })),
    )
    .sort((a, b) => Number(a.time) - Number(b.time));
}

/**
 * The `operation finished` lines of operation `id`, once there is one: a worker logs it after its
 * write commits, so a reader of the database can see the end a moment before the line.
 */
async function finishedLines(id: string): Promise<(LogLine & { worker: string })[]> {
  const finished = (line: LogLine) => line.msg === 'operation finished' && line.operationId === id;
  await Promise.any(workers.map((worker) => worker.waitForLog(finished)));
  return workerLogs('operation finished', id);
}

async function acceptCar(server: ServerProcess): Promise<string> {
  const response = await call(server, '/cars', { body: CAR });
  expect(response.status).toBe(202);
  return ((await response.json()) as Monitor).id;
}

describe('two API processes and two workers on one PostgreSQL database', () => {
  it('serves the API from both API processes, each checking PostgreSQL answers', async () => {
    for (const api of [apiA, apiB]) {
      const health = await call(api, '/healthz');
      expect(await health.json()).toMatchObject({ status: 'ok', store: 'postgres' });
    }
    expect(apiA.workerId).toBeUndefined();
    expect(workers.every((worker) => worker.url === undefined && worker.workerId?.startsWith('wrk_'))).toBe(true);
  });

  it('creates one operation for concurrent identical requests spread over both API processes', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 === 0 ? apiA : apiB, '/cars', { body: CAR, headers: { 'Idempotency-Key': 'burst-1' } }).then(
          async (response) => ({ from: i % 2 === 0 ? 'a' : 'b', response, body: (await response.json()) as Monitor }),
        ),
      ),
    );
    const accepted = answers.filter((answer) => answer.response.status === 202);
    const refused = answers.filter((answer) => answer.response.status !== 202);
    // A retry on the process still accepting the first gets 409 (in flight); on the other process
    // it waits for the first to commit and replays it.
    expect(refused.map((answer) => [answer.response.status, answer.body.type])).toStrictEqual(
      refused.map(() => [409, 'https://longrun.dev/problems/idempotency-key-in-flight']),
    );
    expect(new Set(accepted.map((answer) => answer.body.id)).size).toBe(1);
    expect(new Set(accepted.map((answer) => answer.from))).toStrictEqual(new Set(['a', 'b']));
    expect(accepted.filter((answer) => answer.response.headers.get('idempotent-replayed') !== 'true')).toHaveLength(1);
    const { rows } = await sql.query<{ id: string }>("SELECT id FROM operations WHERE kind = 'car.create'");
    expect(rows.map((row) => row.id)).toStrictEqual([accepted[0]?.body.id]);
  });

  it('lets one of concurrent one-at-a-time requests spread over both API processes through', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 === 0 ? apiA : apiB, '/reindex', { body: { scope: 'all' } }).then(async (response) => ({
          response,
          body: (await response.json()) as Monitor,
        })),
      ),
    );
    const accepted = answers.filter((answer) => answer.response.status === 202);
    expect(accepted).toHaveLength(1);
    const id = accepted[0]?.body.id as string;
    const locked = answers.filter((answer) => answer.response.status === 409);
    expect(locked).toHaveLength(19);
    for (const answer of locked) expect(answer.response.headers.get('link')).toContain(`/monitors/${id}`);
    // Once it has ended, the next one is accepted, through either process.
    await waitForMonitor(apiA, id, (monitor) => monitor.state === 'succeeded');
    const next = await call(apiB, '/reindex', { body: { scope: 'cars' } });
    expect(next.status).toBe(202);
  });

  it('cancels, through one API process, a handler running on a worker, and the other API process sees it', async () => {
    // A manual fulfilment waits for a person: it runs until cancelled, however slow the machine.
    const created = await call(apiA, '/widget-orders', {
      body: { items: [{ sku: 'WIDGET-2', quantity: 2 }], manualFulfilment: true },
    });
    const id = ((await created.json()) as Monitor).id;
    await waitForMonitor(apiA, id, (monitor) => monitor.steps.some((step) => step.state === 'waiting'));
    expect((await call(apiB, `/monitors/${id}/cancel`, { method: 'POST' })).status).toBe(202);
    const ended = await waitForMonitor(apiA, id, (monitor) => monitor.state !== 'running');
    expect(ended.state).toBe('cancelled');
    // The handler on the worker was told and ended it (not crash recovery, not a queued cancel).
    const finished = await finishedLines(id);
    expect(finished.map((line) => [line.state, line.attempt])).toStrictEqual([['cancelled', 1]]);
    expect((await productsOf(id)).some((resource) => resource.collection === 'invoices')).toBe(false);
  });

  it('wakes a long poll on one API process at once when the change is made through the other', async () => {
    const created = await call(apiA, '/widget-orders', {
      body: { items: [{ sku: 'WIDGET-1', quantity: 1 }], manualFulfilment: true },
    });
    expect(created.status).toBe(202);
    const monitorId = ((await created.json()) as Monitor).id;
    const [order] = (await productsOf(monitorId)).filter((resource) => resource.collection === 'widget-orders');
    const orderId = order?.id as string;
    await waitForMonitor(apiA, monitorId, (monitor) => monitor.steps.some((step) => step.state === 'waiting'));
    const waiting = await call(apiA, `/monitors/${monitorId}`);
    const etag = waiting.headers.get('etag') ?? '';

    // Nothing else changes this monitor while it waits, the wait is 20 s, and API processes poll
    // for lost notifications only every 60 s: only the notification can answer this early.
    const started = performance.now();
    const longPoll = call(apiA, `/monitors/${monitorId}`, { headers: { 'If-None-Match': etag, Prefer: 'wait=20' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const confirmed = await call(apiB, `/widget-orders/${orderId}/fulfilment`, {
      body: { confirmedBy: 'warehouse-7' },
    });
    expect(confirmed.status).toBe(202);
    const answer = await longPoll;
    const elapsed = performance.now() - started;
    // Changed (the action is recorded), still running: 202 with a new ETag rather than 304.
    expect(answer.status).toBe(202);
    expect(answer.headers.get('etag')).not.toBe(etag);
    expect(elapsed).toBeLessThan(10_000);

    const done = await waitForMonitor(apiA, monitorId, (monitor) => monitor.state === 'succeeded');
    expect(done.state).toBe('succeeded');
  });

  it('accepts exactly one of concurrent confirmations of one step spread over both API processes', async () => {
    const created = await call(apiA, '/widget-orders', {
      body: { items: [{ sku: 'WIDGET-3', quantity: 1 }], manualFulfilment: true },
    });
    const monitorId = ((await created.json()) as Monitor).id;
    const [order] = (await productsOf(monitorId)).filter((resource) => resource.collection === 'widget-orders');
    await waitForMonitor(apiA, monitorId, (monitor) => monitor.steps.some((step) => step.state === 'waiting'));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i % 2 === 0 ? apiA : apiB, `/widget-orders/${order?.id}/fulfilment`, {
          body: { confirmedBy: `clerk-${i}` },
        }).then(async (response) => ({ status: response.status, body: (await response.json()) as { type?: string } })),
      ),
    );
    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.type)).toStrictEqual(
      Array.from({ length: 9 }, () => 'https://longrun.dev/problems/not-waiting'),
    );
    const { rows } = await sql.query<{ actions: Record<string, unknown> }>(
      'SELECT actions FROM operations WHERE id = $1',
      [monitorId],
    );
    expect(Object.values(rows[0]?.actions ?? {})).toHaveLength(1);
    expect((await waitForMonitor(apiB, monitorId, (monitor) => monitor.state !== 'running')).state).toBe('succeeded');
  });

  it('delivers webhooks from every process, every event of each monitor once and in order, signed', async () => {
    const hooks = await startWebhookReceiver();
    try {
      const subscribed = await call(apiA, '/webhook-subscriptions', { body: { url: `${hooks.origin}/hooks` } });
      expect(subscribed.status).toBe(201);
      const subscription = (await subscribed.json()) as { secret: string; links: { deliveries: { href: string } } };
      const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => acceptCar(i % 2 === 0 ? apiA : apiB)));
      for (const id of ids) await waitForMonitor(apiB, id, (monitor) => monitor.state === 'succeeded');
      const eventOf = (request: ReceivedRequest) =>
        verifyWebhook(request.body, request.headers as Record<string, string>, subscription.secret);
      // A monitor's last event comes after all its others: once each has arrived, all have.
      await hooks.waitFor(
        (all) => all.filter((request) => eventOf(request).type === 'monitor.succeeded').length === ids.length,
      );
      const events = hooks.received.map((request) => ({
        id: String(request.headers['webhook-id']),
        event: eventOf(request),
      }));
      expect(new Set(events.map((entry) => entry.id)).size).toBe(events.length);
      for (const id of ids) {
        const mine = events.filter((entry) => entry.event.data.id === id);
        const versions = mine.map((entry) => Number(entry.id.split('_').at(-1)));
        expect(versions).toStrictEqual([...versions].sort((x, y) => x - y));
        // Every state it entered, none skipped: accepted by an API process, run by a worker.
        const types: string[] = mine.map((entry) => entry.event.type);
        expect(types).toStrictEqual(['monitor.queued', 'monitor.running', 'monitor.succeeded']);
      }
      // The log, read through the other API process, holds exactly what arrived, each sent once.
      for (;;) {
        const log = (await (await call(apiB, `${subscription.links.deliveries.href}?limit=100`)).json()) as {
          items: { messageId: string; state: string; attempts: number }[];
        };
        // A process records an outcome just after the receiver answered.
        if (log.items.some((delivery) => delivery.state === 'pending')) {
          await new Promise((resolve) => setTimeout(resolve, 25));
          continue;
        }
        expect(log.items.map((delivery) => [delivery.state, delivery.attempts])).toStrictEqual(
          log.items.map(() => ['succeeded', 1]),
        );
        expect(new Set(log.items.map((delivery) => delivery.messageId))).toStrictEqual(
          new Set(events.map((entry) => entry.id)),
        );
        break;
      }
    } finally {
      await hooks.close();
    }
  });

  it('completes exactly once, with its attempt count raised, what a worker killed with SIGKILL was running', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => acceptCar(i % 2 === 0 ? apiA : apiB)));
    // Wait until every car is being built, then kill the worker that holds the most.
    const owners = await eventually(async () => {
      // One after another: the test's one database connection runs one query at a time.
      const rows = [];
      for (const id of ids) rows.push(await operationRow(id));
      return rows.every((row) => row?.state === 'running') ? rows.map((row) => row?.lease_owner) : undefined;
    });
    const victim = workers
      .filter((worker) => !killed.has(worker))
      .sort((a, b) => owners.filter((o) => o === b.workerId).length - owners.filter((o) => o === a.workerId).length)[0];
    if (victim === undefined) throw new Error('no worker to kill');
    const victimsOperations = ids.filter((_, i) => owners[i] === victim.workerId);
    expect(victimsOperations.length).toBeGreaterThan(0);
    // Claimed in the database is not yet running in the process: wait for its handlers to start.
    for (const id of victimsOperations) {
      await victim.waitForLog((line) => line.msg === 'running operation' && line.operationId === id);
    }
    victim.signal('SIGKILL');
    await victim.exited;
    killed.add(victim);
    const survivors = workers.filter((worker) => !killed.has(worker));
    // Back to two workers for what follows (started now, so a failure below does not leave one).
    survivors.push(await startWorker('worker-3'));

    for (const id of ids) await waitForMonitor(apiB, id, (monitor) => monitor.state === 'succeeded');
    for (const id of ids) {
      const row = await operationRow(id);
      expect(row?.state).toBe('succeeded');
      expect(row?.attempts).toBe(victimsOperations.includes(id) ? 2 : 1);
      // One car per operation: attempt 1 died before publishing anything.
      const products = await productsOf(id);
      expect(products.map((p) => p.collection)).toStrictEqual(['cars']);
      // Finished once, by a live worker; the killed one started it but never finished it.
      const finished = await finishedLines(id);
      expect(finished).toHaveLength(1);
      expect(survivors.map((worker) => worker.name)).toContain(finished[0]?.worker);
      const car = await call(apiA, `/cars/${products[0]?.id}`);
      expect(car.status).toBe(200);
    }
    for (const id of victimsOperations) {
      expect(workerLogs('running operation', id).map((line) => [line.worker, line.attempt])).toStrictEqual([
        [victim.name, 1],
        [finishedBy(id), 2],
      ]);
    }
  });

  it('refuses the late writes of a worker frozen with SIGSTOP past its lease and thawed with SIGCONT', async () => {
    const id = await acceptCar(apiA);
    const owner = await eventually(async () => {
      const row = await operationRow(id);
      return row?.state === 'running' ? row.lease_owner : undefined;
    });
    const frozen = workers.find((worker) => worker.workerId === owner && !killed.has(worker));
    if (frozen === undefined) throw new Error(`no live worker ${owner}`);
    await waitForMonitor(apiA, id, (monitor) => (monitor.progress as { percent: number }).percent > 0);
    frozen.signal('SIGSTOP');
    // Its lease runs out; the other worker recovers the operation and runs it again.
    const taker = await eventually(async () => {
      const row = await operationRow(id);
      return row?.attempts === 2 && row.state === 'running' ? row.lease_owner : undefined;
    });
    expect(taker).not.toBe(owner);
    frozen.signal('SIGCONT');
    // Thawed while attempt 2 runs: its renewal and writes carry attempt 1 and are refused.
    const lost = await frozen.waitForLog((line) => line.operationId === id && LEASE_LOST.includes(line.msg ?? ''));
    expect(lost.msg).toBeDefined();
    const done = await waitForMonitor(apiA, id, (monitor) => monitor.state === 'succeeded');
    expect(done.state).toBe('succeeded');
    expect((await operationRow(id))?.attempts).toBe(2);
    expect((await productsOf(id)).map((p) => p.collection)).toStrictEqual(['cars']);
    const finished = await finishedLines(id);
    const takerName = workers.find((worker) => worker.workerId === taker)?.name;
    expect(finished.map((line) => [line.worker, line.attempt])).toStrictEqual([[takerName, 2]]);
    expect(frozen.logs.some((line) => line.msg === 'operation finished' && line.operationId === id)).toBe(false);
  });

  it('ended every accepted operation exactly once', async () => {
    const { rows } = await sql.query<{ id: string; kind: string; state: string; attempts: number }>(
      'SELECT id, kind, state, attempts FROM operations ORDER BY id',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const ended = await waitForMonitor(apiA, row.id, (monitor) =>
        ['succeeded', 'failed', 'cancelled'].includes(monitor.state),
      );
      expect(['succeeded', 'cancelled']).toContain(ended.state);
      expect(await finishedLines(row.id)).toHaveLength(1);
      if (row.kind === 'car.create') {
        expect((await productsOf(row.id)).map((resource) => resource.collection)).toStrictEqual(['cars']);
      }
    }
  });
});

/** The worker that finished operation `id` (after {@link finishedLines} saw it). */
function finishedBy(id: string): string | undefined {
  return workerLogs('operation finished', id)[0]?.worker;
}
