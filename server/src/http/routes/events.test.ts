import { get as httpGet, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStreamReader, openEventStream } from '../../testing/event-stream-reader.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';

const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
const ORDER = { items: [{ sku: 'WID-BLUE-01', quantity: 2 }], manualFulfilment: true };

interface MonitorEvent {
  id: number;
  monitor: { id: string; state: string; steps: { name: string; state: string }[] };
}

/** Every event until the stream ends (or `until` holds for one). */
async function readEvents(
  reader: EventStreamReader,
  until?: (event: MonitorEvent) => boolean,
): Promise<MonitorEvent[]> {
  const events: MonitorEvent[] = [];
  for (let event = await reader.nextEvent(); event !== undefined; event = await reader.nextEvent()) {
    expect(event.event).toBe('monitor');
    const parsed = { id: Number(event.id), monitor: JSON.parse(event.data) as MonitorEvent['monitor'] };
    events.push(parsed);
    if (until?.(parsed)) break;
  }
  return events;
}

function expectConsecutive(events: readonly MonitorEvent[], from: number): void {
  expect(events.map((event) => event.id)).toStrictEqual(events.map((_, index) => from + index));
}

const isWaiting = (event: MonitorEvent) => event.monitor.steps.some((step) => step.state === 'waiting');

describe('GET /monitors/{monitorId}/events', { timeout: 30_000 }, () => {
  let t: TestServer;
  beforeAll(async () => {
    // Orders left waiting for fulfilment must not hold the stop for the default 30 s.
    t = await startTestServer({
      simulationScale: 0.002,
      push: { keepAliveMs: 25, maxStreamsPerTenant: 3 },
      engine: { stopTimeoutMs: 50 },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function post(path: string, body: unknown, tenant: 'acme' | 'globex' = 'acme') {
    const response = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: t.headers(tenant),
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    return (await response.json()) as { id: string; links: { events: { href: string }; product: { href: string } } };
  }

  function stream(href: string, extra: Record<string, string> = {}, tenant: 'acme' | 'globex' = 'acme') {
    const { 'Content-Type': _, ...headers } = t.headers(tenant, extra);
    return openEventStream(`${t.url}${href}`, headers);
  }

  async function finished(monitorId: string): Promise<{ state: string }> {
    for (;;) {
      const response = await fetch(`${t.url}/monitors/${monitorId}`, {
        headers: t.headers('acme', { Prefer: 'wait=5' }),
      });
      const monitor = (await response.json()) as { state: string };
      if (['succeeded', 'failed', 'cancelled'].includes(monitor.state)) return monitor;
    }
  }

  it('streams every change of a monitor, ids its versions, and closes after the terminal event', async () => {
    const accepted = await post('/cars', CAR);
    expect(accepted.links.events.href).toBe(`/monitors/${accepted.id}/events`);
    const reader = await stream(accepted.links.events.href);
    expect(reader.response.status).toBe(200);
    expect(reader.response.headers.get('content-type')).toBe('text/event-stream');
    expect(reader.response.headers.get('cache-control')).toBe('no-store');
    expect(reader.response.headers.get('link')).toBe(`</monitors/${accepted.id}>; rel="monitor"`);
    expect(await reader.next()).toStrictEqual({ kind: 'retry', ms: 2000 });
    const events = await readEvents(reader);
    expect(events.length).toBeGreaterThan(2);
    expectConsecutive(events, events[0]?.id ?? 0);
    expect(events.every((event) => event.monitor.id === accepted.id)).toBe(true);
    expect(events.at(-1)?.monitor.state).toBe('succeeded');
    expect(events.slice(0, -1).every((event) => event.monitor.state !== 'succeeded')).toBe(true);
    // The stream ended by itself.
    expect(await reader.next()).toBeUndefined();
  });

  it('lets a client that went away resume with Last-Event-ID without missing an event', async () => {
    const order = await post('/widget-orders', ORDER);
    const first = await stream(order.links.events.href);
    const before = await readEvents(first, isWaiting);
    expect(before.at(-1) && isWaiting(before.at(-1) as MonitorEvent)).toBe(true);
    await first.close();
    const lastSeen = before.at(-1)?.id ?? 0;

    const resumed = await stream(order.links.events.href, { 'Last-Event-ID': String(lastSeen) });
    expect(resumed.response.status).toBe(200);
    // Nothing new yet: the order waits for its fulfilment to be confirmed.
    expect(await resumed.next()).toStrictEqual({ kind: 'retry', ms: 2000 });
    expect(await resumed.next()).toStrictEqual({ kind: 'comment', text: 'keep-alive' });

    const confirmed = await fetch(`${t.url}${order.links.product.href}/fulfilment`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ confirmedBy: 'warehouse-7' }),
    });
    expect(confirmed.status).toBe(202);
    const after = await readEvents(resumed);
    expectConsecutive(after, lastSeen + 1);
    expect(after.at(-1)?.monitor.state).toBe('succeeded');
  });

  it('starts with the current monitor when it changed while the client was away, then ends', async () => {
    const accepted = await post('/cars', CAR);
    const reader = await stream(accepted.links.events.href);
    const [firstEvent] = await readEvents(reader, () => true);
    await reader.close();
    await finished(accepted.id);
    const resumed = await stream(accepted.links.events.href, { 'Last-Event-ID': String(firstEvent?.id) });
    const events = await readEvents(resumed);
    expect(events).toHaveLength(1);
    expect(events[0]?.id).toBeGreaterThan(firstEvent?.id ?? Number.POSITIVE_INFINITY);
    expect(events[0]?.monitor.state).toBe('succeeded');
  });

  it('answers 204 to a client that has the last version of a finished monitor (EventSource stops reconnecting)', async () => {
    const accepted = await post('/cars', CAR);
    const reader = await stream(accepted.links.events.href);
    const events = await readEvents(reader);
    const last = events.at(-1)?.id ?? 0;
    const again = await fetch(`${t.url}${accepted.links.events.href}`, {
      headers: t.headers('acme', { 'Last-Event-ID': String(last) }),
    });
    expect(again.status).toBe(204);
    expect(await again.text()).toBe('');
  });

  it('stops sending to a client that went away', async () => {
    const order = await post('/widget-orders', ORDER);
    const reader = await stream(order.links.events.href);
    await readEvents(reader, isWaiting);
    // The waiting handler listens too; the stream is one more.
    const listening = t.server.engine.changes.listenerCount(order.id);
    expect(listening).toBeGreaterThanOrEqual(1);
    await reader.close();
    while (t.server.engine.changes.listenerCount(order.id) === listening)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(t.server.engine.changes.listenerCount(order.id)).toBe(listening - 1);
  });

  it("does not show another tenant's monitor, nor anything without a key", async () => {
    const accepted = await post('/cars', CAR);
    const foreign = await fetch(`${t.url}${accepted.links.events.href}`, { headers: t.headers('globex') });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('content-type')).toBe('application/problem+json');
    const anonymous = await fetch(`${t.url}${accepted.links.events.href}`);
    expect(anonymous.status).toBe(401);
  });

  it('answers 406 to a client that does not accept text/event-stream, and streams to one that does', async () => {
    const accepted = await post('/cars', CAR);
    const href = `${t.url}${accepted.links.events.href}`;
    for (const accept of ['application/json', 'text/event-stream;q=0', '*/*, text/event-stream;q=0']) {
      const refused = await fetch(href, { headers: t.headers('acme', { Accept: accept }) });
      expect(refused.status, accept).toBe(406);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(await refused.json()).toMatchObject({
        type: 'https://longrun.dev/problems/not-acceptable',
        status: 406,
        detail: expect.stringContaining(`/monitors/${accepted.id}`),
      });
    }
    for (const accept of ['*/*', 'text/*', 'text/event-stream', 'application/json, text/event-stream;q=0.5']) {
      const reader = await stream(accepted.links.events.href, { Accept: accept });
      expect(reader.response.status, accept).toBe(200);
      expect(reader.response.headers.get('content-type')).toBe('text/event-stream');
      await reader.close();
    }
    // fetch always sends an Accept; a client that sends none takes anything, the stream included.
    const { 'Content-Type': _, ...headers } = t.headers('acme');
    const bare = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpGet(href, { headers }, resolve);
      request.once('error', reject);
    });
    expect(bare.headers['content-type']).toBe('text/event-stream');
    expect(bare.statusCode).toBe(200);
    bare.destroy();
  });

  it('refuses a Last-Event-ID that is not a version', async () => {
    const accepted = await post('/cars', CAR);
    const response = await fetch(`${t.url}${accepted.links.events.href}`, {
      headers: t.headers('acme', { 'Last-Event-ID': 'abc' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ pointer: '/headers/last-event-id' }] });
  });

  it('refuses more open streams per tenant than allowed, and counts a closed one out', async () => {
    const orders = [
      await post('/widget-orders', ORDER),
      await post('/widget-orders', ORDER),
      await post('/widget-orders', ORDER),
    ];
    const readers = await Promise.all(orders.map((order) => stream(order.links.events.href)));
    for (const reader of readers) await reader.nextEvent();
    const extra = await post('/widget-orders', ORDER);
    const refused = await fetch(`${t.url}${extra.links.events.href}`, { headers: t.headers() });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    const other = await fetch(`${t.url}${(await post('/widget-orders', ORDER, 'globex')).links.events.href}`, {
      headers: t.headers('globex'),
    });
    expect(other.status).toBe(200);
    await other.body?.cancel();
    await readers[0]?.close();
    for (;;) {
      const retried = await stream(extra.links.events.href);
      if (retried.response.status === 200) {
        expect(await retried.nextEvent()).toMatchObject({ event: 'monitor' });
        await retried.close();
        break;
      }
      await retried.close();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(readers.slice(1).map((reader) => reader.close()));
  });
});
