/**
 * waitFor against the real server (SQLite in a temp dir, HTTP on port 0), on every reference resource,
 * counting the requests each wait makes, and each wait mode's requests and delay for one car.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from '@longrun/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cancel } from './cancel.ts';
import { createClient, type FetchFunction, type LongrunClient } from './create-client.ts';
import { ApiError, OperationCancelledError, OperationFailedError, WaitTimeoutError } from './errors.ts';
import { createCar, createTranscode } from './generated/sdk/index.ts';
import { progressSignature } from './monitor-changes.ts';
import type { AnyMonitor, components } from './types.ts';
import { type WaitMode, waitFor } from './wait-for.ts';

type Schemas = components['schemas'];

/** A running server and a client whose every request is counted. */
async function startServer(simulationScale: number) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-client-it-'));
  const server = await createServer({
    dataDir,
    apiKeys: 'acme:acme-key,globex:globex-key',
    simulationScale,
    logger: false,
  });
  const { url } = await server.listen(0);
  const log: {
    method: string;
    path: string;
    status: number;
    prefer: string | null;
    applied: string | null;
    lastEventId: string | null;
    contentType: string | null;
  }[] = [];
  const counted: FetchFunction = async (request) => {
    const response = await fetch(request);
    log.push({
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      prefer: request.headers.get('Prefer'),
      applied: response.headers.get('Preference-Applied'),
      lastEventId: request.headers.get('Last-Event-ID'),
      contentType: response.headers.get('Content-Type'),
    });
    return response;
  };
  return {
    url,
    log,
    fetch: counted,
    client: createClient({ baseUrl: url, apiKey: 'acme-key', fetch: counted }),
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fetch whose first event stream breaks (a connection reset) once it has passed a monitor event of
 * a running operation on to the client; `lastIdPassed` is the last `id:` the client got from it.
 */
function cutFirstStream(inner: FetchFunction) {
  let cut = false;
  let lastIdPassed = '';
  const fetchFunction: FetchFunction = async (request) => {
    const response = await inner(request);
    if (cut || !request.url.endsWith('/events') || response.body === null) return response;
    cut = true;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let breakNow = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Broken on the read after the chunk was handed over, so the client has that chunk.
        if (breakNow) {
          await reader.cancel();
          controller.error(new TypeError('connection reset'));
          return;
        }
        const { done, value } = await reader.read();
        if (done) return controller.close();
        controller.enqueue(value);
        const text = decoder.decode(value, { stream: true });
        for (const [, id] of text.matchAll(/^id: (\d+)$/gm)) lastIdPassed = id ?? lastIdPassed;
        breakNow = /"state":"(queued|running)"/.test(text);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch: fetchFunction, lastIdPassed: () => lastIdPassed };
}

/** Requests made since `from` in the log. */
function since<T>(log: T[], from: number): T[] {
  return log.slice(from);
}

const carSpec = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
const requestCounts: Record<string, number> = {};

describe('waitFor against the real server', { timeout: 30_000 }, () => {
  let env: Awaited<ReturnType<typeof startServer>>;
  let client: LongrunClient;

  beforeAll(async () => {
    env = await startServer(0.01);
    client = env.client;
  });
  afterAll(async () => {
    await env?.stop();
    console.log(`requests per wait (real server, simulationScale 0.01, mode auto): ${JSON.stringify(requestCounts)}`);
  });

  test('cars: POST /cars yields the built car, read from the monitor’s event stream and links.product', async () => {
    const from = env.log.length;
    const progress: AnyMonitor[] = [];
    const accepted = await client.POST('/cars', { body: carSpec });
    const car = await waitFor(client, accepted, { onProgress: (m) => progress.push(m) });

    expect(car).toMatchObject({ ...carSpec, vin: expect.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/) });
    const requests = since(env.log, from);
    requestCounts.cars = requests.length;
    // Auto mode followed the stream the monitor links: one request for every change.
    expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /cars 202',
      `GET /monitors/${accepted.data?.id}/events 200`,
      `GET /cars/${car.id} 200`,
    ]);
    expect(requests[1]).toMatchObject({ contentType: 'text/event-stream', prefer: null, lastEventId: null });
    const signatures = progress.map(progressSignature);
    expect(new Set(signatures).size).toBe(signatures.length); // once per change: progress only moves forward
    expect(progress.map((m) => m.state)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
    expect(new Set(progress.map((m) => m.steps.find((s) => s.state === 'running')?.name))).toEqual(
      new Set([undefined, 'chassis', 'paint', 'inspection']),
    );
  });

  test('cars with Prefer: wait: the POST answers 201 once built, and waitFor only reads the car', async () => {
    const accepted = await client.POST('/cars', { body: carSpec, params: { header: { Prefer: 'wait=10' } } });
    expect(accepted.response.status).toBe(201);
    const from = env.log.length;
    const car = await waitFor(client, accepted);
    expect(car.brand).toBe('Ford');
    expect(since(env.log, from).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /cars/${car.id}`]);
  });

  test('cars through the hey-api SDK: createCar with the client’s sdkClient', async () => {
    const car = await waitFor(
      client,
      await createCar({ client: client.sdkClient, body: { ...carSpec, color: 'Red' } }),
    );
    expect(car.color).toBe('Red');
  });

  test('cars read with Prefer: respond-async: the monitor ends 200 with the car as its inline result', async () => {
    const car = await waitFor(client, await client.POST('/cars', { body: carSpec }));
    const from = env.log.length;
    const accepted = await client.GET('/cars/{carId}', {
      params: { path: { carId: car.id }, header: { Prefer: 'respond-async' } },
    });
    expect(accepted.response.status).toBe(202);
    await expect(waitFor(client, accepted)).resolves.toEqual(car);
    requestCounts.carRead = since(env.log, from).length;
  });

  test('virtual machines: follows Link rel="monitor", not the machine at Location, and yields the ready machine', async () => {
    const from = env.log.length;
    const accepted = await client.POST('/virtual-machines', {
      body: { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } },
    });
    const location = accepted.response.headers.get('Location') ?? '';
    expect(location).toMatch(/^\/virtual-machines\//);
    const vm = await waitFor(client, accepted);

    expect(vm).toMatchObject({ status: 'ready', ipAddress: expect.any(String) });
    expect(location).toBe(`/virtual-machines/${vm.id}`);
    const requests = since(env.log, from);
    requestCounts.virtualMachines = requests.length;
    expect(requests.filter((r) => r.path === location).map((r) => r.status)).toEqual([200]); // only the final read
  });

  test('virtual machines: waiting on the machine’s own URL moves to its monitor', async () => {
    const accepted = await client.POST('/virtual-machines', {
      body: { configuration: { os: 'FreeBSD', ram: '8GB', storage: '64GB' } },
    });
    const vm = await waitFor<'virtual-machine.provision'>(client, accepted.response.headers.get('Location') ?? '');
    expect(vm.status).toBe('ready');
  });

  test('virtual machines: a machine no host can hold fails with the monitor’s problem', async () => {
    const accepted = await client.POST('/virtual-machines', {
      body: { configuration: { os: 'Windows', ram: '4096GB', storage: '256GB SSD' } },
    });
    const error = await waitFor(client, accepted).catch((e) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error.problem).toMatchObject({ title: 'The operation failed', status: expect.any(Number) });
    expect(error.monitor.state).toBe('failed');
  });

  test('transcodes: three at once, each with its own monitor and product document', async () => {
    const from = env.log.length;
    const resolutions = ['480p', '720p', '1080p'] as const;
    const videos = await Promise.all(
      resolutions.map(async (resolution) =>
        waitFor(
          client,
          await createTranscode({
            client: client.sdkClient,
            body: { source: `https://media.example.com/raw/${resolution}.mov`, format: 'mp4', resolution },
          }),
        ),
      ),
    );
    expect(videos.map((v) => v.resolution)).toEqual(resolutions);
    expect(new Set(videos.map((v) => v.id)).size).toBe(3);
    for (const video of videos) expect(video.id).toMatch(/^prd_/);
    requestCounts.transcodes3 = since(env.log, from).length;
  });

  test('transcodes: an unreadable source fails', async () => {
    const accepted = await client.POST('/transcodes', {
      body: { source: 'https://media.example.com/raw/interview.missing', format: 'webm', resolution: '480p' },
    });
    await expect(waitFor(client, accepted)).rejects.toBeInstanceOf(OperationFailedError);
  });

  test('reindex: yields the inline report; a second run while one is pending is refused with 409 naming it', async () => {
    const from = env.log.length;
    const first = await client.POST('/reindex', { body: { scope: 'all' } });
    const second = await client.POST('/reindex', { body: { scope: 'cars' } });
    expect(second.response.status).toBe(409);
    const pendingMonitor = (second.error as Schemas['PendingOperationProblem']).monitor;
    expect(first.response.headers.get('Location')).toBe(pendingMonitor);

    const report = await waitFor(client, first);
    expect(report).toMatchObject({ scope: 'all', documentsIndexed: expect.any(Number) });
    // The refused request names the monitor to wait on instead.
    await expect(waitFor<'reindex'>(client, pendingMonitor)).resolves.toEqual(report);
    requestCounts.reindex = since(env.log, from).length - 2; // without the two POSTs
  });

  test('widget orders: the manual fulfilment step waits until POST …/fulfilment confirms it', async () => {
    const from = env.log.length;
    const confirmations: Promise<unknown>[] = [];
    const accepted = await client.POST('/widget-orders', {
      body: {
        items: [
          { sku: 'WID-BLUE-01', quantity: 2 },
          { sku: 'WID-RED-07', quantity: 1 },
        ],
        manualFulfilment: true,
      },
    });
    const order = await waitFor(client, accepted, {
      onProgress: (monitor) => {
        const waiting = monitor.steps.find((step) => step.state === 'waiting');
        if (waiting?.action && confirmations.length === 0) {
          confirmations.push(
            client.fetchLink(waiting.action.href, {
              method: waiting.action.method,
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ confirmedBy: 'warehouse-7' }),
            }),
          );
        }
      },
    });
    expect(confirmations).toHaveLength(1);
    expect(((await confirmations[0]) as Response).status).toBe(202);
    expect(order).toMatchObject({ status: 'fulfilled', invoice: { href: expect.stringMatching(/^\/invoices\//) } });
    expect(order.widgets).toHaveLength(3);
    requestCounts.widgetOrders = since(env.log, from).length;
  });

  test('widget orders: the typed confirm endpoint works too, and a wait can be resumed from the stored URL', async () => {
    const accepted = await client.POST('/widget-orders', {
      body: { items: [{ sku: 'WID-BLUE-01', quantity: 1 }], manualFulfilment: true },
    });
    const monitorUrl = accepted.response.headers.get('Location') ?? '';
    // Stop waiting once the order waits for the warehouse; the operation goes on.
    const stop = new AbortController();
    const stopped = await waitFor(client, accepted, {
      signal: stop.signal,
      onProgress: (m) => {
        if (m.steps.some((s) => s.state === 'waiting')) stop.abort(new Error('stop waiting'));
      },
    }).catch((e) => e);
    expect(stopped).toMatchObject({ message: 'stop waiting' });

    const orderId = (accepted.data?.links.product?.href ?? '').split('/').pop() ?? '';
    const confirmed = await client.POST('/widget-orders/{orderId}/fulfilment', {
      params: { path: { orderId } },
      body: { confirmedBy: 'warehouse-7' },
    });
    expect(confirmed.response.status).toBe(202);
    const order = await waitFor<'widget-order.fulfil'>(client, monitorUrl);
    expect(order).toMatchObject({ id: orderId, status: 'fulfilled' });
  });

  test('cancel(): an order waiting for fulfilment is cancelled; waitFor ends with OperationCancelledError', async () => {
    const accepted = await client.POST('/widget-orders', {
      body: { items: [{ sku: 'WID-RED-07', quantity: 1 }], manualFulfilment: true },
    });
    let cancelling: Promise<AnyMonitor> | undefined;
    const error = await waitFor(client, accepted, {
      onProgress: (m) => {
        if (m.steps.some((s) => s.state === 'waiting')) cancelling ??= cancel(client, m);
      },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(OperationCancelledError);
    expect(error.monitor).toMatchObject({ state: 'cancelled', cancelRequested: true });
    await expect(cancelling).resolves.toMatchObject({ cancelRequested: true });
    // Once finished it cannot be cancelled again.
    await expect(cancel(client, accepted)).rejects.toMatchObject({ name: 'ApiError', status: 409 });
  });

  test('timeoutMs: a wait on an order nobody confirms times out with the last monitor (the order goes on)', async () => {
    const accepted = await client.POST('/widget-orders', {
      body: { items: [{ sku: 'WID-BLUE-01', quantity: 1 }], manualFulfilment: true },
    });
    const error = await waitFor(client, accepted, { timeoutMs: 1500 }).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.monitor).toMatchObject({ state: 'running' });
    expect(error.monitor.steps.find((s: { name: string }) => s.name === 'fulfilment')?.state).toBe('waiting');
    await cancel(client, accepted);
  });

  test('another tenant’s monitor does not exist for the caller: ApiError 404', async () => {
    const accepted = await client.POST('/cars', { body: carSpec });
    const other = createClient({ baseUrl: env.url, apiKey: 'globex-key' });
    const error = await waitFor<'car.create'>(other, accepted.response.headers.get('Location') ?? '').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, problem: { status: 404 } });
    await waitFor(client, accepted);
  });

  test('a failed car is OperationFailedError with the problem', async () => {
    const accepted = await client.POST('/cars', { body: { ...carSpec, color: 'Ultraviolet' } });
    const error = await waitFor(client, accepted).catch((e) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error.problem).toMatchObject({ type: expect.stringContaining('operation-failed') });
  });
});

