/**
 * Webhooks and callbacks from server processes on one PostgreSQL database, all real: `node
 * server/src/main.ts`, two serving the API and two running handlers (`LONGRUN_ROLE`), every one
 * delivering pushes, and a third API process killed with SIGKILL right after its accepts. An
 * operation is accepted by one process and run by another, so each of its changes is made by a
 * process that did not make the one before. A real receiver on 127.0.0.1 gets
 * the webhooks of one subscription and each car's callbacks.
 *
 * Strict: every operation's endpoint gets every event type transition the operation went through
 * (derived from its row: no recovery, so the path is known), each exactly once, in version order.
 * The database tells what happened; the receiver tells what was pushed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@longrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../../server/src/store/postgres/database-admin.ts';
import {
  type ReceivedRequest,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../server/src/testing/webhook-receiver.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { type SeenMonitor, tenantClient } from '../support/tenant-calls.ts';

const KEY = 'test-key-acme';
const CAR = { brand: 'Volvo', make: 'EX30', model: 2025, color: 'Moss Yellow' };
const FINAL_STATES = ['succeeded', 'failed', 'cancelled'];

let db: TestDatabase;
let sql: Awaited<ReturnType<typeof connectClient>>;
let dataDir: string;
let hooks: WebhookReceiver;
let apiA: ServerProcess;
let apiB: ServerProcess;
let subscriptionSecret: string;
const everyProcess: ServerProcess[] = [];

function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    LONGRUN_ROLE: 'api',
    LONGRUN_API_KEYS: `acme:${KEY}`,
    LONGRUN_DATA_DIR: dataDir,
    // A car takes 400 ms: many operations, each through queued, running and its end.
    LONGRUN_SIMULATION_SCALE: '0.05',
    // Long enough that no lease runs out on a loaded machine: each operation's path is known.
    LONGRUN_LEASE_MS: '30000',
    // What a killed process had claimed to deliver comes back after this (a minute by default).
    LONGRUN_DELIVERY_LEASE_MS: '15000',
    LOG_LEVEL: 'info',
    // The receiver listens on 127.0.0.1, which the SSRF guard refuses otherwise.
    LONGRUN_OUTBOUND_ALLOW: '127.0.0.1',
    ...extra,
  };
}

async function start(name: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const started = await startServerProcess(name, serverEnv(env));
  everyProcess.push(started);
  return started;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'longrun-outbox-'));
  hooks = await startWebhookReceiver();
  [apiA, apiB] = await Promise.all([
    start('api-a'),
    start('api-b'),
    start('worker-1', { LONGRUN_ROLE: 'worker' }),
    start('worker-2', { LONGRUN_ROLE: 'worker' }),
  ]);
  sql = await connectClient(db.url);
  const subscribed = await call(apiA, '/webhook-subscriptions', { body: { url: `${hooks.origin}/hooks` } });
  expect(subscribed.status).toBe(201);
  subscriptionSecret = ((await subscribed.json()) as { secret: string }).secret;
});

afterAll(async () => {
  await Promise.all(everyProcess.map((server) => server.stop()));
  await sql?.end();
  await hooks?.close();
  await db?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Monitor = SeenMonitor;

/** Requests and long polls to one process as tenant `acme`. */
const { call, waitForMonitor } = tenantClient(KEY);

/** Accepts a car; with `callback`, asks for callbacks at `/callbacks/<callback>` of the receiver. */
async function acceptCar(server: ServerProcess, callback?: string): Promise<Monitor> {
  const response = await call(server, '/cars', {
    body: CAR,
    headers: callback === undefined ? {} : { 'Callback-Url': `${hooks.origin}/callbacks/${callback}` },
  });
  expect(response.status).toBe(202);
  return (await response.json()) as Monitor;
}

/** What an endpoint got about one monitor: the event type of each request, in arrival order. */
interface Pushed {
  type: string;
  messageId: string;
  version: number;
}

