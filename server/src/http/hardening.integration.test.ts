/**
 * What a client cannot do to the server over real HTTP: store something that breaks later reads,
 * make it read an oversized body, hold every long poll, exhaust the health check's quota with
 * guessed keys, or get a 400 or a raw path back where a clear problem is promised.
 */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '../operations/ids.ts';
import { providesWebhookStore } from '../operations/ports/webhook-store.ts';
import { ApiClient, BODIES } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

/** What arrived on a raw socket, and how much of the body had been sent when the first byte of the answer came. */
interface RawExchange {
  answer: string;
  bodyBytesSentBeforeAnswer: number;
  msFromHeadersToAnswer: number;
}

/**
 * Sends `head` on a raw socket, then the body in chunks (`bodyChunk`, up to `maxBodyBytes`) only
 * while no answer has come, and reads the answer until the server closes the connection.
 */
function rawExchange(url: string, head: string, bodyChunk: Buffer | undefined, maxBodyBytes: number) {
  const { hostname, port } = new URL(url);
  return new Promise<RawExchange>((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    let sentBeforeAnswer: number | undefined;
    let headersAt = 0;
    let answeredAt = 0;
    const pump = () => {
      while (bodyChunk && sentBeforeAnswer === undefined && sent < maxBodyBytes) {
        sent += bodyChunk.length;
        if (!socket.write(bodyChunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head, () => {
        headersAt = performance.now();
        pump();
      });
    });
    socket.on('data', (chunk) => {
      if (sentBeforeAnswer === undefined) {
        sentBeforeAnswer = sent;
        answeredAt = performance.now();
      }
      answer += chunk.toString('latin1');
    });
    // The server closes after its answer; the client may still be writing (EPIPE / ECONNRESET).
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (sentBeforeAnswer === undefined) reject(error);
    });
    socket.on('close', () =>
      resolve({
        answer,
        bodyBytesSentBeforeAnswer: sentBeforeAnswer ?? sent,
        msFromHeadersToAnswer: answeredAt - headersAt,
      }),
    );
  });
}

