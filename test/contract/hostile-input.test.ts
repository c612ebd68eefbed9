/**
 * What a client can send must never break the server nor what it stored, on either store:
 *
 * - arbitrary valid-by-schema requests to every operation, each followed by a read of every list and
 *   item route that shows what was stored: not one 5xx (responses are validated against the spec, so
 *   a stored value an answer cannot show would answer 500);
 * - thousands of hostile requests to every operation, sent byte for byte over raw sockets (odd
 *   encodings and charsets, huge and broken headers, deep JSON, prototype-pollution keys, NUL bytes,
 *   invalid UTF-8, broken framing): not one 5xx, the server still answers after them, and nothing
 *   reached `Object.prototype`.
 */
import { gzipSync } from 'node:zlib';
import { loadBundledSpec } from '@longrun/openapi';
import { startTestServer, TEST_TENANTS, type TestServer } from '@longrun/server/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexedOperation, SpecIndex } from '../../scripts/mock/spec-index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { rawRequest, sendRaw } from './raw-http.ts';
import { type GeneratedRequest, validRequest } from './request-arbitraries.ts';

const spec = new SpecIndex(await loadBundledSpec());
const apiKey = TEST_TENANTS.acme;
/** Operations whose valid requests need a real outside endpoint (a webhook URL) are still sent, broken. */
const writes = spec.operations.filter((operation) => operation.method !== 'get');

interface Answer {
  what: string;
  status: number;
  body: string;
}

/** Every answer of 500 or more among `answers`, described for the failure message. */
function serverErrors(answers: readonly Answer[]): string[] {
  return answers.filter((answer) => answer.status >= 500).map((a) => `${a.what} → ${a.status} ${a.body.slice(0, 300)}`);
}

