/**
 * The direct lane answers an ordinary GET exactly as the Express chain would: same status, same
 * headers, same body — and leaves every request it is not sure of to the chain.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const TRANSCODE = { source: 'https://media.example.com/raw/a.mov', format: 'mp4', resolution: '1080p' };
const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
const WAITING_ORDER = { items: [{ sku: 'WID-BLUE-01', quantity: 2 }], manualFulfilment: true };

/** What a client sees of an answer, without what differs on every request. */
interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const VARYING = new Set(['date', 'x-request-id', 'ratelimit', 'keep-alive', 'connection']);

async function see(response: Response): Promise<Seen> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!VARYING.has(name)) headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

/**
 * The whole suite, through the server's own listener (the lane in front of Express) or through
 * `server.app` mounted in a server of the user's (the lane as a middleware of the chain).
 */
function laneSuite(label: string, mounted: boolean): void {
  let t: TestServer;
  /** Where the requests go: the server's own listener, or the user's server the application is mounted in. */
  let base: string;
  let outer: Server | undefined;
  /** A widget order waiting for its fulfilment to be confirmed: pending, and unchanged until a test acts on it. */
  let pending: string;
  let finished: string;
  let failed: string;
  let carHref: string;

  beforeAll(async () => {
    // Responses checked on none of the requests: every ordinary GET may take the lane.
    t = await startTestServer({ responseSample: 0, engine: { concurrency: 2 } });
    base = t.url;
    if (mounted) {
      // The application on a server of the user's own: the lane runs as a middleware inside it.
      outer = createHttpServer(t.server.app).listen(0, '127.0.0.1');
      await once(outer, 'listening');
      base = `http://127.0.0.1:${(outer.address() as AddressInfo).port}`;
    }
    const post = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: t.headers('acme', extra),
        body: JSON.stringify(body),
      });
      return (await response.json()) as { id: string };
    };
    finished = (await post('/transcodes', TRANSCODE)).id;
    const car = await post('/cars', CAR);
    failed = (await post('/transcodes', { ...TRANSCODE, source: 'https://media.example.com/raw/a.missing' })).id;
    for (const id of [finished, failed]) await settle(id);
    carHref = (await settle(car.id)).links.product?.href ?? '';
    pending = (await post('/widget-orders', WAITING_ORDER)).id;
    await untilWaiting(pending);
  });

  /** Waits until the server says it holds `count` long polls (its metrics). */
  async function untilHeld(count: number): Promise<void> {
    for (;;) {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      if (new RegExp(`^longrun_long_polls_held(?:\\{[^}]*\\})? ${count}$`, 'm').test(metrics)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Long-polls a monitor until one of its steps waits for a person. */
  async function untilWaiting(id: string): Promise<void> {
    for (;;) {
      const response = await fetch(`${base}/monitors/${id}`, { headers: t.headers('acme', { Prefer: 'wait=1' }) });
      const monitor = (await response.json()) as { steps: { state: string }[] };
      if (monitor.steps.some((step) => step.state === 'waiting')) return;
    }
  }

  /** Long-polls a monitor until it ends. */
  async function settle(id: string): Promise<{ state: string; links: { product?: { href: string } } }> {
    for (;;) {
      const response = await fetch(`${base}/monitors/${id}`, { headers: t.headers('acme', { Prefer: 'wait=20' }) });
      const monitor = (await response.json()) as { state: string; links: { product?: { href: string } } };
      if (['succeeded', 'failed', 'cancelled'].includes(monitor.state)) return monitor;
    }
  }

  afterAll(async () => {
    outer?.closeAllConnections();
    outer?.close();
    await t?.stop();
  });

  /**
   * The same request twice: as sent (the lane may take it), and with an empty query string, which
   * keeps it on the chain (the lane takes only targets without one; the spec's answer is the same).
   */
  async function both(path: string, headers: Record<string, string>): Promise<[Seen, Seen]> {
    const lane = await see(await fetch(`${base}${path}`, { headers }));
    const chain = await see(await fetch(`${base}${path}?`, { headers }));
    return [lane, chain];
  }

  describe(`the direct lane, ${label}`, () => {
    it('answers monitors in each state as the chain does', async () => {
      expect(carHref).toMatch(/^\/cars\//);
      for (const id of [finished, failed]) {
        const [lane, chain] = await both(`/monitors/${id}`, t.headers());
        expect(lane).toEqual(chain);
        expect(lane.status).toBeLessThan(300);
        expect(lane.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(JSON.parse(lane.body)).toMatchObject({ id });
      }
    });

    it('marks its answers for a browser’s origin and echoes the request id, as the chain does', async () => {
      const headers = t.headers('acme', { Origin: 'https://app.example.com', 'X-Request-Id': 'req-lane-1' });
      const laneResponse = await fetch(`${base}/monitors/${finished}`, { headers });
      const chainResponse = await fetch(`${base}/monitors/${finished}?`, { headers });
      expect(laneResponse.headers.get('x-request-id')).toBe('req-lane-1');
      expect(chainResponse.headers.get('x-request-id')).toBe('req-lane-1');
      const [lane, chain] = [await see(laneResponse), await see(chainResponse)];
      expect(lane).toEqual(chain);
      expect(lane.headers['access-control-allow-origin']).toBe('*');
      expect(lane.headers['access-control-expose-headers']).toBeDefined();
    });

    it('answers a pending monitor with its Retry-After and Cache-Control as the chain does', async () => {
      const [lane, chain] = await both(`/monitors/${pending}`, t.headers());
      expect(lane).toEqual(chain);
      expect(lane.status).toBe(202);
      expect(lane.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(lane.headers.etag).toBeDefined();
    });

    it('answers a product read as the chain does', async () => {
      const [lane, chain] = await both(carHref, t.headers());
      expect(lane).toEqual(chain);
      expect(lane.status).toBe(200);
    });

    it('answers 304 to a client that holds the current ETag, as the chain does', async () => {
      const etag = (await fetch(`${base}/monitors/${finished}`, { headers: t.headers() })).headers.get('etag') ?? '';
      const [lane, chain] = await both(`/monitors/${finished}`, t.headers('acme', { 'If-None-Match': etag }));
      expect(lane).toEqual(chain);
      expect(lane.status).toBe(304);
      expect(lane.body).toBe('');
    });

    it("answers 404 for an unknown id and for another tenant's monitor, as the chain does", async () => {
      for (const [path, tenant] of [
        ['/monitors/op_00000000000000000000000000', 'acme'],
        [`/monitors/${finished}`, 'globex'],
      ] as const) {
        const [lane, chain] = await both(path, t.headers(tenant));
        expect(lane).toEqual(chain);
        expect(lane.status).toBe(404);
        expect(lane.headers['content-type']).toBe('application/problem+json');
      }
    });

    it('leaves refusals to the chain: no key, a wrong key, an id the spec refuses, a charset', async () => {
      const cases: [string, Record<string, string>, number][] = [
        [`/monitors/${finished}`, {}, 401],
        [`/monitors/${finished}`, { Authorization: 'Bearer nope' }, 401],
        ['/monitors/not%20an%20id', t.headers(), 400],
        [`/monitors/${finished}`, t.headers('acme', { 'Content-Type': 'application/json; charset=latin1' }), 415],
      ];
      for (const [path, headers, status] of cases) {
        const [lane, chain] = await both(path, headers);
        expect(lane.status).toBe(status);
        expect(chain.status).toBe(status);
        expect(JSON.parse(lane.body)).toEqual(JSON.parse(chain.body));
      }
    });

    it('answers a GET carrying a JSON Content-Type and no body as one without', async () => {
      const plain = await see(
        await fetch(`${base}/monitors/${finished}`, { headers: { Authorization: t.headers().Authorization ?? '' } }),
      );
      const typed = await see(await fetch(`${base}/monitors/${finished}`, { headers: t.headers() }));
      expect(typed).toEqual(plain);
    });

    it('holds a long poll and answers it when the monitor changes', async () => {
      const first = await fetch(`${base}/monitors/${pending}`, { headers: t.headers() });
      const etag = first.headers.get('etag') ?? '';
      await first.text();
      const held = fetch(`${base}/monitors/${pending}`, {
        headers: t.headers('acme', { 'If-None-Match': etag, Prefer: 'wait=20' }),
      });
      // Changed only once the server holds the poll, so the answer is the held one's, not an at-once one.
      await untilHeld(1);
      const cancel = await fetch(`${base}/monitors/${pending}/cancel`, { method: 'POST', headers: t.headers() });
      expect(cancel.status).toBeLessThan(300);
      await cancel.text();
      const answer = await held;
      expect([200, 202]).toContain(answer.status);
      expect(answer.headers.get('etag')).not.toBe(etag);
      expect(answer.headers.get('preference-applied')).toBe('wait=20');
      expect(((await answer.json()) as { cancelRequested?: boolean }).cancelRequested).toBe(true);
    });

    it('counts its requests against the quota the chain counts', async () => {
      const one = await fetch(`${base}/monitors/${finished}`, { headers: t.headers('globex') });
      const two = await fetch(`${base}/monitors/${finished}?`, { headers: t.headers('globex') });
      const remaining = (response: Response) => Number(/r=(\d+)/.exec(response.headers.get('ratelimit') ?? '')?.[1]);
      expect(remaining(two)).toBe(remaining(one) - 1);
    });

    it('answers odd but well-formed GETs as the chain does, never with a 5xx', async () => {
      const key = t.headers().Authorization ?? '';
      const cases: [string, Record<string, string>][] = [
        [`/monitors/${finished}`, { Authorization: key, Prefer: 'wait=abc' }],
        [`/monitors/${finished}`, { Authorization: key, Prefer: `wait=${'9'.repeat(40)}` }],
        [`/monitors/${finished}`, { Authorization: key, Prefer: 'respond-async, wait=0, handling=lenient' }],
        [`/monitors/${finished}`, { Authorization: key, 'If-None-Match': '*' }],
        [`/monitors/${finished}`, { Authorization: key, 'If-None-Match': 'W/"x", "y", garbage' }],
        [`/monitors/${finished}`, { Authorization: key, Accept: 'text/html' }],
        [`/monitors/${finished}`, { Authorization: key, 'Content-Type': 'text/plain' }],
        [`/monitors/${finished}`, { Authorization: `${key}   ` }],
        [`/monitors/${finished}`, { Authorization: key.toLowerCase() }],
        [`/monitors/${finished.toUpperCase()}`, { Authorization: key }],
        [`/monitors/${'a'.repeat(2000)}`, { Authorization: key }],
        [`/monitors/%6Fp_${finished.slice(3)}`, { Authorization: key }],
        ['/monitors/%E2%9C%93', { Authorization: key }],
        ['/monitors/op_%00', { Authorization: key }],
        [`/monitors/${finished}/`, { Authorization: key }],
        [`//monitors/${finished}`, { Authorization: key }],
        [`/monitors/${finished}/events`, { Authorization: key, Accept: 'application/json' }],
        [`${carHref}/`, { Authorization: key }],
      ];
      for (const [path, headers] of cases) {
        const [lane, chain] = await both(path, headers);
        expect(lane.status, `${path} ${JSON.stringify(headers)}`).toBeLessThan(500);
        expect(lane.status, `${path} ${JSON.stringify(headers)}`).toBe(chain.status);
        if (lane.status < 300) expect(JSON.parse(lane.body)).toEqual(JSON.parse(chain.body));
      }
    });

    it('streams the events of a monitor as the chain does', async () => {
      const [lane, chain] = await both(`/monitors/${finished}/events`, t.headers());
      expect(lane.status).toBe(200);
      expect(lane.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(lane).toEqual(chain);
      expect(lane.body).toContain('succeeded');
    });

    /** A POST as sent (the lane may take it) and with a JSON media type the lane leaves to the chain. */
    async function bothPost(path: string, body: string, extra: Record<string, string> = {}): Promise<[Seen, Seen]> {
      const send = async (contentType: string) =>
        see(
          await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { ...t.headers('acme', extra), 'Content-Type': contentType },
            body,
          }),
        );
      return [await send('application/json'), await send('application/json;charset=utf-8')];
    }

    /** An accepted operation's answer with what differs between two operations (ids, times) masked. */
    const masked = (seen: Seen) => ({
      status: seen.status,
      headers: Object.keys(seen.headers).sort(),
      body: seen.body.replace(/\b([a-z]+)_[0-9a-z]{26}\b/g, '$1_ID').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME'),
    });

    it('accepts a POST with a JSON body as the chain does', async () => {
      const [lane, chain] = await bothPost('/transcodes', JSON.stringify(TRANSCODE));
      expect(lane.status).toBe(202);
      expect(masked(lane)).toEqual(masked(chain));
      expect(lane.headers.location).toMatch(/^\/monitors\/op_/);
    });

    it('refuses bodies the spec refuses with the validator’s own answer, counted once', async () => {
      const bodies = [
        JSON.stringify({ ...TRANSCODE, format: undefined }),
        JSON.stringify({ ...TRANSCODE, format: 'avi', extra: 1 }),
        '{"source": ',
        '[1, 2]',
        '"text"',
        '',
        `${JSON.stringify(TRANSCODE).slice(0, -1)}, "__proto__": { "polluted": true } }`,
        // Over the 1 MiB limit: refused on its declared length.
        JSON.stringify({ ...TRANSCODE, source: `https://media.example.com/${'a'.repeat(1_100_000)}` }),
      ];
      for (const body of bodies) {
        const [lane, chain] = await bothPost('/transcodes', body);
        const what = body.slice(0, 120);
        expect(lane.status, what).toBe(chain.status);
        expect(lane.status, what).toBeGreaterThanOrEqual(400);
        expect(lane.status, what).toBeLessThan(500);
        expect(JSON.parse(lane.body), what).toEqual(JSON.parse(chain.body));
      }
      const remaining = (seen: Response) => Number(/r=(\d+)/.exec(seen.headers.get('ratelimit') ?? '')?.[1]);
      const refused = async () =>
        fetch(`${base}/transcodes`, { method: 'POST', headers: t.headers('globex'), body: '{"format": "avi"}' });
      const first = await refused();
      const second = await refused();
      expect(second.status).toBe(400);
      expect(remaining(second)).toBe(remaining(first) - 1);
    });

    it('replays an Idempotency-Key and answers a path that is no route, as the chain does', async () => {
      const key = { 'Idempotency-Key': 'direct-lane-replay' };
      const first = await bothPost('/transcodes', JSON.stringify(TRANSCODE), key);
      const again = await bothPost('/transcodes', JSON.stringify(TRANSCODE), key);
      const id = (seen: Seen) => (JSON.parse(seen.body) as { id: string }).id;
      expect(new Set([id(first[0]), id(first[1]), id(again[0]), id(again[1])]).size).toBe(1);
      const [lane, chain] = await bothPost('/no-such-route', JSON.stringify(TRANSCODE));
      expect(lane).toEqual(chain);
      expect(lane.status).toBe(404);
    });

    it('waits for the outcome within Prefer: wait, as the chain does', async () => {
      const [lane, chain] = await bothPost('/transcodes', JSON.stringify(TRANSCODE), { Prefer: 'wait=20' });
      expect(masked(lane)).toEqual(masked(chain));
      expect([200, 201, 202]).toContain(lane.status);
    });
  });
}

laneSuite("through the server's own listener", false);
laneSuite('through the application mounted in another server', true);
