/**
 * Which requests the direct lane takes: an ordinary GET it answers itself; anything else it passes
 * on untouched, before counting it against any quota.
 */
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it, vi } from 'vitest';
import { TenantDirectory } from './auth.ts';
import { directAnswers } from './direct-answers.ts';
import type { RequestValidation } from './fast-request-validation.ts';
import type { RouteDefinition } from './typed-route.ts';

const KEY = 'Bearer key-acme';

function lane(options: { checked?: boolean; validates?: boolean } = {}) {
  const handler = vi.fn(async () => ({ status: 200, headers: { ETag: '"x.1"' }, body: { id: 'x' } }));
  const count = vi.fn(async () => {});
  const routes: RouteDefinition[] = [{ method: 'get', path: '/things/{thingId}', handler: handler as never }];
  const validation: RequestValidation = {
    middleware: () => undefined,
    responseChecked: () => options.checked ?? false,
    validated: () =>
      options.validates === false ? undefined : { expressRoute: '/things/:thingId', params: { thingId: 'x' } },
  };
  const middleware = directAnswers({
    routes,
    validation,
    tenants: new TenantDirectory([{ tenant: 'acme', key: 'key-acme' }]),
    publicPaths: new Set(['/healthz']),
    count,
    logger: { info() {}, warn() {}, error() {}, debug() {} } as never,
  });
  return { middleware, handler, count };
}

/** Sends `req` through the lane: whether it went on (`next`) or was answered, and what was written. */
async function send(middleware: ReturnType<typeof lane>['middleware'], init: Partial<Request>) {
  const written: { status?: number; body?: string; headers: Record<string, unknown> } = { headers: {} };
  let resolve = (): void => {};
  let reject = (_error: unknown): void => {};
  const ended = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
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
  const next = vi.fn((error?: unknown) => {
    if (error) reject(error);
    passed = true;
    resolve();
  }) as unknown as NextFunction;
  middleware(req, res, next);
  await ended;
  return { passed, written };
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
  ];
  for (const [what, options, init] of passedOn) {
    it(`passes on ${what}, uncounted`, async () => {
      const { middleware, handler, count } = lane(options);
      const { passed } = await send(middleware, init);
      expect(passed).toBe(true);
      expect(handler).not.toHaveBeenCalled();
      expect(count).not.toHaveBeenCalled();
    });
  }
});