describe('bodies over the limit', () => {
  const limit = 64 * 1024;
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer({ bodyLimitBytes: limit });
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers 413 on Content-Length before any of the body is sent, and closes the connection', async () => {
    const head = `POST /cars HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-key-acme\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n`;
    const exchange = await rawExchange(t.url, head, undefined, 0);
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(exchange.answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(exchange.answer).toContain('"type":"https://longrun.dev/problems/content-too-large"');
    expect(exchange.bodyBytesSentBeforeAnswer).toBe(0);
  });

  it('answers a chunked body at the limit, not at its end, and closes the connection', async () => {
    const head = `POST /cars HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test-key-acme\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const data = Buffer.alloc(16 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]);
    const fiftyMegabytes = 50 * 1024 * 1024;
    const exchange = await rawExchange(t.url, head, chunk, fiftyMegabytes);
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(exchange.answer).toMatch(/\r\nconnection: close\r\n/i);
    // Socket buffers on both sides hold a few megabytes at most: far from the 50 MB offered.
    expect(exchange.bodyBytesSentBeforeAnswer).toBeLessThan(fiftyMegabytes / 4);
  });

  it('closes the connection after refusing a request whose body it did not read (no key)', async () => {
    const head = `POST /cars HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n`;
    const exchange = await rawExchange(t.url, head, undefined, 0);
    expect(exchange.answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(exchange.answer).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('still accepts a body within the limit on a kept-alive connection', async () => {
    const accepted = await api.post('/cars', BODIES.car);
    expect(accepted.status).toBe(202);
    expect(api.serverErrors()).toEqual([]);
  });
});

describe('requests refused before anything is stored', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    // Orders left waiting for fulfilment must not hold the stop for the default 30 s.
    t = await startTestServer({ http: { maxHeldPollsPerTenant: 2 }, engine: { stopTimeoutMs: 50 } });
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  it('answers 414 for a target longer than a monitor echoes, and stores nothing', async () => {
    const target = `/reindex?${'a'.repeat(2100)}`;
    const refused = await api.post(target, {}, {}, 'globex');
    expect(refused.status).toBe(414);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({ type: 'https://longrun.dev/problems/uri-too-long', status: 414 });
    const list = await api.get('/monitors', {}, 'globex');
    expect(list.status).toBe(200);
    expect((await list.json()).items).toEqual([]);
  });

  it('answers 415 for a JSON body in a charset other than UTF-8', async () => {
    for (const charset of ['utf-16', 'UTF-16LE', 'utf-32', 'latin1', 'utf-7']) {
      const refused = await api.post('/cars', BODIES.car, {
        'Content-Type': `application/json; charset=${charset}`,
      });
      expect(refused.status, charset).toBe(415);
      expect((await refused.json()).type).toBe('https://longrun.dev/problems/unsupported-media-type');
      expect(refused.headers.get('accept-post')).toBe('application/json');
    }
    const utf8 = await api.post('/cars', BODIES.car, { 'Content-Type': 'application/json; charset=UTF-8' });
    expect(utf8.status).toBe(202);
  });

  it('answers 400 pointing at /path, without echoing it, for a path that does not percent-decode', async () => {
    for (const path of ['/monitors/%E0%A4%A', '/monitors/op_%ZZ', '/cars/%', '/%C0%AF']) {
      const refused = await api.get(path);
      expect(refused.status, path).toBe(400);
      const problem = await refused.json();
      expect(problem.errors).toEqual([{ pointer: '/path', message: expect.stringContaining('percent-encoded') }]);
      expect(JSON.stringify(problem)).not.toContain(path);
    }
  });

  it('answers long polls past the per-tenant cap at once, without applying the wait', async () => {
    const orders = await Promise.all(
      [0, 1, 2].map(async () => {
        const answer = await api.post('/widget-orders', BODIES.manualWidgetOrder, {}, 'globex');
        return (await answer.json()) as { id: string; links: { self: { href: string } } };
      }),
    );
    // Waiting for fulfilment, they do not change until it is confirmed: a poll on them is held.
    for (const order of orders) await api.untilWaiting(order.links.self.href, 'globex');
    const held = new AbortController();
    const holding = orders.slice(0, 2).map((order) =>
      fetch(`${t.url}${order.links.self.href}`, {
        headers: t.headers('globex', { Prefer: 'wait=60' }),
        signal: held.signal,
      }).catch(() => undefined),
    );
    // Both are held once a third is refused its wait; until then the cap is not reached.
    let third: Response;
    for (;;) {
      third = await fetch(`${t.url}${orders[2]?.links.self.href}`, {
        headers: t.headers('globex', { Prefer: 'wait=1' }),
      });
      if (third.headers.get('preference-applied') === null) break;
    }
    expect(third.status).toBe(202);
    // Another tenant is not held back.
    const other = await api.post('/cars', BODIES.car, { Prefer: 'wait=1' }, 'acme');
    expect(other.headers.get('preference-applied')).toContain('wait=1');
    held.abort();
    await Promise.all(holding);
    let again: Response;
    do {
      again = await fetch(`${t.url}${orders[2]?.links.self.href}`, {
        headers: t.headers('globex', { Prefer: 'wait=1' }),
      });
    } while (again.headers.get('preference-applied') === null);
    expect(again.headers.get('preference-applied')).toBe('wait=1');
  });
});

describe('the health check and key guessers', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer({ rateLimit: { limit: 5, windowSeconds: 60 } });
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('keeps /healthz answering to an address that used up its quota guessing keys', async () => {
    for (let guess = 0; guess < 6; guess++) {
      await api.request('GET', '/monitors', { headers: { Authorization: `Bearer guess-${guess}` }, anonymous: true });
    }
    const guessed = await api.request('GET', '/monitors', {
      headers: { Authorization: 'Bearer guess' },
      anonymous: true,
    });
    expect(guessed.status).toBe(429);
    const health = await api.request('GET', '/healthz', { anonymous: true });
    expect(health.status).toBe(200);
  });
});

describe('records that break the spec, stored by an older version or by hand', () => {
  let t: TestServer;
  let api: ApiClient;
  const logged: { msg: string; operationIds?: string[] }[] = [];
  const seeded = { operation: '', subscription: '', car: '' };

  beforeAll(async () => {
    const sink = new Writable({
      write(line, _encoding, done) {
        logged.push(JSON.parse(String(line)));
        done();
      },
    });
    // As `pnpm start` runs (but checking every response, not a sample): a breaking one is logged, not answered 500.
    t = await startTestServer({
      validateResponses: 'log',
      responseSample: 1,
      logger: pino({ level: 'error' }, sink),
      engine: { runWorker: false },
      push: { outboundAllow: '127.0.0.1' },
    });
    api = new ApiClient(t);
    const { store } = t.server;
    const now = new Date();
    const long = `/reindex?${'q'.repeat(3000)}`;
    seeded.operation = newId('op', now);
    await store.createOperation({
      operation: {
        id: seeded.operation,
        tenant: 'acme',
        kind: 'reindex',
        input: {},
        request: { method: 'POST', path: long, body: {} },
        steps: [{ name: 'Not A Step Name', title: 't'.repeat(500), state: 'pending' }] as never,
        estimatedCompletionAt: null,
        lockKey: null,
        callbackUrl: null,
        createdAt: now.toISOString(),
        product: { rel: 'product', href: `/x/${'h'.repeat(3000)}` },
      },
    });
    seeded.car = newId('car', now);
    await store.putResource(
      {
        tenant: 'acme',
        collection: 'cars',
        id: seeded.car,
        operationId: seeded.operation,
        body: { brand: 'b'.repeat(500), model: 'not a year' },
      },
      now,
    );
    if (!providesWebhookStore(store)) throw new Error('the SQLite store keeps webhooks');
    const subscription = await store.webhooks.createSubscription(
      {
        id: newId('whs', now),
        tenant: 'acme',
        url: `http://127.0.0.1/${'u'.repeat(3000)}`,
        description: 'd'.repeat(3000),
        eventTypes: ['monitor.succeeded'],
        secret: `whsec_${'A'.repeat(43)}=`,
        createdAt: now.toISOString(),
      },
      10,
    );
    if (subscription === 'limit-reached') throw new Error('no subscription made');
    seeded.subscription = subscription.id;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('reads every list and item route that shows them without a 5xx, and logs each with its ids', async () => {
    const reads = [
      '/monitors',
      '/monitors?kind=reindex',
      '/monitors?state=queued',
      `/monitors/${seeded.operation}`,
      `/cars/${seeded.car}`,
      '/webhook-subscriptions',
      `/webhook-subscriptions/${seeded.subscription}`,
      `/webhook-subscriptions/${seeded.subscription}/deliveries`,
    ];
    for (const path of reads) {
      const answer = await api.get(path);
      expect(answer.status, path).toBeLessThan(500);
      await answer.arrayBuffer();
    }
    const head = await api.request('HEAD', `/monitors/${seeded.operation}`);
    expect(head.status).toBeLessThan(500);
    const cancelled = await api.post(`/monitors/${seeded.operation}/cancel`);
    expect(cancelled.status).toBeLessThan(500);
    const afterCancel = await api.get(`/monitors/${seeded.operation}`);
    expect(afterCancel.status).toBeLessThan(500);
    expect(api.serverErrors()).toEqual([]);
    const breaking = logged.filter((line) => line.msg === 'response breaks the spec; sent as it is');
    expect(breaking.length).toBeGreaterThan(0);
    expect(breaking.some((line) => line.operationIds?.includes(seeded.operation))).toBe(true);
  });
});

