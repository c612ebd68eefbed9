/**
 * Webhooks and callbacks on PostgreSQL with two server instances sharing the database, as two
 * processes would: each runs handlers and a dispatcher, and both dispatchers claim from the one
 * delivery queue. A real receiver on 127.0.0.1 (allowed by the operator allowlist) answers some
 * attempts 503, so deliveries are retried by whichever dispatcher claims them next; signatures are
 * checked with the reference Standard Webhooks library.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.ts';
import type { ServerOptions } from '../create-server.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
const CARS = 8;
/** Short backoff, many attempts: a 503 is retried at once by whichever dispatcher claims it. */
const FAST_PUSH: ServerOptions['push'] = {
  outboundAllow: '127.0.0.1',
  retry: { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 1000 },
  pollIntervalMs: 50,
};
const FINAL_STATES = ['succeeded', 'failed', 'cancelled'];

interface Monitor {
  id: string;
  state: string;
  version?: number;
  steps: { name: string; state: string }[];
  links: { product?: { href: string } };
}
interface MonitorEvent {
  type: string;
  timestamp: string;
  data: Monitor;
}
interface Delivery {
  messageId: string;
  eventType: string;
  monitorId: string;
  monitorVersion: number;
  state: string;
  attempts: number;
}

let db: TestDatabase;
let hooks: WebhookReceiver;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  hooks = await startWebhookReceiver();
  // Every third request fails: retries, sent by either instance, must keep each monitor's order.
  let requests = 0;
  hooks.answer(() => (++requests % 3 === 0 ? 503 : 204));
  const options: ServerOptions = { databaseUrl: db.url, simulationScale: 0.002, push: FAST_PUSH, changePollMs: 100 };
  // One after the other: the first migrates the database.
  a = await startTestServer(options);
  b = await startTestServer(options);
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await hooks?.close();
  await db?.drop();
});

async function json<T>(response: Response, status: number): Promise<T> {
  expect(response.status).toBe(status);
  return (await response.json()) as T;
}

async function finished(t: TestServer, id: string): Promise<Monitor> {
  for (;;) {
    const response = await fetch(`${t.url}/monitors/${id}`, { headers: t.headers('acme', { Prefer: 'wait=5' }) });
    const monitor = (await response.json()) as Monitor;
    if (FINAL_STATES.includes(monitor.state)) return monitor;
  }
}

/** Long-polls until the monitor satisfies `predicate`. */
async function until(t: TestServer, id: string, predicate: (monitor: Monitor) => boolean): Promise<Monitor> {
  let response = await fetch(`${t.url}/monitors/${id}`, { headers: t.headers() });
  for (;;) {
    const monitor = (await response.json()) as Monitor;
    if (predicate(monitor)) return monitor;
    const etag = response.headers.get('etag') ?? '';
    do {
      response = await fetch(`${t.url}/monitors/${id}`, {
        headers: t.headers('acme', { 'If-None-Match': etag, Prefer: 'wait=5' }),
      });
    } while (response.status === 304);
  }
}

