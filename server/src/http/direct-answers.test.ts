/**
 * Which requests the direct lane takes: an ordinary GET it answers itself; anything else it passes
 * on untouched, before counting it against any quota.
 */
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { TenantDirectory } from './auth.ts';
import { COUNTED_FOR, directAnswers } from './direct-answers.ts';
import type { RequestValidation } from './fast-request-validation.ts';
import type { RouteDefinition } from './typed-route.ts';

const KEY = 'Bearer key-acme';

function lane(options: { checked?: boolean; validates?: boolean; unreadable?: boolean } = {}) {
  const handler = vi.fn(async (_request: { body: unknown }) => ({
    status: 200,
    headers: { ETag: '"x.1"' },
    body: { id: 'x' },
  }));
  const count = vi.fn(async () => {});
  const routes: RouteDefinition[] = [
    { method: 'get', path: '/things/{thingId}', handler: handler as never },
    { method: 'post', path: '/things/{thingId}', handler: handler as never },
  ];
  const validation: RequestValidation = {
    middleware: () => undefined,
    responseChecked: () => options.checked ?? false,
    validated: () =>
      options.validates === false ? undefined : { expressRoute: '/things/:thingId', params: { thingId: 'x' } },
  };
  const readJsonBody = vi.fn((req: Request, _res: Response, next: NextFunction) => {
    if (options.unreadable) {
      next(new Error('unreadable'));
      return;
    }
    req.body = { size: 3 };
    next();
  });
  const { middleware } = directAnswers({
    routes,
    validation,
    tenants: new TenantDirectory([{ tenant: 'acme', key: 'key-acme' }]),
    publicPaths: new Set(['/healthz']),
    servedBeside: (path) => path.toLowerCase().startsWith('/metrics'),
    count,
    readJsonBody,
    logger: { info() {}, warn() {}, error() {}, debug() {} } as never,
  });
  return { middleware, handler, count, readJsonBody };
}

/** Sends `req` through the lane: whether it went on (`next`) or was answered, and what was written. */
async function send(middleware: ReturnType<typeof lane>['middleware'], init: Partial<Request>) {
  const written: { status?: number; body?: string; headers: Record<string, unknown> } = { headers: {} };
  let resolve = (): void => {};
  const ended = new Promise<void>((yes) => {
    resolve = yes;
  });
  const res = {
    statusCode: 200,
    setHeader(name: string, value: unknown) {
      written.headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete written.headers[name.toLowerCase()];
    },
    end(this: { statusCode: number }, body?: string) {
      written.status = this.statusCode;
      written.body = body;
      resolve();
    },
    once() {},
  } as unknown as Response;
  const req = { method: 'GET', headers: {}, originalUrl: '/things/x', path: '/things/x', ...init } as Request;
  let passed = false;
  let failed: unknown;
  const next = vi.fn((error?: unknown) => {
    if (error) failed = error;
    passed = true;
    resolve();
  }) as unknown as NextFunction;
  middleware(req, res, next);
  await ended;
  return { passed, failed, written, req };
}

