import { describe, expect, test } from 'vitest';
import { cancel } from './cancel.ts';
import { createClient } from './create-client.ts';
import { ApiError } from './errors.ts';
import { json, monitor, scriptedFetch } from './testing/fake-api.ts';

const api = 'https://api.test';
const monitorPath = '/monitors/op_01JABCDEF0123456789ABCDEFG';

function setup(answers: Response[]) {
  const server = scriptedFetch(answers);
  return { server, client: createClient({ baseUrl: api, apiKey: 'secret', fetch: server.fetch }) };
}

describe('cancel', () => {
  test('POSTs the monitor’s links.cancel with the API key and resolves to the monitor it answers', async () => {
    const cancelled = monitor({ state: 'cancelled' });
    const { server, client } = setup([json(200, cancelled)]);

    await expect(cancel(client, monitor({ state: 'queued' }))).resolves.toEqual(cancelled);
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.get('Authorization')}`)).toEqual([
      `POST ${api}${monitorPath}/cancel Bearer secret`,
    ]);
  });

  test('accepts the monitor as JSON, or a problem', async () => {
    const { server, client } = setup([json(200, monitor({ state: 'cancelled' }))]);
    await cancel(client, monitorPath);
    expect(server.requests[0]?.headers.get('Accept')).toBe('application/json, application/problem+json');
  });

  test('a running operation answers 202 with cancelRequested', async () => {
    const requested = { ...monitor({ state: 'running' }), cancelRequested: true };
    const { client } = setup([json(202, requested, { Location: monitorPath })]);
    await expect(cancel(client, `${api}${monitorPath}`)).resolves.toMatchObject({ cancelRequested: true });
  });

  test('takes the accepted answer, following Link rel="monitor" of an embedded-status resource', async () => {
    const { server, client } = setup([json(200, monitor({ state: 'cancelled' }))]);
    const response = json(
      202,
      {},
      {
        Location: '/virtual-machines/vm_1',
        Link: `<${monitorPath}>; rel="monitor"`,
      },
    );
    await cancel(client, { data: {}, response });
    expect(server.requests[0]?.url).toBe(`${api}${monitorPath}/cancel`);
  });

  test('takes a monitor URL, relative to the base URL, ignoring its query', async () => {
    const { server, client } = setup([json(200, monitor({ state: 'cancelled' }))]);
    await cancel(client, `${monitorPath}?x=1`);
    expect(server.requests[0]?.url).toBe(`${api}${monitorPath}/cancel`);
  });

  test('a finished operation cannot be cancelled: ApiError 409 with the problem', async () => {
    const problem = {
      type: 'https://longrun.dev/problems/operation-finished',
      title: 'The operation already finished',
      status: 409,
    };
    const { client } = setup([json(409, problem)]);
    const error = await cancel(client, monitor({ state: 'succeeded' })).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, problem });
  });

  test('an unreachable server is an ApiError with the network error as cause', async () => {
    const cause = new TypeError('fetch failed');
    const client = createClient({
      baseUrl: api,
      fetch: async () => {
        throw cause;
      },
    });
    await expect(cancel(client, monitorPath)).rejects.toMatchObject({ name: 'ApiError', cause });
  });

  test('an answer with no monitor named anywhere is refused before any request', async () => {
    const { server, client } = setup([]);
    await expect(cancel(client, { data: {}, response: json(200, {}) })).rejects.toBeInstanceOf(TypeError);
    expect(server.requests).toHaveLength(0);
  });
});