/** Polls a delivery log until `predicate` holds for it. */
async function logUntil(
  t: TestServer,
  href: string,
  predicate: (items: Delivery[]) => boolean,
): Promise<{ items: Delivery[] }> {
  for (;;) {
    const log = await json<{ items: Delivery[] }>(
      await fetch(`${t.url}${href}?limit=100`, { headers: t.headers() }),
      200,
    );
    if (predicate(log.items)) return log;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `items` grouped by `key`, in order of first appearance. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const version = (request: ReceivedRequest) => Number(String(request.headers['webhook-id']).split('_').at(-1));
const ok = (request: ReceivedRequest) => request.status >= 200 && request.status < 300;
const isIncreasing = (values: readonly number[]) => values.every((value, i) => i === 0 || value > (values[i - 1] ?? 0));
const isNonDecreasing = (values: readonly number[]) =>
  values.every((value, i) => i === 0 || value >= (values[i - 1] ?? 0));

describe('push on PostgreSQL with two instances sharing the database', { timeout: 60_000 }, () => {
  it('delivers every event of every monitor exactly once, in order per monitor, signed, whichever instance sends it', async () => {
    const subscription = await json<{ id: string; secret: string; links: { deliveries: { href: string } } }>(
      await fetch(`${a.url}/webhook-subscriptions`, {
        method: 'POST',
        headers: a.headers(),
        body: JSON.stringify({ url: `${hooks.origin}/hooks` }),
      }),
      201,
    );
    // Cars accepted through both instances, each asking for callbacks too.
    const cars = await Promise.all(
      Array.from({ length: CARS }, async (_, i) => {
        const t = i % 2 === 0 ? a : b;
        const response = await fetch(`${t.url}/cars`, {
          method: 'POST',
          headers: t.headers('acme', { 'Callback-Url': `${hooks.origin}/callbacks/${i}` }),
          body: JSON.stringify(CAR),
        });
        return json<Monitor>(response, 202);
      }),
    );
    // A manual fulfilment accepted through one instance and confirmed through the other.
    const order = await json<Monitor>(
      await fetch(`${a.url}/widget-orders`, {
        method: 'POST',
        headers: a.headers(),
        body: JSON.stringify({ items: [{ sku: 'WID-BLUE-01', quantity: 1 }], manualFulfilment: true }),
      }),
      202,
    );
    await until(b, order.id, (monitor) => monitor.steps.some((step) => step.state === 'waiting'));
    const confirmed = await fetch(`${b.url}${order.links.product?.href}/fulfilment`, {
      method: 'POST',
      headers: b.headers(),
      body: JSON.stringify({ confirmedBy: 'warehouse-7' }),
    });
    expect(confirmed.status).toBe(202);
    const monitors = [...cars, order];
    for (const monitor of monitors)
      expect((await finished(monitor === order ? a : b, monitor.id)).state).toBe('succeeded');

    // Nothing comes after a monitor's final event, and each endpoint gets a monitor's events in
    // order: once every final event got through, every event queued before it did too.
    const callbackSecret = (
      await json<{ secret: string }>(await fetch(`${b.url}/callback-secret`, { headers: b.headers() }), 200)
    ).secret;
    const webhookOf = (request: ReceivedRequest) =>
      new Webhook(subscription.secret).verify(request.body, request.headers as Record<string, string>) as MonitorEvent;
    const callbackOf = (request: ReceivedRequest) =>
      new Webhook(callbackSecret).verify(request.body, request.headers as Record<string, string>) as Monitor;
    await hooks.waitFor((all) => {
      const done = all.filter(ok);
      const webhookEnds = done.filter((r) => r.path === '/hooks' && webhookOf(r).type === 'monitor.succeeded');
      const callbackEnds = done.filter((r) => r.path !== '/hooks' && callbackOf(r).state === 'succeeded');
      return webhookEnds.length === monitors.length && callbackEnds.length === CARS;
    });

    const received = [...hooks.received];
    // Every request is signed with the secret of its target.
    const webhooks = received.filter((request) => request.path === '/hooks');
    const callbacks = received.filter((request) => request.path.startsWith('/callbacks/'));
    expect(webhooks.length + callbacks.length).toBe(received.length);
    const events = webhooks.map((request) => ({ request, event: webhookOf(request) }));
    const calls = callbacks.map((request) => ({ request, monitor: callbackOf(request) }));

    // Exactly once: each message got one 2xx at its target, and no attempt after it.
    for (const [target, requests] of [
      ['webhooks', webhooks],
      ['callbacks', callbacks],
    ] as const) {
      const byId = groupBy(requests, (request) => String(request.headers['webhook-id']));
      for (const [id, attempts] of byId) {
        expect(attempts.filter(ok), `${target} ${id}`).toHaveLength(1);
        expect(ok(attempts.at(-1) as ReceivedRequest), `${target} ${id}`).toBe(true);
      }
    }
    // In order per monitor (and per callback URL): attempts never go back, deliveries only forward.
    for (const group of [
      groupBy(events, ({ event }) => event.data.id),
      groupBy(calls, ({ request }) => request.path),
    ]) {
      for (const entries of group.values()) {
        const requests = entries.map((entry) => entry.request);
        expect(isNonDecreasing(requests.map(version))).toBe(true);
        expect(isIncreasing(requests.filter(ok).map(version))).toBe(true);
      }
    }
    // Each car's events: every state it entered, none skipped, whichever instance made the change;
    // its callbacks likewise.
    for (const car of cars) {
      const types = events
        .filter(({ request, event }) => ok(request) && event.data.id === car.id)
        .map(({ event }) => event.type);
      expect(types).toStrictEqual(['monitor.queued', 'monitor.running', 'monitor.succeeded']);
      const states = calls
        .filter(({ request, monitor }) => ok(request) && monitor.id === car.id)
        .map(({ monitor }) => monitor.state);
      expect(states).toStrictEqual(['queued', 'running', 'succeeded']);
    }
    // The order waited, was confirmed through the other instance, went on, and ended.
    const orderTypes = events
      .filter(({ request, event }) => ok(request) && event.data.id === order.id)
      .map(({ event }) => event.type);
    expect(orderTypes).toStrictEqual([
      'monitor.queued',
      'monitor.running',
      'monitor.waiting',
      'monitor.running',
      'monitor.succeeded',
    ]);

    // The delivery log (read through either instance) is what the receiver got: every delivery
    // queued succeeded, each after the attempts the receiver counted.
    for (const t of [a, b]) {
      // A dispatcher records the outcome just after the receiver answered.
      const log = await logUntil(t, subscription.links.deliveries.href, (items) =>
        items.every((delivery) => delivery.state !== 'pending'),
      );
      expect(log.items.every((delivery) => delivery.state === 'succeeded')).toBe(true);
      expect(new Set(log.items.map((delivery) => delivery.messageId))).toStrictEqual(
        new Set(webhooks.map((request) => String(request.headers['webhook-id']))),
      );
      for (const delivery of log.items) {
        const attempts = webhooks.filter((request) => request.headers['webhook-id'] === delivery.messageId);
        expect(delivery.attempts).toBe(attempts.length);
      }
    }
    // Some attempts failed and were retried: the order held across retries.
    expect(received.some((request) => request.status === 503)).toBe(true);
  });
});