async function fetchAnswer(server: TestServer, what: string, target: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${target}`, init);
  return { what, status: response.status, body: await response.text() };
}

/**
 * Reads back every list and item route that shows what the tenant stored: the monitor list (every
 * page), each monitor, what it links to (product, related), the webhook subscriptions and their
 * delivery logs, the callback secret and the health check.
 */
async function readEverything(server: TestServer): Promise<Answer[]> {
  const headers = server.headers('acme');
  const answers: Answer[] = [];
  const hrefs = new Set<string>();
  for (const list of ['/monitors', '/webhook-subscriptions']) {
    let next: string | null = `${list}?limit=100`;
    for (let page = 0; next !== null && page < 50; page++) {
      const answer: Answer = await fetchAnswer(server, `GET ${next}`, next, { headers });
      answers.push(answer);
      if (answer.status !== 200) break;
      const body = JSON.parse(answer.body) as {
        items: { links: Record<string, { href: string } | { href: string }[] | undefined> }[];
        next: string | null;
      };
      for (const item of body.items) {
        for (const link of Object.entries(item.links)) {
          const [rel, value] = link;
          if (rel === 'events' || rel === 'cancel') continue;
          for (const one of Array.isArray(value) ? value.slice(0, 3) : value ? [value] : []) hrefs.add(one.href);
        }
      }
      next = body.next;
    }
  }
  for (const href of hrefs) answers.push(await fetchAnswer(server, `GET ${href}`, href, { headers }));
  answers.push(await fetchAnswer(server, 'GET /callback-secret', '/callback-secret', { headers }));
  answers.push(await fetchAnswer(server, 'GET /healthz', '/healthz'));
  return answers;
}

let sent = 0;

/** Sends a generated request, its `Idempotency-Key` made unique (a key drawn twice with another body is rightly a 422). */
function sendGenerated(server: TestServer, request: GeneratedRequest): Promise<Answer> {
  const headers = { ...request.headers };
  if (headers['Idempotency-Key'] !== undefined) headers['Idempotency-Key'] = `${headers['Idempotency-Key']}-${++sent}`;
  return fetchAnswer(server, `${request.method} ${request.target} ${request.body ?? ''}`, request.target, {
    method: request.method,
    headers,
    body: request.body,
  });
}

/** One hostile change to a valid request, as the bytes to send. */
interface Hostility {
  name: string;
  make(request: GeneratedRequest, operation: IndexedOperation): Buffer;
}

type Headers = [string, string | Buffer][];

/** The headers of `request` with `Connection: close`, and `Content-Length` when it has a body. */
function baseHeaders(request: GeneratedRequest, body: Buffer | undefined, skip: readonly string[] = []): Headers {
  const headers: Headers = [['Host', 'longrun.test']];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!skip.includes(name.toLowerCase())) headers.push([name, value]);
  }
  if (body !== undefined && !skip.includes('content-length')) headers.push(['Content-Length', String(body.length)]);
  headers.push(['Connection', 'close']);
  return headers;
}

function withBody(request: GeneratedRequest, body: Buffer, extra: Headers = [], skip: readonly string[] = []): Buffer {
  const headers = baseHeaders(request, body, ['content-type', ...skip]);
  if (!skip.includes('content-type') && !extra.some(([name]) => name.toLowerCase() === 'content-type'))
    headers.push(['Content-Type', 'application/json']);
  return rawRequest(request.method, request.target, [...headers, ...extra], body);
}

function withTarget(request: GeneratedRequest, target: string | Buffer): Buffer {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  return rawRequest(request.method, target, baseHeaders(request, body), body);
}

function withHeaders(request: GeneratedRequest, extra: Headers, skip: readonly string[] = []): Buffer {
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  return rawRequest(request.method, request.target, [...baseHeaders(request, body, skip), ...extra], body);
}

const deep = (depth: number, open: string, close: string, leaf = '1') =>
  Buffer.from(`${open.repeat(depth)}${leaf}${close.repeat(depth)}`);

/** The body of `request` as an object (for members to be added to), or an empty one. */
function bodyObject(request: GeneratedRequest): Record<string, unknown> {
  const parsed = request.body === undefined ? {} : (JSON.parse(request.body) as unknown);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

/** Each member of the body (top level) with `value` instead. */
function everyMember(request: GeneratedRequest, value: string): Buffer {
  const body = bodyObject(request);
  for (const name of Object.keys(body)) body[name] = value;
  return Buffer.from(JSON.stringify(body));
}

const HOSTILITIES: Hostility[] = [
  // Odd encodings and charsets.
  ...['utf-16', 'utf-16le', 'UTF-32', 'latin1', 'utf-7', 'x-unknown', '"utf-8"', 'utf-8; charset=utf-16', ''].map(
    (charset): Hostility => ({
      name: `charset=${charset}`,
      make: (r) => withBody(r, Buffer.from(r.body ?? '{}'), [['Content-Type', `application/json; charset=${charset}`]]),
    }),
  ),
  ...[
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json;;;',
    'application/',
    '*/*',
    'application/merge-patch+json',
    'application/json, text/plain',
    '\u00ff\u00fe',
  ].map(
    (type): Hostility => ({
      name: `Content-Type: ${type}`,
      make: (r) => withBody(r, Buffer.from(r.body ?? '{}'), [['Content-Type', type]]),
    }),
  ),
  {
    name: 'a UTF-16 body with a BOM',
    make: (r) =>
      withBody(r, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(r.body ?? '{}', 'utf16le')]), [
        ['Content-Type', 'application/json; charset=utf-16'],
      ]),
  },
  {
    name: 'a UTF-8 BOM',
    make: (r) => withBody(r, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(r.body ?? '{}')])),
  },
  ...['gzip', 'deflate', 'br', 'zstd', 'compress', 'gzip, gzip', 'identity, gzip', 'x-evil'].map(
    (encoding): Hostility => ({
      name: `Content-Encoding: ${encoding} over plain bytes`,
      make: (r) => withBody(r, Buffer.from(r.body ?? '{}'), [['Content-Encoding', encoding]]),
    }),
  ),
  {
    name: 'a gzip bomb (a megabyte of zeros per kilobyte)',
    make: (r) => withBody(r, gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x30)), [['Content-Encoding', 'gzip']]),
  },
  {
    name: 'a gzipped body that is cut short',
    make: (r) => withBody(r, gzipSync(Buffer.from(r.body ?? '{}')).subarray(0, 12), [['Content-Encoding', 'gzip']]),
  },
  // Invalid UTF-8 and NUL bytes.
  ...[[0xc3, 0x28], [0xff, 0xfe, 0xfd], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x00]].map(
    (bytes): Hostility => ({
      name: `body bytes ${bytes.map((b) => b.toString(16)).join(' ')} inside a string`,
      make: (r) =>
        withBody(
          r,
          Buffer.concat([
            Buffer.from('{"brand":"'),
            Buffer.from(bytes),
            Buffer.from('","items":"'),
            Buffer.from(bytes),
            Buffer.from('"}'),
          ]),
        ),
    }),
  ),
  { name: 'every member a NUL escape', make: (r) => withBody(r, everyMember(r, '\u0000')) },
  { name: 'every member a lone surrogate', make: (r) => withBody(r, everyMember(r, '\ud800')) },
  { name: 'every member a reversed surrogate pair', make: (r) => withBody(r, everyMember(r, '\udc00\ud800')) },
  { name: 'every member control characters', make: (r) => withBody(r, everyMember(r, '\u0001\u001b[2J\r\n\u2028')) },
  { name: 'every member 10,000 characters', make: (r) => withBody(r, everyMember(r, 'x'.repeat(10_000))) },
  { name: 'every member 300 emoji', make: (r) => withBody(r, everyMember(r, '🦄'.repeat(300))) },
  ...[
    '%00',
    '%C3%28',
    '%FF',
    '%ED%A0%80',
    '%',
    '%%',
    '%2',
    '%u0041',
    '%E0%A4%A',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e',
  ].map(
    (percent): Hostility => ({
      name: `path with ${percent}`,
      make: (r) => withTarget(r, `${r.target.split('?')[0]}${percent}`),
    }),
  ),
  ...['%00', '%C3%28', '%', '%%zz', '\u00ff'].map(
    (percent): Hostility => ({
      name: `query value ${percent}`,
      make: (r) =>
        withTarget(r, `${r.target.split('?')[0]}?kind=${percent}&state=${percent}&cursor=${percent}&limit=${percent}`),
    }),
  ),
  {
    name: 'raw non-ASCII bytes in the target',
    make: (r) =>
      withTarget(r, Buffer.concat([Buffer.from(r.target.split('?')[0] ?? '/'), Buffer.from([0xc3, 0xa4, 0xff])])),
  },
  { name: 'an absolute-form target', make: (r) => withTarget(r, `http://evil.example${r.target}`) },
  { name: 'an asterisk target', make: (r) => withTarget(r, '*') },
  { name: 'a target of 2,049 characters', make: (r) => withTarget(r, `${r.target.split('?')[0]}?${'a'.repeat(2048)}`) },
  { name: 'a target of 16 KiB', make: (r) => withTarget(r, `${r.target.split('?')[0]}?${'%41'.repeat(5500)}`) },
  { name: 'a path of 3,000 slashes', make: (r) => withTarget(r, '/'.repeat(3000)) },
  // Prototype pollution.
  ...[
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"items":[{"__proto__":{"polluted":"yes"},"sku":"WID-BLUE-01","quantity":1}]}',
    '{"configuration":{"__proto__":{"polluted":"yes"},"os":"Linux","ram":"1GB","storage":"1GB"}}',
  ].map((body): Hostility => ({ name: `body ${body}`, make: (r) => withBody(r, Buffer.from(body)) })),
  {
    name: 'a valid body with __proto__ added',
    make: (r) => withBody(r, Buffer.from((r.body ?? '{}').replace(/^\{/, '{"__proto__":{"polluted":"yes"},'))),
  },
  ...[
    '__proto__[polluted]=yes',
    'constructor[prototype][polluted]=yes',
    'kind[__proto__][polluted]=yes',
    'state[]=queued&state[]=failed',
    'limit=1&limit=2',
    'kind[$ne]=x',
  ].map(
    (query): Hostility => ({
      name: `query ${query}`,
      make: (r) => withTarget(r, `${r.target.split('?')[0]}?${query}`),
    }),
  ),
  // Deep and odd JSON.
  { name: 'arrays 100,000 deep', make: (r) => withBody(r, deep(100_000, '[', ']')) },
  { name: 'objects 50,000 deep', make: (r) => withBody(r, deep(50_000, '{"a":', '}')) },
  {
    name: 'a member 5,000 objects deep',
    make: (r) => withBody(r, Buffer.from(`{"items":${deep(5000, '{"a":', '}').toString()}}`)),
  },
  {
    name: 'a body of 60,000 members',
    make: (r) => withBody(r, Buffer.from(`{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`)),
  },
  {
    name: 'the same member 50,000 times',
    make: (r) => withBody(r, Buffer.from(`{${Array.from({ length: 50_000 }, () => '"brand":"x"').join(',')}}`)),
  },
  ...[
    '1e400',
    '-0',
    '123456789012345678901234567890',
    '1.7976931348623157e309',
    'NaN',
    'Infinity',
    '"\\u0000"',
    'null',
    'true',
    '[]',
    '""',
    '{',
    '}',
    '{"a":1,}',
    "{'a':1}",
    '{"a":01}',
  ].map((body): Hostility => ({ name: `body ${body}`, make: (r) => withBody(r, Buffer.from(body)) })),
  {
    name: 'numbers out of range in every member',
    make: (r) => withBody(r, Buffer.from(JSON.stringify(bodyObject(r)).replace(/:(-?\d+(\.\d+)?)/g, ':1e400'))),
  },
  // Headers.
  { name: 'a 15 KiB header', make: (r) => withHeaders(r, [['X-Filler', 'x'.repeat(15 * 1024)]]) },
  { name: 'a 64 KiB header', make: (r) => withHeaders(r, [['X-Filler', 'x'.repeat(64 * 1024)]]) },
  {
    name: '3,000 headers',
    make: (r) =>
      withHeaders(
        r,
        Array.from({ length: 3000 }, (_, i): [string, string] => [`X-H${i}`, 'v']),
      ),
  },
  {
    name: 'a NUL byte in a header value',
    make: (r) => withHeaders(r, [['Idempotency-Key', Buffer.from([0x61, 0x00, 0x62])]]),
  },
  {
    name: 'raw non-ASCII in header values',
    make: (r) =>
      withHeaders(r, [
        ['Prefer', Buffer.from([0xc3, 0xa4, 0xff])],
        ['Callback-Url', Buffer.from([0xff, 0xfe])],
      ]),
  },
  { name: 'a header line without a colon', make: (r) => withHeaders(r, [['X-Broken\r\nNoColonHere', 'x']]) },
  { name: 'an obsolete folded header', make: (r) => withHeaders(r, [['Prefer', 'respond-async,\r\n wait=5']]) },
  { name: 'two Content-Length headers that differ', make: (r) => withHeaders(r, [['Content-Length', '1']]) },
  { name: 'Content-Length and Transfer-Encoding', make: (r) => withHeaders(r, [['Transfer-Encoding', 'chunked']]) },
  { name: 'a negative Content-Length', make: (r) => withHeaders(r, [['Content-Length', '-5']], ['content-length']) },
  {
    name: 'Content-Length larger than the body',
    make: (r) => withHeaders(r, [['Content-Length', '99']], ['content-length']),
  },
  {
    name: 'Transfer-Encoding: gzip, chunked',
    make: (r) => withHeaders(r, [['Transfer-Encoding', 'gzip, chunked']], ['content-length']),
  },
  { name: 'Expect: 100-continue', make: (r) => withHeaders(r, [['Expect', '100-continue']]) },
  { name: 'Expect: something', make: (r) => withHeaders(r, [['Expect', 'something-else']]) },
  { name: 'two Authorization headers', make: (r) => withHeaders(r, [['Authorization', 'Bearer test-key-globex']]) },
  {
    name: 'Authorization of 10 KiB',
    make: (r) => withHeaders(r, [['Authorization', `Bearer ${'k'.repeat(10_000)}`]], ['authorization']),
  },
  {
    name: 'Authorization: Basic',
    make: (r) => withHeaders(r, [['Authorization', 'Basic YWNtZTp0ZXN0']], ['authorization']),
  },
  ...[
    'wait=99999999999999999999',
    'wait=-1',
    'wait=1e3',
    'wait=NaN',
    'wait',
    'respond-async;;;,,,wait=',
    'wait="5"',
    `${'wait=1,'.repeat(500)}`,
  ].map(
    (prefer): Hostility => ({
      name: `Prefer: ${prefer.slice(0, 40)}`,
      make: (r) => withHeaders(r, [['Prefer', prefer]], ['prefer']),
    }),
  ),
  ...['*', 'W/"x"', '"a", "b", W/"c"', '"unterminated', ',,,,', '"x"'.repeat(3000)].map(
    (tag): Hostility => ({
      name: `If-None-Match: ${tag.slice(0, 30)}`,
      make: (r) => withHeaders(r, [['If-None-Match', tag]], ['if-none-match']),
    }),
  ),
  ...['99999999999999999999999', '-1', '1.5', 'abc'].map(
    (id): Hostility => ({ name: `Last-Event-ID: ${id}`, make: (r) => withHeaders(r, [['Last-Event-ID', id]]) }),
  ),
  ...['', ' ', 'x'.repeat(300), 'key with spaces', '\u00e4'].map(
    (key): Hostility => ({
      name: `Idempotency-Key: ${JSON.stringify(key.slice(0, 20))}`,
      make: (r) => withHeaders(r, [['Idempotency-Key', key]], ['idempotency-key']),
    }),
  ),
  ...[
    'javascript:alert(1)',
    'http://127.0.0.1/',
    'http://[::1]/',
    `https://a.example.com/${'%41'.repeat(1000)}`,
    'not a url',
    `https://${'a'.repeat(300)}.example.com/`,
  ].map(
    (url): Hostility => ({
      name: `Callback-Url: ${url.slice(0, 40)}`,
      make: (r) => withHeaders(r, [['Callback-Url', url]]),
    }),
  ),
  ...['text/html', 'application/xml', '*/*;q=0', 'application/json;q=0', 'text/event-stream'].map(
    (accept): Hostility => ({ name: `Accept: ${accept}`, make: (r) => withHeaders(r, [['Accept', accept]]) }),
  ),
  { name: 'X-Request-Id of control characters', make: (r) => withHeaders(r, [['X-Request-Id', '\u0001\u0002']]) },
  {
    name: 'an Origin that is not allowed, with a preflight header',
    make: (r) =>
      withHeaders(r, [
        ['Origin', 'null'],
        ['Access-Control-Request-Method', 'DELETE'],
      ]),
  },
  { name: 'X-HTTP-Method-Override: DELETE', make: (r) => withHeaders(r, [['X-HTTP-Method-Override', 'DELETE']]) },
  { name: 'a Range header', make: (r) => withHeaders(r, [['Range', 'bytes=0-1,2-3,-1']]) },
  // Methods and versions.
  ...['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'HEAD', 'get'].map(
    (method): Hostility => ({
      name: `method ${method}`,
      make: (r) =>
        rawRequest(method, r.target, baseHeaders(r, r.body === undefined ? undefined : Buffer.from(r.body)), r.body),
    }),
  ),
  {
    name: 'HTTP/1.0 without Host',
    make: (r) =>
      Buffer.from(`${r.method} ${r.target} HTTP/1.0\r\nAuthorization: ${r.headers.Authorization ?? ''}\r\n\r\n`),
  },
  { name: 'HTTP/2 preface on HTTP/1.1', make: () => Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n') },
  { name: 'a request line of garbage', make: () => Buffer.from('\u0000\u0001\u0002 / HTTP/1.1\r\n\r\n') },
];

/**
 * Bodies refused before anything reaches the store, whose parsing keeps the event loop busy for a
 * while on a small machine: swept once, on the first store.
 */
const HEAVY = new Set([
  'a gzip bomb (a megabyte of zeros per kilobyte)',
  'arrays 100,000 deep',
  'objects 50,000 deep',
  'a member 5,000 objects deep',
  'a body of 60,000 members',
  'the same member 50,000 times',
]);

/** Every hostile request: each hostility applied to a valid request of each of `operations`, with and without a key. */
function hostileRequests(
  operations: readonly IndexedOperation[],
  hostilities: readonly Hostility[] = HOSTILITIES,
): { what: string; bytes: Buffer }[] {
  const requests: { what: string; bytes: Buffer }[] = [];
  for (const [index, operation] of operations.entries()) {
    const [valid] = fc.sample(validRequest(spec, operation, apiKey, { stateFree: true }), { numRuns: 1, seed: index });
    if (valid === undefined) continue;
    const anonymous = {
      ...valid,
      headers: Object.fromEntries(Object.entries(valid.headers).filter(([name]) => name !== 'Authorization')),
    };
    for (const [number, hostility] of hostilities.entries()) {
      // Without a key every request stops at 401: a fifth of them is enough to show it does so safely.
      const callers: [string, GeneratedRequest][] = [['acme', valid]];
      if (number % 5 === 0) callers.push(['no key', anonymous]);
      for (const [who, request] of callers) {
        requests.push({
          what: `${operation.operationId} (${who}): ${hostility.name}`,
          bytes: hostility.make(request, operation),
        });
      }
    }
  }
  return requests;
}

/** Sends every request, `concurrency` at a time. */
async function sendAll(
  server: TestServer,
  requests: readonly { what: string; bytes: Buffer }[],
  concurrency = 8,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const request = requests[next++];
        if (request === undefined) break;
        const answer = await sendRaw(server.url, request.bytes);
        answers.push({ what: request.what, status: answer.status, body: answer.body });
      }
    }),
  );
  return answers;
}

