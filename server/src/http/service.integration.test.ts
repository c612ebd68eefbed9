/**
 * The service around the routes: `/healthz`, `X-Request-Id`, and CORS so the SDK works in a web
 * page on another origin (preflights allow the contract's request headers; responses expose its
 * response headers).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, BODIES } from '../testing/api-client.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

const ORIGIN = 'https://app.example.com';

/** Comma-separated header names, lower-cased. */
const names = (value: string | null) => (value ?? '').split(',').map((name) => name.trim().toLowerCase());

describe('the service', () => {
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

  it('answers GET /healthz without an API key: ok, its store and version', async () => {
    const answer = await api.request('GET', '/healthz', { anonymous: true });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      status: 'ok',
      store: 'sqlite',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('gives every answer an X-Request-Id, echoing a well-formed one', async () => {
    const made = await api.get('/monitors');
    const other = await api.get('/monitors');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(other.headers.get('x-request-id')).not.toBe(made.headers.get('x-request-id'));
    expect((await api.get('/monitors', { 'X-Request-Id': 'trace-42' })).headers.get('x-request-id')).toBe('trace-42');
    expect((await api.request('GET', '/healthz', { anonymous: true })).headers.get('x-request-id')).toBeTruthy();
  });

  it('answers HEAD like GET, with the same status and headers and no body (RFC 9110 §9.3.2)', async () => {
    const accepted = await api.post('/reindex', BODIES.reindex);
    const href = accepted.headers.get('location') as string;
    const got = await api.get(href);
    const head = await api.request('HEAD', href);
    expect(head.status).toBe(got.status);
    expect(head.headers.get('etag')).toMatch(/^"op_/);
    expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
    expect(await head.text()).toBe('');
    expect((await api.request('HEAD', '/monitors')).status).toBe(200);
  });

  describe('CORS', () => {
    it('answers a preflight from another origin allowing Authorization, Prefer, Idempotency-Key and If-None-Match', async () => {
      const answer = await fetch(`${t.url}/cars`, {
        method: 'OPTIONS',
        headers: {
          Origin: ORIGIN,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization, content-type, prefer, idempotency-key, if-none-match',
        },
      });
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(names(answer.headers.get('access-control-allow-methods'))).toEqual(
        expect.arrayContaining(['get', 'post']),
      );
      expect(names(answer.headers.get('access-control-allow-headers'))).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'prefer', 'idempotency-key', 'if-none-match']),
      );
    });

    it('lets the page read Location, Retry-After, Link, ETag and Preference-Applied', async () => {
      const contract = ['location', 'retry-after', 'link', 'etag', 'preference-applied'];
      const accepted = await api.post('/cars', BODIES.car, { Origin: ORIGIN, Prefer: 'respond-async' });
      expect(accepted.headers.get('access-control-allow-origin')).toBe('*');
      expect(names(accepted.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(contract));
      const monitor = await api.get((await accepted.json()).links.self.href, { Origin: ORIGIN });
      expect(names(monitor.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(contract));
      // Errors too, so a page can read the problem and Retry-After.
      const refused = await api.request('GET', '/monitors', { anonymous: true, headers: { Origin: ORIGIN } });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    });
  });
});

describe('CORS limited to listed origins', () => {
  it('allows a listed origin (and varies on Origin) but not another', async () => {
    const t = await startTestServer({ corsOrigins: [ORIGIN] });
    try {
      const preflight = (origin: string) =>
        fetch(`${t.url}/monitors`, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'GET',
            'Access-Control-Request-Headers': 'authorization',
          },
        });
      const listed = await preflight(ORIGIN);
      expect(listed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      expect(names(listed.headers.get('vary'))).toContain('origin');
      const other = await preflight('https://evil.example.net');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.headers.get('access-control-allow-headers')).toBeNull();
    } finally {
      await t.stop();
    }
  });
});