describe('Content-Types a client makes up', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Every response checked: the validator's response step is keyed by the request's media type too.
    t = await startTestServer({ validateResponses: true });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('are answered as the media type they name, and do not make the server keep what it compiled for each', async () => {
    const body = JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' });
    const send = (contentType: string) =>
      fetch(`${t.url}/cars`, { method: 'POST', headers: { ...t.headers(), 'Content-Type': contentType }, body });
    const before = process.memoryUsage().heapUsed;
    const statuses = new Map<number, number>();
    // Each of these once cost the validator a compilation of the route's schemas, kept for good
    // (about 5 MiB and 300 ms each here): 150 of them took most of a minute and 700 MiB.
    for (let i = 0; i < 150; i++) {
      const contentType = [
        `application/json; x-request=${i}`,
        `Application/JSON; charset=utf-8; v=${i}`,
        `garbage-${i}`,
      ][i % 3] as string;
      const response = await send(contentType);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      await response.arrayBuffer();
    }
    expect(Object.fromEntries(statuses)).toEqual({ 202: 100, 415: 50 });
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(150 * 2 ** 20);
    // Still served as before: a plain JSON request, and one the spec refuses.
    expect((await send('application/json')).status).toBe(202);
    expect((await send('text/plain')).status).toBe(415);
  });
});

describe('request targets in absolute form (RFC 9112 §3.2.2), which a server must accept', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer();
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers them as the same path and query in origin form: a monitor read, an accept, a list', async () => {
    const accepted = await api.post('/cars', BODIES.car);
    const { id } = (await accepted.json()) as { id: string };
    const key = t.headers().Authorization;
    const read = await rawExchange(
      t.url,
      `GET http://api.example.com/monitors/${id} HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: ${key}\r\nConnection: close\r\n\r\n`,
      undefined,
      0,
    );
    expect(read.answer).toMatch(/^HTTP\/1\.1 20[012] /);
    expect(read.answer).toContain(`"id":"${id}"`);

    const body = JSON.stringify(BODIES.car);
    const accept = await rawExchange(
      t.url,
      `POST HTTP://api.example.com:8080/cars HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: ${key}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      undefined,
      0,
    );
    expect(accept.answer).toMatch(/^HTTP\/1\.1 202 /);
    expect(accept.answer).toMatch(/\r\nlocation: \/monitors\/op_/i);

    const list = await rawExchange(
      t.url,
      `GET http://api.example.com/monitors?limit=1 HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: ${key}\r\nConnection: close\r\n\r\n`,
      undefined,
      0,
    );
    expect(list.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(api.serverErrors()).toEqual([]);
  });
});
