import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatefulMockServer, startStatefulMock } from './stateful-mock.ts';

/** Operations that stay queued for the whole test, and ones that finish in 200 ms. */
let slow: StatefulMockServer;
let fast: StatefulMockServer;

beforeAll(async () => {
  [slow, fast] = await Promise.all([
    startStatefulMock({ durationMs: 600_000 }),
    startStatefulMock({ durationMs: 200, queuedMs: 40 }),
  ]);
});
afterAll(async () => {
  await Promise.all([slow?.close(), fast?.close()]);
});

const json = { 'Content-Type': 'application/json' };
const as = (key: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${key}`, ...json, ...extra });
const car = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

async function call(
  mock: StatefulMockServer,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: unknown } = {},
) {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: init.headers ?? as('acme'),
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  const type = response.headers.get('Content-Type') ?? '';
  return {
    status: response.status,
    headers: response.headers,
    body: /json/.test(type) && text ? JSON.parse(text) : text,
  };
}

describe('the stateful mock accepting work', () => {
  it('answers 202 with Location, Retry-After, Link and a queued monitor of its own, echoing the request', async () => {
    const first = await call(slow, 'POST', '/cars', { body: car });
    const second = await call(slow, 'POST', '/cars', { body: car });
    expect(first.status).toBe(202);
    expect(first.headers.get('Location')).toBe(`/monitors/${first.body.id}`);
    expect(first.headers.get('Link')).toBe(`</monitors/${first.body.id}>; rel="monitor"`);
    expect(Number(first.headers.get('Retry-After'))).toBe(30);
    expect(first.headers.get('ETag')).toBe(`"${first.body.id}.1"`);
    expect(first.body).toMatchObject({
      kind: 'car.create',
      state: 'queued',
      request: { method: 'POST', path: '/cars', body: car },
    });
    expect(first.body.id).toMatch(/^op_[0-9A-Z]{26}$/);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('makes an embedded-status resource exist at Location, carrying the monitor’s progress and link', async () => {
    const accepted = await call(slow, 'POST', '/virtual-machines', {
      body: { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } },
    });
    const location = accepted.headers.get('Location') ?? '';
    expect(location).toMatch(/^\/virtual-machines\/vm_/);
    const vm = await call(slow, 'GET', location);
    expect(vm.body).toMatchObject({
      id: location.split('/').at(-1),
      status: 'provisioning',
      progress: accepted.body.progress,
      estimatedCompletionAt: accepted.body.estimatedCompletionAt,
      links: { self: { href: location }, monitor: { href: `/monitors/${accepted.body.id}` } },
    });
    expect(vm.headers.get('ETag')).toMatch(/^".+"$/);
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses it with another body (422)', async () => {
    const headers = as('acme', { 'Idempotency-Key': 'key-1' });
    const first = await call(slow, 'POST', '/transcodes', {
      headers,
      body: { source: 'https://a.example/a.mov', format: 'mp4', resolution: '720p' },
    });
    const retry = await call(slow, 'POST', '/transcodes', {
      headers,
      body: { source: 'https://a.example/a.mov', format: 'mp4', resolution: '720p' },
    });
    const other = await call(slow, 'POST', '/transcodes', {
      headers,
      body: { source: 'https://a.example/b.mov', format: 'mp4', resolution: '720p' },
    });
    expect(retry.body.id).toBe(first.body.id);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ type: 'https://longrun.dev/problems/idempotency-key-reused' });
  });

  it('accepts one reindex at a time: the second gets 409 naming the pending monitor', async () => {
    const first = await call(slow, 'POST', '/reindex', { headers: as('reindexer'), body: { scope: 'all' } });
    const second = await call(slow, 'POST', '/reindex', { headers: as('reindexer'), body: { scope: 'cars' } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      type: 'https://longrun.dev/problems/operation-pending',
      monitor: `/monitors/${first.body.id}`,
    });
    expect(second.headers.get('Link')).toBe(`</monitors/${first.body.id}>; rel="monitor"`);
    expect(second.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('ends in the terminal example named by Prefer: example=…, and lists the outcomes when the name is unknown', async () => {
    const failed = await call(fast, 'POST', '/transcodes', {
      headers: as('acme', { Prefer: 'example=failed, wait=5' }),
      body: { source: 'https://a.example/c.mov', format: 'webm', resolution: '480p' },
    });
    expect(failed.status).toBe(200);
    expect(failed.headers.get('Preference-Applied')).toBe('wait=5');
    expect(failed.body).toMatchObject({
      state: 'failed',
      error: { type: 'https://longrun.dev/problems/operation-failed' },
    });
    const unknown = await call(fast, 'POST', '/cars', {
      headers: as('acme', { Prefer: 'example=exploded' }),
      body: car,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('failed, succeeded');
  });

  it('answers a documented error’s example for Prefer: code=4xx', async () => {
    const limited = await call(slow, 'GET', '/monitors', { headers: as('acme', { Prefer: 'code=429' }) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(limited.body).toMatchObject({ type: 'https://longrun.dev/problems/too-many-requests' });
  });
});

describe('the stateful mock’s monitors', () => {
  it('move queued → running → succeeded; a long poll answers at each change with a new ETag', async () => {
    const accepted = await call(fast, 'POST', '/cars', { body: car });
    const path = `/monitors/${accepted.body.id}`;
    const states: string[] = [accepted.body.state];
    let etag = (await call(fast, 'GET', path)).headers.get('ETag') ?? '';
    for (let polls = 0; polls < 10 && states.at(-1) !== 'succeeded'; polls++) {
      const answer = await call(fast, 'GET', path, {
        headers: as('acme', { Prefer: 'wait=5', 'If-None-Match': etag }),
      });
      expect(answer.status).not.toBe(304);
      expect(answer.headers.get('ETag')).not.toBe(etag);
      etag = answer.headers.get('ETag') ?? '';
      states.push(answer.body.state);
    }
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('succeeded');
    const done = await call(fast, 'GET', path);
    expect(done.status).toBe(201);
    const product = await call(fast, 'GET', done.headers.get('Location') ?? '');
    expect(product.body).toMatchObject({
      vin: expect.any(String),
      links: { self: { href: done.headers.get('Location') } },
    });
  });

  it('answers 304 with ETag, Retry-After and Cache-Control while If-None-Match still matches', async () => {
    const accepted = await call(slow, 'POST', '/cars', { body: car });
    const path = `/monitors/${accepted.body.id}`;
    const first = await call(slow, 'GET', path);
    const again = await call(slow, 'GET', path, {
      headers: as('acme', { 'If-None-Match': first.headers.get('ETag') ?? '' }),
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(again.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(again.headers.get('Cache-Control')).toBe('no-store');
  });

  it('cancels queued work at once (200), then refuses to cancel it again (409)', async () => {
    const accepted = await call(slow, 'POST', '/widget-orders', {
      body: { items: [{ sku: 'WID-BLUE-01', quantity: 1 }] },
    });
    const cancelled = await call(slow, 'POST', `/monitors/${accepted.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', cancelRequested: true });
    const again = await call(slow, 'POST', `/monitors/${accepted.body.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(accepted.body.id);
  });

  it('answers an action on a running operation’s product with its monitor, and 409 once it ended', async () => {
    const running = await call(slow, 'POST', '/widget-orders', {
      body: { items: [{ sku: 'WID-BLUE-01', quantity: 1 }], manualFulfilment: true },
    });
    const orderPath = running.body.links.product.href;
    const confirmed = await call(slow, 'POST', `${orderPath}/fulfilment`, { body: { confirmedBy: 'warehouse-7' } });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body.id).toBe(running.body.id);
    const done = await call(fast, 'POST', '/widget-orders', {
      headers: as('acme', { Prefer: 'wait=5' }),
      body: { items: [{ sku: 'WID-RED-07', quantity: 1 }] },
    });
    const late = await call(fast, 'POST', `${done.body.links.product.href}/fulfilment`, {
      body: { confirmedBy: 'warehouse-7' },
    });
    expect(late.status).toBe(409);
  });

  it('streams its changes as server-sent events, and answers 204 to a client that has the last one', async () => {
    const accepted = await call(fast, 'POST', '/reindex', { headers: as('streamer'), body: { scope: 'all' } });
    const stream = await call(fast, 'GET', `/monitors/${accepted.body.id}/events`, { headers: as('streamer') });
    const ids = [...String(stream.body).matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(stream.headers.get('Content-Type')).toBe('text/event-stream');
    expect(ids.length).toBeGreaterThan(2);
    expect(String(stream.body)).toContain('"state":"succeeded"');
    const caughtUp = await call(fast, 'GET', `/monitors/${accepted.body.id}/events`, {
      headers: as('streamer', { 'Last-Event-ID': String(ids.at(-1)) }),
    });
    expect(caughtUp.status).toBe(204);
  });

  it('answers 406 to an events request whose Accept does not take text/event-stream, as the server does', async () => {
    const accepted = await call(fast, 'POST', '/reindex', { headers: as('negotiator'), body: { scope: 'all' } });
    const events = `/monitors/${accepted.body.id}/events`;
    for (const accept of ['application/json', 'text/event-stream;q=0']) {
      const refused = await call(fast, 'GET', events, { headers: as('negotiator', { Accept: accept }) });
      expect(refused.status, accept).toBe(406);
      expect(refused.headers.get('Content-Type')).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ type: 'https://longrun.dev/problems/not-acceptable', status: 406 });
    }
    const stream = await call(fast, 'GET', events, { headers: as('negotiator', { Accept: 'text/*' }) });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('Content-Type')).toBe('text/event-stream');
  });

  it('answers a read accepted as an operation with the result itself when Prefer: wait lets it finish', async () => {
    const read = await call(fast, 'GET', '/cars/car_01JABCDEF0123456789ABCDEFH', {
      headers: as('acme', { Prefer: 'respond-async, wait=5' }),
    });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 'car_01JABCDEF0123456789ABCDEFH', vin: expect.any(String) });
  });

  it('lists only the caller’s monitors, newest first, in pages linked by rel="next"', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++)
      ids.push((await call(slow, 'POST', '/cars', { headers: as('lister'), body: car })).body.id);
    const page = await call(slow, 'GET', '/monitors?limit=2', { headers: as('lister') });
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(page.headers.get('Link')).toBe(`<${page.body.next}>; rel="next"`);
    const rest = await call(slow, 'GET', page.body.next, { headers: as('lister') });
    expect(rest.body).toMatchObject({ items: [{ id: ids[0] }], next: null });
    const bad = await call(slow, 'GET', '/monitors?cursor=bm9wZQ', { headers: as('lister') });
    expect(bad.status).toBe(400);
  });

  it('hides one key’s monitors and products from another (404)', async () => {
    const accepted = await call(slow, 'POST', '/virtual-machines', {
      body: { configuration: { os: 'Linux', ram: '1GB', storage: '8GB' } },
    });
    expect((await call(slow, 'GET', `/monitors/${accepted.body.id}`, { headers: as('intruder') })).status).toBe(404);
    expect((await call(slow, 'GET', accepted.headers.get('Location') ?? '', { headers: as('intruder') })).status).toBe(
      404,
    );
  });
});

describe('the stateful mock refusing requests', () => {
  it('answers 401 with WWW-Authenticate without a key, 400 to a body that is not JSON, 404 off the spec', async () => {
    const anonymous = await call(slow, 'GET', '/monitors', { headers: {} });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    const garbled = await call(slow, 'POST', '/cars', { body: '{"brand":' });
    expect(garbled.status).toBe(400);
    expect(garbled.body).toMatchObject({ errors: [{ pointer: '/body' }] });
    const nowhere = await call(slow, 'GET', '/nowhere');
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

describe('the stateful mock on a spec without examples', () => {
  // A team's first spec: a product kind whose monitor, product and read operation have no example.
  const builds = {
    openapi: '3.1.0',
    info: { title: 'Builds', version: '1.0.0' },
    paths: {
      '/builds': {
        post: {
          operationId: 'startBuild',
          'x-longrun-async': { kind: 'build.run', product: 'Build' },
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', properties: { ref: { type: 'string' } } } } },
          },
          responses: { '202': { description: 'Accepted.', content: { 'application/json': { schema: {} } } } },
        },
      },
      '/thumbnails': {
        post: {
          operationId: 'renderThumbnail',
          'x-longrun-async': { kind: 'thumbnail.render', product: 'Thumbnail' },
          responses: { '202': { description: 'Accepted.', content: { 'application/json': { schema: {} } } } },
        },
      },
      '/thumbnails/{thumbnailId}': {
        get: {
          operationId: 'getThumbnail',
          // Lower-case ids, unlike the ids the mock mints by default: a minted one must still pass.
          parameters: [
            {
              name: 'thumbnailId',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^thm_[0-9a-z]{26}$' },
            },
          ],
          responses: {
            '200': {
              description: 'The thumbnail.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Thumbnail' } } },
            },
          },
        },
      },
      '/builds/{buildId}': {
        get: {
          operationId: 'getBuild',
          parameters: [{ name: 'buildId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The build.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Build' } } },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Thumbnail: {
          type: 'object',
          required: ['id', 'width'],
          properties: { id: { type: 'string' }, width: { type: 'integer' } },
        },
        Build: {
          type: 'object',
          required: ['id', 'artifact'],
          properties: { id: { type: 'string' }, artifact: { type: 'string', format: 'uri' } },
        },
      },
    },
  };
  let mock: StatefulMockServer;
  beforeAll(async () => {
    mock = await startStatefulMock({ durationMs: 200, queuedMs: 40, document: builds });
  });
  afterAll(() => mock?.close());

  it('links the finished build and answers it, sampled from its schema with its own id', async () => {
    const done = await call(mock, 'POST', '/builds', {
      headers: as('acme', { Prefer: 'wait=5' }),
      body: { ref: 'main' },
    });
    expect(done.body).toMatchObject({ kind: 'build.run', state: 'succeeded' });
    const href: string = done.body.links.product.href;
    expect(href).toMatch(/^\/builds\/bui_[0-9A-Z]{26}$/);
    const build = await call(mock, 'GET', href);
    expect(build.status).toBe(200);
    expect(build.body).toEqual({ id: href.split('/').at(-1), artifact: expect.any(String) });
  });

  it('links no cancel route from a pending monitor, since this spec declares none', async () => {
    const accepted = await call(mock, 'POST', '/builds', { body: { ref: 'main' } });
    expect(accepted.status).toBe(202);
    expect(accepted.body.state).toBe('queued');
    expect(Object.keys(accepted.body.links)).toEqual(['self']);
    const cancel = await call(mock, 'POST', `/monitors/${accepted.body.id}/cancel`);
    expect(cancel.status).toBe(404);
  });

  it('names a product with an id its read operation accepts, whatever pattern that operation gives its id', async () => {
    const done = await call(mock, 'POST', '/thumbnails', { headers: as('acme', { Prefer: 'wait=5' }) });
    const href: string = done.body.links.product.href;
    expect(href).toMatch(/^\/thumbnails\/thm_[0-9a-z]{26}$/);
    const thumbnail = await call(mock, 'GET', href);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.body).toMatchObject({ id: href.split('/').at(-1) });
  });
});