const stores: {
  name: string;
  /** What the sweep is sent to: every operation, or (on a second store) those that store what they are sent. */
  swept: readonly IndexedOperation[];
  hostilities: readonly Hostility[];
  /** Requests sent at once. */
  concurrency: number;
  start(): Promise<{ server: TestServer; stop(): Promise<void> }>;
}[] = [
  {
    name: 'SQLite',
    swept: spec.operations,
    hostilities: HOSTILITIES,
    concurrency: 16,
    async start() {
      const server = await startTestServer(serverOptions);
      return { server, stop: () => server.stop() };
    },
  },
  {
    name: 'PostgreSQL',
    swept: writes,
    // What differs between the stores is what they keep: the heavy bodies, which only parsing
    // meets, are sent to the first store alone. Eight at a time, as a busy server gets them: the
    // requests whose body never comes in full each wait out the request timeout.
    hostilities: HOSTILITIES.filter((hostility) => !HEAVY.has(hostility.name)),
    concurrency: 8,
    async start() {
      const database: TestDatabase = await createTestDatabase();
      const server = await startTestServer({ ...serverOptions, databaseUrl: database.url });
      return {
        server,
        async stop() {
          await server.stop();
          await database.drop();
        },
      };
    },
  },
];

/** Validated responses (a stored value an answer cannot show answers 500), no quota in the way, waits short. */
const serverOptions = {
  validateResponses: true,
  rateLimit: { limit: 1_000_000, windowSeconds: 60 },
  engine: { stopTimeoutMs: 100 },
  // A request whose body never comes in full (a Content-Length larger than the body) ends in a 408.
  http: { headersTimeoutMs: 2_000, requestTimeoutMs: 2_000 },
  push: { outboundAllow: [] as string[] },
} as const;