const webhookEvent = (request: ReceivedRequest) =>
  verifyWebhook(request.body, request.headers as Record<string, string>, subscriptionSecret);

/** The webhooks received about monitor `id`, in arrival order. */
function webhooksOf(id: string): Pushed[] {
  return hooks.received
    .filter((request) => request.path === '/hooks')
    .map((request) => ({ request, event: webhookEvent(request) }))
    .filter(({ event }) => event.data.id === id)
    .map(({ request, event }) => pushed(request, event.type));
}

/** The callbacks received at `path`, in arrival order (the monitor's state is the type). */
function callbacksAt(path: string): Pushed[] {
  return hooks.received
    .filter((request) => request.path === path)
    .map((request) => {
      const monitor = JSON.parse(request.body) as Monitor;
      const waiting = monitor.state === 'running' && monitor.steps.some((step) => step.state === 'waiting');
      return pushed(request, waiting ? 'monitor.waiting' : `monitor.${monitor.state}`);
    });
}

function pushed(request: ReceivedRequest, type: string): Pushed {
  const messageId = String(request.headers['webhook-id']);
  return { type, messageId, version: Number(messageId.split('_').at(-1)) };
}

interface OperationRow {
  id: string;
  kind: string;
  state: string;
  attempts: number;
  started: boolean;
}

async function operationRows(ids: readonly string[]): Promise<OperationRow[]> {
  const { rows } = await sql.query<OperationRow>(
    `SELECT id, kind, state, attempts, started_at IS NOT NULL AS started FROM operations
     WHERE id = ANY ($1::text[]) ORDER BY id`,
    [ids],
  );
  return rows;
}

/**
 * Every event type an operation went through, from its row: accepted (queued), claimed once
 * (running) if it started, a manual fulfilment's wait and its confirmation, and its end. Only for
 * operations claimed at most once: a recovery would add a queued and a running of its own.
 */
function transitions(row: OperationRow): string[] {
  expect(row.attempts, `${row.id} was recovered: its path is not known`).toBeLessThanOrEqual(1);
  const types = ['monitor.queued'];
  if (row.started) types.push('monitor.running');
  if (row.kind === 'widget-order.fulfil' && row.state === 'succeeded') types.push('monitor.waiting', 'monitor.running');
  types.push(`monitor.${row.state}`);
  return types;
}

/** Waits until every endpoint got the final event of each of `ids` (nothing comes after it, in order). */
async function allFinalEventsArrived(ids: readonly string[], callbacks: ReadonlyMap<string, string>): Promise<void> {
  const final = (types: Pushed[]) => types.some((entry) => FINAL_STATES.includes(entry.type.slice('monitor.'.length)));
  await hooks.waitFor(() =>
    ids.every((id) => {
      const path = callbacks.get(id);
      return final(webhooksOf(id)) && (path === undefined || final(callbacksAt(path)));
    }),
  );
}

/** The strict check: each endpoint got exactly every transition of each operation, once, in order. */
async function expectEveryTransitionOnce(ids: readonly string[], callbacks: ReadonlyMap<string, string>) {
  await allFinalEventsArrived(ids, callbacks);
  const rows = await operationRows(ids);
  expect(rows.map((row) => row.id)).toStrictEqual([...ids].sort());
  const missing: string[] = [];
  for (const row of rows) {
    const expected = transitions(row);
    const endpoints: [string, Pushed[]][] = [['webhook', webhooksOf(row.id)]];
    const path = callbacks.get(row.id);
    if (path !== undefined) endpoints.push(['callback', callbacksAt(path)]);
    for (const [endpoint, got] of endpoints) {
      // Each message once: a receiver never gets a webhook-id twice.
      expect(new Set(got.map((entry) => entry.messageId)).size, `${endpoint} ${row.id}`).toBe(got.length);
      // In version order.
      const versions = got.map((entry) => entry.version);
      expect(versions, `${endpoint} ${row.id}`).toStrictEqual([...versions].sort((x, y) => x - y));
      const types = got.map((entry) => entry.type);
      if (JSON.stringify(types) !== JSON.stringify(expected)) {
        missing.push(`${endpoint} of ${row.kind} ${row.id}: got ${types.join(' → ')}, went ${expected.join(' → ')}`);
      }
    }
  }
  // Every transition of every operation reached every endpoint: none skipped, none lost.
  expect(missing).toStrictEqual([]);
}

