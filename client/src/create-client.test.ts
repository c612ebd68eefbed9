import { describe, expect, test } from 'vitest';
import { createClient } from './create-client.ts';
import { getHealth } from './generated/sdk/index.ts';
import { json, scriptedFetch } from './testing/fake-api.ts';

const health = { status: 'ok', store: 'sqlite', version: '0.1.0' };

describe('createClient', () => {
  test('sends typed requests to the base URL with the API key as a bearer token', async () => {
    const server = scriptedFetch([json(202, { id: 'op_1' })]);
    const client = createClient({ baseUrl: 'https://api.test/', apiKey: 'secret', fetch: server.fetch });

    const { response } = await client.POST('/cars', {
      body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' },
    });
    expect(response.status).toBe(202);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: 'https://api.test/cars' });
    expect(server.requests[0]?.headers.get('Authorization')).toBe('Bearer secret');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      brand: 'Ford',
      make: 'Mustang',
      model: 2014,
      color: 'Blue',
    });
  });

  test('returns HTTP errors as values, not exceptions', async () => {
    const problem = {
      type: 'https://longrun.dev/problems/unauthorized',
      title: 'Authentication required',
      status: 401,
    };
    const client = createClient({ baseUrl: 'https://api.test', fetch: scriptedFetch([json(401, problem)]).fetch });
    const answer = await client.GET('/monitors/{monitorId}', { params: { path: { monitorId: 'op_01JABCDEF0123' } } });
    expect(answer.error).toEqual(problem);
    expect(answer.data).toBeUndefined();
  });

  test('gives a hey-api client with the same base URL, key and fetch for the SDK functions', async () => {
    const server = scriptedFetch([json(200, health)]);
    const client = createClient({ baseUrl: 'https://api.test', apiKey: 'secret', fetch: server.fetch });
    const { data } = await getHealth({ client: client.sdkClient });
    expect(data).toEqual(health);
    expect(server.requests[0]?.url).toBe('https://api.test/healthz');
  });

  test('the SDK sends the key to operations that need it', async () => {
    const server = scriptedFetch([json(200, { items: [], next: null })]);
    const client = createClient({ baseUrl: 'https://api.test', apiKey: 'secret', fetch: server.fetch });
    await client.sdkClient.get({ url: '/monitors', security: [{ scheme: 'bearer', type: 'http' }] });
    expect(server.requests[0]?.headers.get('Authorization')).toBe('Bearer secret');
  });

  test('sends the extra headers with every request', async () => {
    const server = scriptedFetch([json(200, health), json(200, health), json(200, health)]);
    const client = createClient({
      baseUrl: 'https://api.test',
      headers: { 'X-Request-Id': 'r1' },
      fetch: server.fetch,
    });
    await client.GET('/healthz');
    await getHealth({ client: client.sdkClient });
    await client.fetchLink('/healthz');
    expect(server.requests.map((r) => r.headers.get('X-Request-Id'))).toEqual(['r1', 'r1', 'r1']);
  });

  test('refuses a relative base URL outside a browser', () => {
    expect(() => createClient({ baseUrl: '/api' })).toThrow(/absolute URL/);
  });
});

describe('a Prefer in the client’s headers', () => {
  const prism = 'code=201, example=succeeded';

  test('is merged into the Prefer of each request, never replaced by it: typed calls, the SDK, fetchLink', async () => {
    const server = scriptedFetch([json(201, {}), json(200, health), json(200, {}), json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test', headers: { Prefer: prism }, fetch: server.fetch });

    await client.POST('/cars', {
      body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' },
      headers: { Prefer: 'wait=10' },
    });
    await getHealth({ client: client.sdkClient, headers: { Prefer: 'respond-async' } });
    await client.fetchLink('/monitors/op_1', { headers: { Prefer: 'wait=30' } });
    await client.fetchLink('/monitors/op_1');
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual([
      'wait=10, code=201, example=succeeded',
      'respond-async, code=201, example=succeeded',
      'wait=30, code=201, example=succeeded',
      prism,
    ]);
  });

  test('yields to the request where both name the same preference, and is never doubled', async () => {
    const server = scriptedFetch([json(200, {}), json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test', headers: { prefer: prism }, fetch: server.fetch });
    await client.fetchLink('/monitors/op_1', { headers: { Prefer: 'code=202, wait=5' } });
    await client.fetchLink('/monitors/op_1', { headers: { Prefer: prism } });
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual(['code=202, wait=5, example=succeeded', prism]);
  });

  test('is not sent to another origin, like the other default headers', async () => {
    const server = scriptedFetch([json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test', headers: { Prefer: prism }, fetch: server.fetch });
    await client.fetchLink('https://cdn.example.com/videos/1', { headers: { Prefer: 'wait=5' } });
    expect(server.requests[0]?.headers.get('Prefer')).toBe('wait=5');
  });

  test('a request body survives the merge', async () => {
    const server = scriptedFetch([json(202, {})]);
    const client = createClient({ baseUrl: 'https://api.test', headers: { Prefer: 'code=202' }, fetch: server.fetch });
    await client.POST('/reindex', { body: { scope: 'cars' } });
    expect(server.requests[0]?.headers.get('Prefer')).toBe('code=202');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ scope: 'cars' });
  });
});

describe('fetchLink', () => {
  test('resolves a link against the base URL and sends the key', async () => {
    const server = scriptedFetch([json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test/v1', apiKey: 'secret', fetch: server.fetch });
    await client.fetchLink('/monitors/op_1', { headers: { Prefer: 'wait=5' } });
    expect(server.requests[0]?.url).toBe('https://api.test/monitors/op_1');
    expect(server.requests[0]?.headers.get('Authorization')).toBe('Bearer secret');
    expect(server.requests[0]?.headers.get('Prefer')).toBe('wait=5');
  });

  test('never sends the key to another origin', async () => {
    const server = scriptedFetch([json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test', apiKey: 'secret', fetch: server.fetch });
    await client.fetchLink('https://cdn.example.com/videos/1');
    expect(server.requests[0]?.headers.get('Authorization')).toBeNull();
  });

  test('accepts JSON and problem documents unless the caller or the client says otherwise', async () => {
    const server = scriptedFetch([json(200, {}), json(200, {}), json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test', fetch: server.fetch });
    await client.fetchLink('/x');
    await client.fetchLink('/x', { headers: { Accept: 'text/event-stream' } });
    const csvClient = createClient({
      baseUrl: 'https://api.test',
      headers: { Accept: 'text/csv' },
      fetch: server.fetch,
    });
    await csvClient.fetchLink('/x');
    expect(server.requests.map((r) => r.headers.get('Accept'))).toEqual([
      'application/json, application/problem+json',
      'text/event-stream',
      'text/csv',
    ]);
  });

  test('lets the caller override a default header', async () => {
    const server = scriptedFetch([json(200, {})]);
    const client = createClient({ baseUrl: 'https://api.test', apiKey: 'secret', fetch: server.fetch });
    await client.fetchLink('/x', { headers: { Authorization: 'Bearer other' } });
    expect(server.requests[0]?.headers.get('Authorization')).toBe('Bearer other');
  });
});
