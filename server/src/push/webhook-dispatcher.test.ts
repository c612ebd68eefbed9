/**
 * Webhooks and callbacks end to end: a real server, real receivers on 127.0.0.1 (allowed by the
 * operator allowlist), signatures checked with the reference Standard Webhooks library.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../create-server.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { newOperation, WORKER_LOST } from '../testing/store-fixtures.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { OutboundGuard } from './ssrf-guard.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';

const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
/** Short backoff, many attempts: an endpoint that is away is retried quickly until it is back. */
const FAST_PUSH: ServerOptions['push'] = {
  outboundAllow: '127.0.0.1',
  retry: { initialDelayMs: 10, maxDelayMs: 40, maxAttempts: 1000 },
  pollIntervalMs: 50,
};

interface Monitor {
  id: string;
  state: string;
  steps: { name: string; state: string }[];
  links: { product?: { href: string } };
}
interface MonitorEvent {
  type: string;
  timestamp: string;
  data: Monitor;
}
interface Subscription {
  id: string;
  secret: string;
  state: string;
  disabledReason: string | null;
  links: { deliveries: { href: string } };
}
interface Delivery {
  messageId: string;
  eventType: string;
  monitorId: string;
  monitorVersion: number;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

const servers: TestServer[] = [];
const receivers: WebhookReceiver[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function server(options: ServerOptions = {}): Promise<TestServer> {
  const started = await startTestServer({ simulationScale: 0.002, push: FAST_PUSH, ...options });
  servers.push(started);
  return started;
}

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
}

async function subscribe(t: TestServer, body: Record<string, unknown>): Promise<Subscription> {
  const response = await fetch(`${t.url}/webhook-subscriptions`, {
    method: 'POST',
    headers: t.headers(),
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Subscription;
}

async function orderCar(t: TestServer, extra: Record<string, string> = {}): Promise<Monitor> {
  const response = await fetch(`${t.url}/cars`, {
    method: 'POST',
    headers: t.headers('acme', extra),
    body: JSON.stringify(CAR),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as Monitor;
}

async function finished(t: TestServer, id: string): Promise<Monitor> {
  for (;;) {
    const monitor = (await (
      await fetch(`${t.url}/monitors/${id}`, { headers: t.headers('acme', { Prefer: 'wait=5' }) })
    ).json()) as Monitor;
    if (['succeeded', 'failed', 'cancelled'].includes(monitor.state)) return monitor;
  }
}

async function log(t: TestServer, subscription: Subscription): Promise<Delivery[]> {
  const response = await fetch(`${t.url}${subscription.links.deliveries.href}?limit=100`, { headers: t.headers() });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Delivery[] }).items;
}

/** Polls the delivery log until `predicate` holds for it. */
async function logUntil(
  t: TestServer,
  subscription: Subscription,
  predicate: (deliveries: Delivery[]) => boolean,
): Promise<Delivery[]> {
  for (;;) {
    const deliveries = await log(t, subscription);
    if (predicate(deliveries)) return deliveries;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Verifies a received request with the reference library and returns its payload. */
function verified<T>(request: ReceivedRequest, secret: string): T {
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as T;
}

const succeeded = (all: readonly ReceivedRequest[]) =>
  all.filter((request) => request.status >= 200 && request.status < 300);

/** The ids of the messages received for each monitor, in arrival order. */
function byMonitor(
  requests: readonly ReceivedRequest[],
  monitorOf: (request: ReceivedRequest) => string,
): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const request of requests) {
    const id = monitorOf(request);
    grouped.set(id, [...(grouped.get(id) ?? []), String(request.headers['webhook-id'])]);
  }
  return grouped;
}

const version = (messageId: string) => Number(messageId.split('_').at(-1));
const isNonDecreasing = (values: readonly number[]) =>
  values.every((value, index) => index === 0 || value >= (values[index - 1] ?? 0));

describe('webhook delivery', { timeout: 30_000 }, () => {
  it('delivers every event to an endpoint that was away, once it is back, in order per monitor, each signed', async () => {
    const hooks = await receiver();
    await hooks.down();
    const t = await server();
    const subscription = await subscribe(t, { url: `${hooks.origin}/longrun` });
    const cars = await Promise.all([orderCar(t), orderCar(t), orderCar(t)]);
    await Promise.all(cars.map((car) => finished(t, car.id)));

    // Refused connections: every monitor's first event has been tried and is pending again.
    const away = await logUntil(
      t,
      subscription,
      (all) => all.length === 9 && all.filter((d) => d.attempts > 0).length >= 3,
    );
    expect(away.every((delivery) => delivery.state === 'pending')).toBe(true);
    expect(away.find((delivery) => delivery.attempts > 0)?.lastError).toMatch(/ECONNREFUSED/);

    // Back, but answering 503 for a while.
    hooks.answer(() => 503);
    await hooks.up();
    await hooks.waitFor((all) => all.length >= 6);
    hooks.answer(() => 204);
    await hooks.waitFor((all) => succeeded(all).length === 9);

    const events = succeeded(hooks.received).map((request) => verified<MonitorEvent>(request, subscription.secret));
    for (const car of cars) {
      expect(events.filter((event) => event.data.id === car.id).map((event) => event.type)).toStrictEqual([
        'monitor.queued',
        'monitor.running',
        'monitor.succeeded',
      ]);
    }
    // Each message was delivered once, and no monitor's later message was ever sent before an earlier one got through.
    expect(new Set(succeeded(hooks.received).map((request) => request.headers['webhook-id'])).size).toBe(9);
    for (const attempts of byMonitor(
      hooks.received,
      (request) => (JSON.parse(request.body) as MonitorEvent).data.id,
    ).values()) {
      expect(isNonDecreasing(attempts.map(version))).toBe(true);
    }
    const done = await logUntil(t, subscription, (all) => all.every((delivery) => delivery.state === 'succeeded'));
    expect(done.every((delivery) => delivery.lastStatus === 204)).toBe(true);
    // Each monitor's first event was tried while the endpoint was away.
    for (const car of cars) {
      const queued = done.find((delivery) => delivery.monitorId === car.id && delivery.eventType === 'monitor.queued');
      expect(queued?.attempts).toBeGreaterThanOrEqual(2);
    }
  });

  it('loses no delivery when the server restarts while retrying', async () => {
    const hooks = await receiver();
    hooks.answer(() => 503);
    const dataDir = await mkdtemp(join(tmpdir(), 'longrun-restart-'));
    dirs.push(dataDir);
    const first = await server({ dataDir });
    const subscription = await subscribe(first, { url: `${hooks.origin}/longrun` });
    const car = await orderCar(first);
    await finished(first, car.id);
    await logUntil(first, subscription, (all) => all.length === 3 && all.some((delivery) => delivery.attempts >= 2));
    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    const attemptsBefore = hooks.received.length;

    hooks.answer(() => 204);
    const second = await server({ dataDir });
    await hooks.waitFor((all) => succeeded(all).length === 3);
    expect(hooks.received.length).toBeGreaterThan(attemptsBefore);
    const events = succeeded(hooks.received).map((request) => verified<MonitorEvent>(request, subscription.secret));
    expect(events.map((event) => [event.data.id, event.type])).toStrictEqual([
      [car.id, 'monitor.queued'],
      [car.id, 'monitor.running'],
      [car.id, 'monitor.succeeded'],
    ]);
    expect((await log(second, subscription)).every((delivery) => delivery.state === 'succeeded')).toBe(true);
  });

  it('disables a subscription whose endpoint answers 410 and sends it nothing more', async () => {
    const [gone, control] = [await receiver(), await receiver()];
    gone.answer(() => 410);
    const t = await server();
    const goneSubscription = await subscribe(t, { url: `${gone.origin}/old` });
    const controlSubscription = await subscribe(t, { url: `${control.origin}/new`, eventTypes: ['monitor.succeeded'] });
    const first = await orderCar(t);
    await finished(t, first.id);
    await gone.waitFor((all) => all.length >= 1);
    const disabled = await (async () => {
      for (;;) {
        const read = (await (
          await fetch(`${t.url}/webhook-subscriptions/${goneSubscription.id}`, { headers: t.headers() })
        ).json()) as Subscription;
        if (read.state === 'disabled') return read;
      }
    })();
    expect(disabled.disabledReason).toBe('gone');
    const logged = await logUntil(t, goneSubscription, (all) => all.every((delivery) => delivery.state !== 'pending'));
    expect(logged.at(-1)).toMatchObject({ state: 'failed', lastStatus: 410, eventType: 'monitor.queued' });
    expect(logged.slice(0, -1).every((delivery) => delivery.state === 'dropped')).toBe(true);
    const receivedBefore = gone.received.length;

    // The control subscription shows when the second car's last event has been queued.
    const second = await orderCar(t);
    await control.waitFor((all) =>
      all.some((request) => verified<MonitorEvent>(request, controlSubscription.secret).data.id === second.id),
    );
    expect(gone.received.length).toBe(receivedBefore);
    expect((await log(t, goneSubscription)).some((delivery) => delivery.monitorId === second.id)).toBe(false);
  });

  it('sends only the event types a subscription asked for', async () => {
    const hooks = await receiver();
    const t = await server();
    const subscription = await subscribe(t, {
      url: `${hooks.origin}/ends`,
      eventTypes: ['monitor.succeeded', 'monitor.failed'],
    });
    const car = await orderCar(t);
    await hooks.waitFor((all) => all.length === 1);
    const [event] = hooks.received.map((request) => verified<MonitorEvent>(request, subscription.secret));
    expect(event).toMatchObject({ type: 'monitor.succeeded', data: { id: car.id, state: 'succeeded' } });
    expect(Date.parse(event?.timestamp ?? '')).not.toBeNaN();
  });

  it('signs with both secrets after a rotation, so the receiver can switch at its own pace', async () => {
    const hooks = await receiver();
    const t = await server();
    const subscription = await subscribe(t, { url: `${hooks.origin}/hook`, eventTypes: ['monitor.succeeded'] });
    const rotated = await fetch(`${t.url}/webhook-subscriptions/${subscription.id}/rotate-secret`, {
      method: 'POST',
      headers: t.headers(),
    });
    expect(rotated.status).toBe(200);
    const { secret } = (await rotated.json()) as Subscription;
    expect(secret).not.toBe(subscription.secret);
    await orderCar(t);
    const [request] = await hooks.waitFor((all) => all.length === 1);
    expect(String(request?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified<MonitorEvent>(request as ReceivedRequest, secret).type).toBe('monitor.succeeded');
    expect(verified<MonitorEvent>(request as ReceivedRequest, subscription.secret).type).toBe('monitor.succeeded');
  });

  it('follows no redirect: the 302 is logged as a failed attempt and the target it names gets nothing', async () => {
    const [redirecting, elsewhere] = [await receiver(), await receiver()];
    redirecting.answer(() => ({ status: 302, headers: { location: `${elsewhere.origin}/stolen` } }));
    const t = await server();
    const subscription = await subscribe(t, { url: `${redirecting.origin}/hook`, eventTypes: ['monitor.queued'] });
    await orderCar(t);
    await redirecting.waitFor((all) => all.length >= 2);
    const [delivery] = await logUntil(t, subscription, (all) => (all[0]?.attempts ?? 0) >= 2);
    expect(delivery).toMatchObject({ state: 'pending', lastStatus: 302, lastError: 'HTTP 302' });
    expect(elsewhere.received).toStrictEqual([]);
  });
});

describe('callbacks', { timeout: 30_000 }, () => {
  async function callbackSecret(t: TestServer): Promise<string> {
    const response = await fetch(`${t.url}/callback-secret`, { headers: t.headers() });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return ((await response.json()) as { secret: string }).secret;
  }

  it('POSTs the monitor to the Callback-Url of a request each time it enters a new state, signed', async () => {
    const hooks = await receiver();
    const t = await server();
    const car = await orderCar(t, { 'Callback-Url': `${hooks.origin}/cars/callback` });
    await hooks.waitFor((all) => all.length === 3);
    const secret = await callbackSecret(t);
    const monitors = hooks.received.map((request) => verified<Monitor>(request, secret));
    expect(monitors.map((monitor) => [monitor.id, monitor.state])).toStrictEqual([
      [car.id, 'queued'],
      [car.id, 'running'],
      [car.id, 'succeeded'],
    ]);
    expect(hooks.received.every((request) => request.path === '/cars/callback')).toBe(true);
    expect(new Set(hooks.received.map((request) => request.headers['webhook-id'])).size).toBe(3);
  });

  it("calls a widget order's callbackUrl back when its fulfilment waits, and when it goes on", async () => {
    const hooks = await receiver();
    const t = await server({ engine: { stopTimeoutMs: 50 } });
    const response = await fetch(`${t.url}/widget-orders`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({
        items: [{ sku: 'WID-BLUE-01', quantity: 1 }],
        manualFulfilment: true,
        callbackUrl: `${hooks.origin}/orders`,
      }),
    });
    expect(response.status).toBe(202);
    const order = (await response.json()) as Monitor;
    await hooks.waitFor((all) => all.length === 3);
    const secret = await callbackSecret(t);
    const waiting = verified<Monitor>(hooks.received[2] as ReceivedRequest, secret);
    expect(waiting.steps.find((step) => step.name === 'fulfilment')?.state).toBe('waiting');
    await fetch(`${t.url}${order.links.product?.href}/fulfilment`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ confirmedBy: 'warehouse-7' }),
    });
    await hooks.waitFor((all) => all.length === 5);
    expect(hooks.received.map((request) => verified<Monitor>(request, secret).state)).toStrictEqual([
      'queued',
      'running',
      'running',
      'running',
      'succeeded',
    ]);
  });

  it("stops a request's callbacks once its callback URL answers 410", async () => {
    const hooks = await receiver();
    hooks.answer(() => 410);
    const t = await server();
    const car = await orderCar(t, { 'Callback-Url': `${hooks.origin}/gone` });
    await finished(t, car.id);
    await hooks.waitFor((all) => all.length === 1);
    // A second request's callbacks to the same URL are unaffected: they show the first's have all been queued.
    const next = await orderCar(t, { 'Callback-Url': `${hooks.origin}/gone` });
    await hooks.waitFor((all) => all.some((request) => (JSON.parse(request.body) as Monitor).id === next.id));
    expect(hooks.received.filter((request) => (JSON.parse(request.body) as Monitor).id === car.id)).toHaveLength(1);
  });

  it('keeps the callback secret until it is rotated; then signs with both for a while', async () => {
    const hooks = await receiver();
    const t = await server();
    const before = await callbackSecret(t);
    expect(await callbackSecret(t)).toBe(before);
    const rotated = await fetch(`${t.url}/callback-secret/rotate`, { method: 'POST', headers: t.headers() });
    const after = (await rotated.json()) as { secret: string; previousSecretExpiresAt: string };
    expect(after.secret).not.toBe(before);
    expect(Date.parse(after.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
    await orderCar(t, { 'Callback-Url': `${hooks.origin}/cb` });
    const [first] = await hooks.waitFor((all) => all.length >= 1);
    expect(verified<Monitor>(first as ReceivedRequest, before).state).toBe('queued');
    expect(verified<Monitor>(first as ReceivedRequest, after.secret).state).toBe('queued');
  });
});

describe('dispatching beside other processes on one queue', { timeout: 30_000 }, () => {
  it('delivers every change another process made, none of them published here, in order, each once', async () => {
    const hooks = await receiver();
    const dataDir = await mkdtemp(join(tmpdir(), 'longrun-dispatcher-'));
    dirs.push(dataDir);
    // Two stores on one database file: the dispatcher's process, and another that runs the operation.
    const here = await createSqliteStore({ dataDir });
    const there = await createSqliteStore({ dataDir });
    const dispatcher = new WebhookDispatcher({
      store: here.webhooks,
      render: (operation) => ({ id: operation.id, version: operation.version, state: operation.state }),
      guard: new OutboundGuard({ allow: '127.0.0.1' }),
      pollIntervalMs: 20,
    });
    const subscribed = await here.webhooks.createSubscription(
      {
        id: 'whs_0000000000000001',
        tenant: 'acme',
        url: `${hooks.origin}/hook`,
        description: null,
        eventTypes: ['monitor.queued', 'monitor.running', 'monitor.succeeded'],
        secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        createdAt: new Date().toISOString(),
      },
      10,
    );
    expect(subscribed).not.toBe('limit-reached');
    dispatcher.start();
    try {
      // Made now: each message is due when it is made.
      const start = Date.now();
      const now = (ms: number) => new Date(start + ms);
      const created = await there.createOperation({
        operation: newOperation({ tenant: 'acme', createdAt: now(0).toISOString() }),
      });
      expect(created.outcome).toBe('created');
      const first = await there.claimNext('worker-a', ['car.create'], 1, now(1));
      if (first === undefined) throw new Error('expected a claim');
      // Its lease expires; it is re-queued, claimed again, makes progress and succeeds.
      const recovered = await there.recoverExpiredLeases(now(10), 5, WORKER_LOST);
      expect(recovered).toHaveLength(1);
      const second = await there.claimNext('worker-b', ['car.create'], 60_000, now(11));
      if (second === undefined) throw new Error('expected a claim');
      await there.updateOperation(second.lease, { progress: { percent: 50 } }, now(12));
      await there.updateOperation(second.lease, { state: 'succeeded', result: { ok: true } }, now(13));
      const received = await hooks.waitFor((all) => all.length === 5);
      const events = received.map((request) => JSON.parse(request.body) as { type: string; data: { version: number } });
      expect(events.map((event) => `${event.type}@${event.data.version}`)).toStrictEqual([
        'monitor.queued@1',
        'monitor.running@2',
        'monitor.queued@3',
        'monitor.running@4',
        'monitor.succeeded@6',
      ]);
      expect(new Set(received.map((request) => request.headers['webhook-id'])).size).toBe(5);
    } finally {
      await dispatcher.stop();
      await there.close();
      await here.close();
    }
  });
});
