/**
 * The validator's per-request work is skipped for requests its own compiled functions accept, and
 * what it refuses is still refused by it, with the same answer, whether or not the fast path has
 * learnt the route.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const TRANSCODE = { source: 'https://media.example.com/raw/a.mov', format: 'mp4', resolution: '1080p' };

/** express-openapi-validator's request step, as the server resolves it. */
const requestValidatorPrototype = () =>
  (
    createRequire(import.meta.resolve('express-openapi-validator'))(
      'express-openapi-validator/dist/middlewares/openapi.request.validator',
    ) as { RequestValidator: { prototype: { validate: (...args: unknown[]) => unknown } } }
  ).RequestValidator.prototype;

/** Requests the spec refuses, each sent raw: what they are and what to send. */
const REFUSED: { what: string; path: string; init: (t: TestServer) => RequestInit }[] = [
  {
    what: 'a body missing a required property',
    path: '/transcodes',
    init: (t) => ({ method: 'POST', headers: t.headers(), body: JSON.stringify({ ...TRANSCODE, format: undefined }) }),
  },
  {
    what: 'a body with a value outside its enum and an unknown property',
    path: '/transcodes',
    init: (t) => ({
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ ...TRANSCODE, format: 'avi', x: 1 }),
    }),
  },
  {
    what: 'a source that is not a URI',
    path: '/transcodes',
    init: (t) => ({
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ ...TRANSCODE, source: 'not a uri' }),
    }),
  },
  {
    what: 'a body that is not an object',
    path: '/transcodes',
    init: (t) => ({ method: 'POST', headers: t.headers(), body: '[1,2]' }),
  },
  {
    what: 'an unknown query parameter',
    path: '/transcodes?debug=1',
    init: (t) => ({ method: 'POST', headers: t.headers(), body: JSON.stringify(TRANSCODE) }),
  },
  {
    what: 'a Prefer header longer than the spec allows',
    path: '/transcodes',
    init: (t) => ({
      method: 'POST',
      headers: t.headers('acme', { Prefer: `wait=${'1'.repeat(300)}` }),
      body: JSON.stringify(TRANSCODE),
    }),
  },
  {
    what: 'a Callback-Url that is not a URI',
    path: '/transcodes',
    init: (t) => ({
      method: 'POST',
      headers: t.headers('acme', { 'Callback-Url': 'not a uri' }),
      body: JSON.stringify(TRANSCODE),
    }),
  },
  {
    what: 'a monitor id the spec refuses',
    path: '/monitors/not%20an%20id',
    init: (t) => ({ headers: t.headers() }),
  },
  {
    what: 'a method the path does not have',
    path: '/transcodes',
    init: (t) => ({ method: 'PUT', headers: t.headers(), body: JSON.stringify(TRANSCODE) }),
  },
];

async function answer(t: TestServer, path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${t.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** An answer without what differs between two servers (ids, times). */
function comparable(result: { status: number; body: unknown }) {
  const body = (result.body ?? {}) as Record<string, unknown>;
  const { instance: _instance, ...rest } = body;
  return { status: result.status, body: rest };
}

describe('fast request validation', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const t of servers.splice(0)) await t.stop();
  });

  it('leaves the validator out of valid requests once it has validated their route', async () => {
    const t = await startTestServer({ engine: { runWorker: false } });
    servers.push(t);
    const validate = vi.spyOn(requestValidatorPrototype(), 'validate');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const accepted = await answer(t, '/transcodes', {
        method: 'POST',
        headers: t.headers(),
        body: JSON.stringify(TRANSCODE),
      });
      expect(accepted.status).toBe(202);
      ids.push((accepted.body as { id: string }).id);
    }
    for (const id of ids) expect((await answer(t, `/monitors/${id}`, { headers: t.headers() })).status).toBe(202);
    // One request per route and content type went through the validator; the other eight did not.
    expect(validate).toHaveBeenCalledTimes(2);
  });

  it('refuses what the validator refuses, with the same answer, before and after it learnt the route', async () => {
    const learnt = await startTestServer({ engine: { runWorker: false } });
    const fresh = await startTestServer({ engine: { runWorker: false } });
    servers.push(learnt, fresh);
    const accepted = await answer(learnt, '/transcodes', {
      method: 'POST',
      headers: learnt.headers(),
      body: JSON.stringify(TRANSCODE),
    });
    expect(accepted.status).toBe(202);
    expect(
      (await answer(learnt, `/monitors/${(accepted.body as { id: string }).id}`, { headers: learnt.headers() })).status,
    ).toBe(202);

    for (const request of REFUSED) {
      const afterLearning = await answer(learnt, request.path, request.init(learnt));
      const beforeLearning = await answer(fresh, request.path, request.init(fresh));
      expect(afterLearning.status, request.what).toBeGreaterThanOrEqual(400);
      expect(afterLearning.status, request.what).toBeLessThan(500);
      expect(comparable(afterLearning), request.what).toEqual(comparable(beforeLearning));
    }
  });
});