describe('each wait mode against the real server', { timeout: 60_000 }, () => {
  // A car that takes about 2 s (0.25 × 8 s) and writes ~30 versions (its progress ticks): a plain poll
  // needs several rounds, a long poll one request per version, the event stream one for them all.
  let env: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    env = await startServer(0.25);
  });
  afterAll(async () => {
    await env?.stop();
  });

  /** Builds one car waiting in `mode`: the requests, and the delay from completion to seeing it and to resolving. */
  async function measure(mode: WaitMode) {
    const from = env.log.length;
    let finalMonitor: AnyMonitor | undefined;
    let seenAt = 0;
    const accepted = await env.client.POST('/cars', { body: carSpec });
    const car = await waitFor(env.client, accepted, {
      mode,
      onProgress: (m) => {
        finalMonitor = m;
        seenAt = Date.now();
      },
    });
    const resolvedAt = Date.now();
    const requests = since(env.log, from);
    const finishedAt = Date.parse(finalMonitor?.finishedAt ?? '');
    return {
      mode,
      car,
      requests,
      monitorGets: requests.filter((r) => r.path.startsWith('/monitors/')),
      completionToSeenMs: seenAt - finishedAt,
      completionToResolutionMs: resolvedAt - finishedAt,
    };
  }

  test('poll, long poll, event stream and auto: same car, the requests each makes', async () => {
    const poll = await measure('poll');
    const longPoll = await measure('long-poll');
    const sse = await measure('sse');
    const auto = await measure('auto');

    for (const result of [poll, longPoll, sse, auto]) {
      expect(result.car).toMatchObject({ brand: 'Ford', vin: expect.any(String) });
      expect(result.requests[0]).toMatchObject({ method: 'POST', path: '/cars', status: 202 });
      expect(result.requests.at(-1)).toMatchObject({ method: 'GET', path: `/cars/${result.car.id}`, status: 200 });
    }
    // Poll: conditional GETs spaced by Retry-After, never asking the server to hold.
    expect(poll.monitorGets.every((r) => r.prefer === null && !r.path.endsWith('/events'))).toBe(true);
    // Long poll: every GET held by the server until the next version.
    expect(longPoll.monitorGets.every((r) => r.prefer === 'wait=30' && r.applied === 'wait=30')).toBe(true);
    // Event stream (and auto, which picks it): POST, one stream, the product.
    for (const result of [sse, auto]) {
      expect(result.requests).toHaveLength(3);
      expect(result.monitorGets).toEqual([
        expect.objectContaining({
          path: expect.stringMatching(/\/events$/),
          status: 200,
          contentType: 'text/event-stream',
        }),
      ]);
    }
    const line = (r: typeof poll) =>
      `${r.mode}: ${r.requests.length} requests, completion seen after ${r.completionToSeenMs} ms, resolved after ${r.completionToResolutionMs} ms`;
    console.log(
      `one car (~2 s of work, requests include the POST and the product GET)\n${[poll, longPoll, sse, auto].map(line).join('\n')}`,
    );
  });

  test('sse: a stream that breaks is reopened with Last-Event-ID, and no version is reported twice', async () => {
    const cut = cutFirstStream(env.fetch);
    const client = createClient({ baseUrl: env.url, apiKey: 'acme-key', fetch: cut.fetch });
    const progress: AnyMonitor[] = [];
    const from = env.log.length;
    const accepted = await client.POST('/cars', { body: carSpec });
    const car = await waitFor(client, accepted, { mode: 'sse', random: () => 0, onProgress: (m) => progress.push(m) });

    expect(car.brand).toBe('Ford');
    const streams = since(env.log, from).filter((r) => r.path.endsWith('/events'));
    expect(streams.map((r) => [r.status, r.lastEventId])).toEqual([
      [200, null],
      [200, cut.lastIdPassed()],
    ]);
    expect(cut.lastIdPassed()).toMatch(/^[1-9][0-9]*$/);
    const signatures = progress.map(progressSignature);
    expect(new Set(signatures).size).toBe(signatures.length);
    expect(progress.at(-1)?.state).toBe('succeeded');
  });
});