describe('directAnswers', () => {
  it('answers an ordinary GET itself, counted once, with the handler’s JSON', async () => {
    const { middleware, handler, count } = lane();
    const { passed, written } = await send(middleware, { headers: { authorization: KEY } });
    expect(passed).toBe(false);
    expect(handler).toHaveBeenCalledOnce();
    expect(count).toHaveBeenCalledWith('acme', expect.anything());
    expect(written.status).toBe(200);
    expect(written.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(written.headers.etag).toBe('"x.1"');
    expect(JSON.parse(written.body ?? '')).toEqual({ id: 'x' });
  });

  it('takes a GET with a JSON Content-Type and no body', async () => {
    const { middleware, handler } = lane();
    await send(middleware, { headers: { authorization: KEY, 'content-type': 'application/json' } });
    expect(handler).toHaveBeenCalledOnce();
  });

  const passedOn: [string, Parameters<typeof lane>[0], Partial<Request>][] = [
    ['a POST', {}, { method: 'POST', headers: { authorization: KEY } }],
    ['a HEAD', {}, { method: 'HEAD', headers: { authorization: KEY } }],
    ['a GET with a body', {}, { headers: { authorization: KEY, 'content-length': '2' } }],
    ['a chunked GET', {}, { headers: { authorization: KEY, 'transfer-encoding': 'chunked' } }],
    [
      'a charset other than UTF-8',
      {},
      { headers: { authorization: KEY, 'content-type': 'application/json; charset=latin1' } },
    ],
    ['no API key', {}, { headers: {} }],
    ['an unknown API key', {}, { headers: { authorization: 'Bearer nope' } }],
    ['a response drawn for the spec check', { checked: true }, { headers: { authorization: KEY } }],
    ['a request the fast validation does not let through', { validates: false }, { headers: { authorization: KEY } }],
    ['a public path', {}, { headers: { authorization: KEY }, path: '/healthz' }],
    ['a path a router of the server’s own answers', {}, { headers: { authorization: KEY }, path: '/Metrics' }],
  ];
  for (const [what, options, init] of passedOn) {
    it(`passes on ${what}, uncounted`, async () => {
      const { middleware, handler, count, readJsonBody } = lane(options);
      const { passed } = await send(middleware, init);
      expect(passed).toBe(true);
      expect(handler).not.toHaveBeenCalled();
      expect(count).not.toHaveBeenCalled();
      expect(readJsonBody).not.toHaveBeenCalled();
    });
  }

  const json = { authorization: KEY, 'content-type': 'application/json', 'content-length': '12' };

  it('answers a POST with a plain JSON body itself, its body read by the chain’s reader', async () => {
    const { middleware, handler, count, readJsonBody } = lane();
    const { passed, written } = await send(middleware, { method: 'POST', headers: json });
    expect(passed).toBe(false);
    expect(count).toHaveBeenCalledOnce();
    expect(readJsonBody).toHaveBeenCalledOnce();
    expect(handler.mock.calls[0]?.[0].body).toEqual({ size: 3 });
    expect(written.status).toBe(200);
  });

  it('hands a POST whose body the fast validation refuses to the chain, counted once and marked', async () => {
    const { middleware, handler, count } = lane({ validates: false });
    const { passed, failed, req } = await send(middleware, { method: 'POST', headers: json });
    expect(passed).toBe(true);
    expect(failed).toBeUndefined();
    expect(count).toHaveBeenCalledOnce();
    expect(handler).not.toHaveBeenCalled();
    expect((req as Request & { [COUNTED_FOR]?: string })[COUNTED_FOR]).toBe('acme');
    expect(req.body).toEqual({ size: 3 });
  });

  it('hands a body the reader refuses to the problem handler', async () => {
    const { middleware, handler } = lane({ unreadable: true });
    const { failed } = await send(middleware, { method: 'POST', headers: json });
    expect((failed as Error).message).toBe('unreadable');
    expect(handler).not.toHaveBeenCalled();
  });

  const postsPassedOn: [string, Record<string, string>][] = [
    ['a gzipped body', { ...json, 'content-encoding': 'gzip' }],
    ['a chunked body', { authorization: KEY, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }],
    ['a text body', { ...json, 'content-type': 'text/plain' }],
    ['another charset', { ...json, 'content-type': 'application/json; charset=latin1' }],
    ['a JSON-like media type', { ...json, 'content-type': 'application/merge-patch+json' }],
    ['no API key', { ...json, authorization: '' }],
  ];
  for (const [what, headers] of postsPassedOn) {
    it(`passes on a POST with ${what}, unread and uncounted`, async () => {
      const { middleware, count, readJsonBody } = lane();
      const { passed, req } = await send(middleware, { method: 'POST', headers });
      expect(passed).toBe(true);
      expect(count).not.toHaveBeenCalled();
      expect(readJsonBody).not.toHaveBeenCalled();
      expect((req as Request & { [COUNTED_FOR]?: string })[COUNTED_FOR]).toBeUndefined();
    });
  }
});

describe('directAnswers in front of the application (its listener)', () => {
  /** Sends `init` to the listener: which of the front's steps ran, and what was written. */
  async function sendToListener(
    options: Parameters<typeof lane>[0] & { throws?: boolean },
    init: Partial<Request>,
    refuseTarget = false,
  ) {
    const parts = lane(options);
    const { listener } = directAnswers({
      routes: [{ method: 'get', path: '/things/{thingId}', handler: parts.handler as never }],
      validation: {
        middleware: () => undefined,
        responseChecked: () => options?.checked ?? false,
        validated: () => {
          if (options?.throws) throw new TypeError('unexpected');
          return options?.validates === false
            ? undefined
            : { expressRoute: '/things/:thingId', params: { thingId: 'x' } };
        },
      },
      tenants: new TenantDirectory([{ tenant: 'acme', key: 'key-acme' }]),
      publicPaths: new Set(['/healthz']),
      servedBeside: () => false,
      count: parts.count,
      readJsonBody: parts.readJsonBody,
      logger: { info() {}, warn() {}, error() {}, debug() {} } as never,
    });
    const seen = { began: 0, app: 0, failed: undefined as unknown, status: undefined as number | undefined };
    let settle = (): void => {};
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const res = {
      statusCode: 200,
      setHeader() {},
      removeHeader() {},
      end(this: { statusCode: number }) {
        seen.status = this.statusCode;
        settle();
      },
      once() {},
    } as unknown as Response;
    const req = { method: 'GET', headers: {}, url: '/things/x', ...init } as Request;
    listener({
      begin(_req, _res, next) {
        seen.began += 1;
        if (refuseTarget) throw new Error('target refused');
        next();
      },
      fail(error) {
        seen.failed = error;
        settle();
      },
      app() {
        seen.app += 1;
        settle();
      },
    })(req as never, res as never);
    await settled;
    return { ...seen, ...parts, req };
  }

  it('answers an ordinary GET itself after the first steps, without the application', async () => {
    const seen = await sendToListener({}, { headers: { authorization: KEY } });
    expect(seen).toMatchObject({ began: 1, app: 0, status: 200 });
    expect(seen.handler).toHaveBeenCalledOnce();
    expect(seen.req.originalUrl).toBe('/things/x');
  });

  it('takes a target in absolute form as its origin form', async () => {
    const seen = await sendToListener({}, { url: 'http://api.example.com/things/x', headers: { authorization: KEY } });
    expect(seen).toMatchObject({ began: 1, app: 0, status: 200 });
    expect(seen.req.url).toBe('/things/x');
    expect(seen.req.originalUrl).toBe('/things/x');
  });

  it('hands every other request to the application untouched: no first steps, nothing counted', async () => {
    for (const init of [
      { headers: {} },
      { method: 'HEAD', headers: { authorization: KEY } },
      { url: 'ftp://example.com/things/x', headers: { authorization: KEY } },
    ]) {
      const seen = await sendToListener({}, init);
      expect(seen).toMatchObject({ began: 0, app: 1 });
      expect(seen.count).not.toHaveBeenCalled();
    }
  });

  it('hands a request whose reading throws to the application, instead of letting it escape', async () => {
    const seen = await sendToListener({ throws: true }, { headers: { authorization: KEY } });
    expect(seen).toMatchObject({ began: 0, app: 1 });
    expect(seen.count).not.toHaveBeenCalled();
  });

  it('renders a refusal of its first steps as the problem handler does', async () => {
    const seen = await sendToListener({}, { headers: { authorization: KEY } }, true);
    expect((seen.failed as Error).message).toBe('target refused');
    expect(seen.handler).not.toHaveBeenCalled();
  });

  it('hands a POST whose body the fast validation refuses to the application, counted once and marked', async () => {
    const json = { authorization: KEY, 'content-type': 'application/json', 'content-length': '12' };
    const seen = await sendToListener({ validates: false }, { method: 'POST', headers: json });
    expect(seen).toMatchObject({ began: 1, app: 1 });
    expect(seen.count).toHaveBeenCalledOnce();
    expect((seen.req as Request & { [COUNTED_FOR]?: string })[COUNTED_FOR]).toBe('acme');
  });
});