describe('push outbox on PostgreSQL: two API processes and two workers, all delivering', { timeout: 180_000 }, () => {
  it('pushes every event type transition of every operation to each endpoint exactly once, in order', async () => {
    const callbacks = new Map<string, string>();
    const accepted: Monitor[] = [];
    // Cars through both processes, each with a callback URL of its own.
    const cars = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const monitor = await acceptCar(i % 2 === 0 ? apiA : apiB, `car-${i}`);
        callbacks.set(monitor.id, `/callbacks/car-${i}`);
        return monitor;
      }),
    );
    accepted.push(...cars);
    // Cancelled through the other process, queued or running by then.
    const cancelled = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const monitor = await acceptCar(i % 2 === 0 ? apiA : apiB, `cancelled-${i}`);
        callbacks.set(monitor.id, `/callbacks/cancelled-${i}`);
        const cancel = await call(i % 2 === 0 ? apiB : apiA, `/monitors/${monitor.id}/cancel`, { method: 'POST' });
        // 200 when it was still queued (cancelled at once), 202 when running (cancel requested).
        // 409 when it had already ended: the transitions expected come from its stored row either way.
        expect([200, 202, 409]).toContain(cancel.status);
        return monitor;
      }),
    );
    accepted.push(...cancelled);
    // Manual fulfilments: they wait, are confirmed through the other process, and go on.
    const orders = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const [here, there] = i % 2 === 0 ? [apiA, apiB] : [apiB, apiA];
        const response = await call(here, '/widget-orders', {
          body: { items: [{ sku: 'WIDGET-1', quantity: 1 }], manualFulfilment: true },
        });
        expect(response.status).toBe(202);
        const order = (await response.json()) as Monitor;
        await waitForMonitor(there, order.id, (monitor) => monitor.steps.some((step) => step.state === 'waiting'));
        const confirmed = await call(there, `${order.links.product?.href}/fulfilment`, {
          body: { confirmedBy: `clerk-${i}` },
        });
        expect(confirmed.status).toBe(202);
        return order;
      }),
    );
    accepted.push(...orders);
    const ids = accepted.map((monitor) => monitor.id);
    for (const id of ids) {
      await waitForMonitor(apiB, id, (monitor) => FINAL_STATES.includes(monitor.state));
    }
    await expectEveryTransitionOnce(ids, callbacks);
  });

  it('loses no event of the operations an API process accepted just before it was killed with SIGKILL', async () => {
    // API only, and not allowed to reach the receiver: whatever it claims to deliver is refused
    // and retried by the others, so the receiver hears only what the two others send (a process
    // killed in the middle of a POST would have it sent again, under the same webhook-id). For the
    // same reason its requests ask for no callback: it would refuse the receiver's URL.
    const doomed = await start('api-c', { LONGRUN_OUTBOUND_ALLOW: '' });
    const callbacks = new Map<string, string>();
    const accepted = await Promise.all(Array.from({ length: 30 }, () => acceptCar(doomed)));
    // Right after its last 202: whatever it had not done after its commits, it never does. What its
    // dispatcher had just claimed comes back when the delivery lease runs out (15 s here: serverEnv).
    doomed.signal('SIGKILL');
    await doomed.exited;
    // Restarted, as an orchestrator would (now delivering too).
    await start('api-c-again');
    const ids = accepted.map((monitor) => monitor.id);
    for (const id of ids) {
      await waitForMonitor(apiA, id, (monitor) => FINAL_STATES.includes(monitor.state));
    }
    await expectEveryTransitionOnce(ids, callbacks);
  });
});