describe('a user’s middleware (client.use) against the real server', { timeout: 60_000 }, () => {
  let env: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    env = await startServer(0.05);
  });
  afterAll(async () => {
    await env?.stop();
  });

  test('sees every request of a wait in each mode, and of cancel, and what it sets reaches the server', async () => {
    const client = createClient({ baseUrl: env.url, apiKey: 'acme-key', fetch: env.fetch });
    const seen: string[] = [];
    const traced: (string | null)[] = [];
    client.use({
      onRequest({ request }) {
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        const traced = new Request(request);
        traced.headers.set('X-Request-Id', 'trace-from-middleware');
        return traced;
      },
      onResponse({ response }) {
        // The server echoes the request's id: the header the middleware set was sent.
        traced.push(response.headers.get('X-Request-Id'));
        return response;
      },
    });
    const from = env.log.length;
    for (const mode of ['poll', 'long-poll', 'sse', 'auto'] as const) {
      const car = await waitFor(client, await client.POST('/cars', { body: carSpec }), { mode });
      expect(car.brand).toBe('Ford');
    }
    const order = await client.POST('/widget-orders', {
      body: { items: [{ sku: 'WID-BLUE-01', quantity: 1 }], manualFulfilment: true },
    });
    await cancel(client, order);

    const sent = since(env.log, from).map((r) => `${r.method} ${r.path}`);
    // Every request that left the client went through the middleware: polls, long polls, streams,
    // products and the cancel, not only the typed POSTs.
    expect(seen).toEqual(sent);
    expect(sent.filter((r) => /^GET \/monitors\/[^/]+$/.test(r)).length).toBeGreaterThan(1);
    expect(sent.some((r) => r.endsWith('/events'))).toBe(true);
    expect(sent.some((r) => r.endsWith('/cancel'))).toBe(true);
    expect(traced).toEqual(sent.map(() => 'trace-from-middleware'));
  });
});
