/**
 * `/metrics` scraped while a load runs: the counters and gauges an operator watches move with
 * what the server does, and the route answers only whom `LONGRUN_METRICS` allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../testing/event-stream-reader.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { parseMetricsAccess } from './metrics.ts';

const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

/** The value of one series of a Prometheus text exposition, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics while a load runs', { timeout: 60_000 }, () => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  const scrape = async () => {
    const response = await fetch(`${t.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // 0.2: a car takes about two seconds, long enough to find work queued and running mid-load.
    t = await startTestServer({
      simulationScale: 0.2,
      engine: { concurrency: 2 },
      push: { outboundAllow: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it('counts accepted, running, finished, queued, handler time, held waits, deliveries and store writes', async () => {
    const before = await scrape();
    expect(sample(before, 'longrun_queue_depth')).toBe(0);
    const acceptedBefore = sample(before, 'longrun_operations_accepted_total', { kind: 'car.create' }) ?? 0;

    // Six cars on two handler slots: four wait in the queue. One fails at paint.
    const monitors: string[] = [];
    for (const color of ['Blue', 'Red', 'Green', 'Black', 'White', 'Ultraviolet']) {
      const response = await fetch(`${t.url}/cars`, {
        method: 'POST',
        headers: t.headers('acme', { 'Callback-Url': `${receiver.origin}/hooks` }),
        body: JSON.stringify({ ...CAR, color }),
      });
      expect(response.status).toBe(202);
      monitors.push(response.headers.get('location') as string);
    }
    // A long poll and an event stream held open while scraping.
    const last = await fetch(`${t.url}${monitors[5]}`, { headers: t.headers() });
    const etag = last.headers.get('etag') as string;
    const held = new AbortController();
    const longPoll = fetch(`${t.url}${monitors[5]}`, {
      headers: t.headers('acme', { 'If-None-Match': etag, Prefer: 'wait=20' }),
      signal: held.signal,
    }).catch(() => undefined);
    const stream = await openEventStream(`${t.url}${monitors[5]}/events`, t.headers());

    let during = await scrape();
    for (let i = 0; i < 50 && sample(during, 'longrun_long_polls_held') !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      during = await scrape();
    }
    expect(etag).toMatch(/^"op_/);
    expect(sample(during, 'longrun_operations_accepted_total', { kind: 'car.create' })).toBe(acceptedBefore + 6);
    expect(sample(during, 'longrun_queue_depth')).toBeGreaterThanOrEqual(1);
    expect(sample(during, 'longrun_queue_oldest_age_seconds')).toBeGreaterThan(0);
    expect(sample(during, 'longrun_operations_running')).toBeGreaterThanOrEqual(1);
    expect(sample(during, 'longrun_long_polls_held')).toBe(1);
    expect(sample(during, 'longrun_event_streams_held')).toBe(1);
    held.abort();
    await longPoll;
    await stream.close();

    // Each car ends, and each callback is delivered.
    await receiver.waitFor(
      (all) => all.filter((request) => /"state":"(succeeded|failed)"/.test(request.body)).length >= monitors.length,
    );
    let after = await scrape();
    for (let i = 0; i < 50 && (sample(after, 'longrun_event_streams_held') ?? 1) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    expect(sample(after, 'longrun_operations_finished_total', { kind: 'car.create', state: 'succeeded' })).toBe(5);
    expect(sample(after, 'longrun_operations_finished_total', { kind: 'car.create', state: 'failed' })).toBe(1);
    expect(sample(after, 'longrun_operations_started_total', { kind: 'car.create' })).toBe(6);
    // The Ultraviolet car's handler throws at paint: that is how a handler fails.
    expect(sample(after, 'longrun_handler_duration_seconds_count', { kind: 'car.create', outcome: 'returned' })).toBe(
      5,
    );
    expect(sample(after, 'longrun_handler_duration_seconds_count', { kind: 'car.create', outcome: 'threw' })).toBe(1);
    expect(
      sample(after, 'longrun_handler_duration_seconds_sum', { kind: 'car.create', outcome: 'returned' }),
    ).toBeGreaterThan(1);
    expect(sample(after, 'longrun_queue_wait_seconds_count', { kind: 'car.create' })).toBe(6);
    expect(sample(after, 'longrun_queue_depth')).toBe(0);
    expect(sample(after, 'longrun_operations_running')).toBe(0);
    expect(sample(after, 'longrun_long_polls_held')).toBe(0);
    expect(sample(after, 'longrun_event_streams_held')).toBe(0);
    expect(
      sample(after, 'longrun_webhook_delivery_attempts_total', { outcome: 'succeeded', target: 'callback' }),
    ).toBeGreaterThanOrEqual(12);
    expect(
      sample(after, 'longrun_store_write_duration_seconds_count', { call: 'createOperation' }),
    ).toBeGreaterThanOrEqual(6);
    expect(sample(after, 'longrun_store_write_duration_seconds_count', { call: 'updateOperation' })).toBeGreaterThan(6);
  });

  it('counts a failing endpoint as failed attempts', async () => {
    receiver.answer(() => 503);
    const before = (await scrape()).toString();
    const retriesBefore =
      sample(before, 'longrun_webhook_delivery_attempts_total', { outcome: 'retry', target: 'callback' }) ?? 0;
    const response = await fetch(`${t.url}/cars`, {
      method: 'POST',
      headers: t.headers('acme', { 'Callback-Url': `${receiver.origin}/down` }),
      body: JSON.stringify(CAR),
    });
    expect(response.status).toBe(202);
    await receiver.waitFor((all) => all.some((request) => request.path === '/down'));
    let after = await scrape();
    for (
      let i = 0;
      i < 50 &&
      (sample(after, 'longrun_webhook_delivery_attempts_total', { outcome: 'retry', target: 'callback' }) ?? 0) <=
        retriesBefore;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    expect(
      sample(after, 'longrun_webhook_delivery_attempts_total', { outcome: 'retry', target: 'callback' }),
    ).toBeGreaterThan(retriesBefore);
  });
});

describe('who may read /metrics', { timeout: 30_000 }, () => {
  it('reads LONGRUN_METRICS: local by default, off, open, token:<secret>; refuses anything else', () => {
    expect(parseMetricsAccess(undefined)).toBe('local');
    expect(parseMetricsAccess('off')).toBe('off');
    expect(parseMetricsAccess('open')).toBe('open');
    expect(parseMetricsAccess('token:s3cret')).toEqual({ token: 's3cret' });
    expect(() => parseMetricsAccess('yes')).toThrow(/LONGRUN_METRICS/);
  });

  it('off: there is no /metrics, not even for an API key', async () => {
    const t = await startTestServer({ metrics: 'off' });
    try {
      const response = await fetch(`${t.url}/metrics`, { headers: t.headers() });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await t.stop();
    }
  });

  it('token: only a caller with the bearer token reads it; the API keys do not open it', async () => {
    const t = await startTestServer({ metrics: { token: 'scrape-secret' } });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${t.url}/metrics`, { headers: t.headers() })).status).toBe(404);
      const allowed = await fetch(`${t.url}/metrics`, { headers: { Authorization: 'Bearer scrape-secret' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toContain('longrun_operations_accepted_total');
    } finally {
      await t.stop();
    }
  });
});
