/**
 * Every error is an RFC 9457 problem (`application/problem+json`) from the registry, with a stable
 * `type`, the registry's title and status, and for validation a `{pointer, message}` per problem.
 * Bad input never answers 500.
 */
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, BODIES } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { HTTP_PROBLEMS, type HttpProblemName } from './problem.ts';

// Servers start inside some tests and compile their validators on first use.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

/** Asserts `answer` is the registry's problem `name` and returns its document. */
async function expectProblem(answer: Response, name: HttpProblemName): Promise<Record<string, unknown>> {
  const { status, title } = HTTP_PROBLEMS[name];
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await answer.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ type: `https://longrun.dev/problems/${name}`, title, status });
  expect(typeof problem.detail).toBe('string');
  return problem;
}

/** The pointers of a validation problem. */
async function pointersOf(answer: Response): Promise<string[]> {
  const problem = await expectProblem(answer, 'validation-failed');
  const errors = problem.errors as { pointer: string; message: string }[];
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(error.message).not.toBe('');
  return errors.map((error) => error.pointer);
}

describe('errors', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer();
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  describe('400 validation-failed, with a pointer into the request', () => {
    it('points at each invalid member of the body', async () => {
      const answer = await api.post('/cars', { brand: 'Ford', model: 1000, turbo: true });
      expect((await pointersOf(answer)).sort()).toEqual(['/body/color', '/body/make', '/body/model', '/body/turbo']);
    });

    it('points at members nested in arrays', async () => {
      const answer = await api.post('/widget-orders', { items: [{ sku: 'WID-BLUE-01', quantity: 0 }] });
      expect(await pointersOf(answer)).toEqual(['/body/items/0/quantity']);
    });

    it('points at the body when it is missing, not an object, or not JSON at all', async () => {
      for (const rawBody of ['', '[1, 2]', '{"brand": "Ford",', 'null']) {
        const pointers = await pointersOf(await api.request('POST', '/cars', { rawBody }));
        expect(pointers.every((pointer) => pointer.startsWith('/body'))).toBe(true);
      }
    });

    it('points at the body when it does not decompress', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const answer = await api.request('POST', '/cars', {
          body: BODIES.car,
          headers: { 'Content-Encoding': encoding },
        });
        expect(await pointersOf(answer)).toEqual(['/body']);
      }
    });

    it('points at invalid query parameters', async () => {
      expect(await pointersOf(await api.get('/monitors?limit=0'))).toEqual(['/query/limit']);
    });

    it('points at invalid path parameters', async () => {
      expect(new Set(await pointersOf(await api.get('/monitors/not-an-id')))).toEqual(new Set(['/params/monitorId']));
      expect(new Set(await pointersOf(await api.get('/cars/CAR!')))).toEqual(new Set(['/params/carId']));
    });

    it('points at invalid headers: an Idempotency-Key with a space or too long, an oversized Prefer', async () => {
      for (const key of ['has space', 'k'.repeat(256)]) {
        const answer = await api.post('/cars', BODIES.car, { 'Idempotency-Key': key });
        expect(await pointersOf(answer)).toEqual(['/headers/idempotency-key']);
      }
      expect(
        await pointersOf(await api.get('/monitors/op_0000000000000000000000', { Prefer: 'x'.repeat(300) })),
      ).toEqual(['/headers/prefer']);
      expect(await (await api.listAll('kind=car.create')).length).toBe(0);
    });
  });

  it('401 unauthorized with WWW-Authenticate, for a missing, unknown or non-Bearer key', async () => {
    const missing = await api.request('GET', '/monitors', { anonymous: true });
    await expectProblem(missing, 'unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="longrun"');
    for (const authorization of ['Bearer not-a-key', 'Basic dXNlcjpwYXNz']) {
      const answer = await api.request('GET', '/monitors', {
        anonymous: true,
        headers: { Authorization: authorization },
      });
      await expectProblem(answer, 'unauthorized');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="longrun", error="invalid_token"');
    }
    // Before anything else is looked at: an unknown path answers 401 too.
    await expectProblem(await api.request('POST', '/nowhere', { anonymous: true }), 'unauthorized');
  });

  it('404 not-found for an unknown path and for a resource that does not exist', async () => {
    await expectProblem(await api.get('/nowhere'), 'not-found');
    await expectProblem(await api.get('/monitors/op_0000000000000000000000/more'), 'not-found');
    for (const path of [
      '/monitors/op_0000000000000000000000',
      '/cars/car_0000000000000000000000',
      '/virtual-machines/vm_0000000000000000000000',
      '/products/prd_0000000000000000000000',
      '/widget-orders/wo_0000000000000000000000',
      '/widgets/wdg_0000000000000000000000',
      '/invoices/inv_0000000000000000000000',
    ]) {
      await expectProblem(await api.get(path), 'not-found');
    }
  });

  it('405 method-not-allowed with Allow', async () => {
    const del = await api.request('DELETE', '/cars');
    await expectProblem(del, 'method-not-allowed');
    expect(del.headers.get('allow')).toBe('POST');
    const put = await api.request('PUT', '/monitors/op_0000000000000000000000', { body: {} });
    await expectProblem(put, 'method-not-allowed');
    expect(put.headers.get('allow')).toBe('GET');
  });

  it('409 operation-finished and 409 not-waiting (operation-pending: see routes/reindex.test.ts)', async () => {
    const done = await (await api.post('/reindex', BODIES.reindex, { Prefer: 'wait=30' })).json();
    await expectProblem(await api.post(`${done.links.self.href}/cancel`), 'operation-finished');

    const order = await (await api.post('/widget-orders', BODIES.widgetOrder, { Prefer: 'wait=30' })).json();
    await expectProblem(await api.post(`${order.links.product.href}/fulfilment`, { confirmedBy: 'x' }), 'not-waiting');
  });

  it('413 content-too-large for a body over the limit', async () => {
    const answer = await api.post('/cars', { ...BODIES.car, brand: 'x'.repeat(1_100_000) });
    await expectProblem(answer, 'content-too-large');
  });

  it('415 unsupported-media-type with Accept-Post, for another media type or charset', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      const answer = await api.request('POST', '/cars', {
        rawBody: JSON.stringify(BODIES.car),
        headers: { 'Content-Type': contentType },
      });
      await expectProblem(answer, 'unsupported-media-type');
      expect(answer.headers.get('accept-post')).toBe('application/json');
    }
  });

  it('422 idempotency-key-reused for the same key with another body', async () => {
    await api.post('/cars', BODIES.car, { 'Idempotency-Key': 'errors-422' });
    await expectProblem(
      await api.post('/cars', { ...BODIES.car, color: 'Red' }, { 'Idempotency-Key': 'errors-422' }),
      'idempotency-key-reused',
    );
  });

  it('carries the X-Request-Id it was sent, or one it made', async () => {
    const echoed = await api.get('/nowhere', { 'X-Request-Id': 'req-123' });
    expect(echoed.headers.get('x-request-id')).toBe('req-123');
    const made = await api.get('/nowhere', { 'X-Request-Id': 'not valid because of spaces' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('429 too-many-requests', () => {
  it('answers with Retry-After once the quota is used up, per tenant', async () => {
    const t = await startTestServer({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const api = new ApiClient(t);
    try {
      for (let i = 0; i < 3; i += 1) {
        const answer = await api.get('/monitors');
        expect(answer.status).toBe(200);
        expect(answer.headers.get('ratelimit')).toMatch(new RegExp(`^"default";r=${2 - i};t=\\d+$`));
        expect(answer.headers.get('ratelimit-policy')).toBe('"default";q=3;w=60');
      }
      const refused = await api.get('/monitors');
      await expectProblem(refused, 'too-many-requests');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.headers.get('ratelimit')).toMatch(/^"default";r=0;t=\d+$/);
      // Another tenant has its own quota.
      expect((await api.get('/monitors', {}, 'globex')).status).toBe(200);
    } finally {
      await t.stop();
    }
  });

  it('counts requests with a wrong key against the caller’s address, so guessing keys is limited too', async () => {
    const t = await startTestServer({ rateLimit: { limit: 3, windowSeconds: 60 } });
    const api = new ApiClient(t);
    try {
      const guess = () =>
        api.request('GET', '/monitors', { anonymous: true, headers: { Authorization: 'Bearer guess' } });
      for (let i = 0; i < 3; i += 1) await expectProblem(await guess(), 'unauthorized');
      const refused = await guess();
      await expectProblem(refused, 'too-many-requests');
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      // A caller with a valid key is counted as its tenant, not its address.
      expect((await api.get('/monitors')).status).toBe(200);
    } finally {
      await t.stop();
    }
  });
});

describe('500 internal-error', () => {
  it('is a problem naming the request id, without internals, for a fault of the server', async () => {
    const t = await startTestServer();
    try {
      // A store that no longer answers: the fault is the server's, never the request's.
      await t.server.store.close();
      const answer = await fetch(`${t.url}/monitors`, { headers: t.headers('acme', { 'X-Request-Id': 'req-500' }) });
      const problem = await expectProblem(answer, 'internal-error');
      expect(problem.detail).toBe('The error was logged with request id req-500.');
      expect(Object.keys(problem).sort()).toEqual(['detail', 'status', 'title', 'type']);
    } finally {
      await t.stop().catch(() => rm(t.dataDir, { recursive: true, force: true }));
    }
  });
});