describe.each(stores)('on $name', { timeout: 600_000 }, (store) => {
  let running: { server: TestServer; stop(): Promise<void> };
  beforeAll(async () => {
    running = await store.start();
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('stores arbitrary valid requests to every operation and reads every route back without a 5xx', async () => {
    const server = running.server;
    const arbitraries = writes.map((operation) => validRequest(spec, operation, apiKey));
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(...arbitraries), { minLength: 1, maxLength: 6 }), async (batch) => {
        const answers = await Promise.all(batch.map((request) => sendGenerated(server, request)));
        requests += answers.length;
        const reads = await readEverything(server);
        requests += reads.length;
        expect(serverErrors([...answers, ...reads])).toEqual([]);
      }),
      { numRuns: 20, endOnFailure: true },
    );
    expect(requests).toBeGreaterThan(100);
  });

  it('answers thousands of hostile requests to every operation without a 5xx, and still serves after them', async () => {
    const server = running.server;
    const requests = hostileRequests(store.swept, store.hostilities);
    expect(requests.length).toBeGreaterThan(1000);
    const answers = await sendAll(server, requests, store.concurrency);
    const unanswered = new Map<string, number>();
    for (const answer of answers.filter((a) => a.status === 0)) {
      const name = answer.what.replace(/^.*?: /, '');
      unanswered.set(name, (unanswered.get(name) ?? 0) + 1);
    }
    console.info(
      `${store.name}: ${answers.length} hostile requests, ${answers.filter((a) => a.status >= 500).length} answered 5xx; closed without an answer: ${JSON.stringify([...unanswered])}`,
    );
    expect(serverErrors(answers)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving, and what it stored still reads back.
    const health = await fetchAnswer(server, 'GET /healthz', '/healthz');
    expect(health.status).toBe(200);
    const car = await fetchAnswer(server, 'POST /cars', '/cars', {
      method: 'POST',
      headers: server.headers('acme'),
      body: JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' }),
    });
    expect(car.status).toBe(202);
    expect(serverErrors(await readEverything(server))).toEqual([]);
  });
});
