/**
 * How Prism 5.16 reports a violation of the spec, pinned down against an upstream that breaks it on
 * purpose; the contract suite relies on exactly this (targets.ts `inspect`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismProcess, startPrism } from '../../scripts/mock/prism-process.ts';
import { inspect } from './targets.ts';

const queuedCar = {
  id: 'op_01JABCDEF0123456789ABCDEFG',
  kind: 'car.create',
  state: 'queued',
  progress: { percent: 0 },
  estimatedCompletionAt: null,
  steps: [],
  request: { method: 'POST', path: '/cars' },
  cancelRequested: false,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  links: { self: { href: '/monitors/op_01JABCDEF0123456789ABCDEFG' } },
};

let upstream: Server;
let forwarded = 0;
let strict: PrismProcess;
let lenient: PrismProcess;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    forwarded++;
    request.resume();
    if (request.url === '/cars') {
      // A 202 without its required Location, Retry-After, ETag and Link.
      response.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify(queuedCar));
    } else {
      // A status /healthz does not document.
      response
        .writeHead(418, { 'Content-Type': 'application/problem+json' })
        .end('{"type":"about:blank","title":"Teapot","status":418}');
    }
  });
  upstream.listen(0, '127.0.0.1');
  await new Promise((resolve) => upstream.once('listening', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  [strict, lenient] = await Promise.all([
    startPrism({ mode: 'proxy', upstream: url }),
    startPrism({ mode: 'proxy', upstream: url, errors: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([strict?.stop(), lenient?.stop()]);
  upstream?.closeAllConnections();
  upstream?.close();
});

const carOrder = (base: string, body: unknown = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' }) =>
  new Request(`${base}/cars`, {
    method: 'POST',
    headers: { Authorization: 'Bearer any', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('prism proxy --errors', () => {
  it('replaces an answer that breaks the spec by a 500 VIOLATIONS problem, listing each violation', async () => {
    const request = carOrder(strict.url);
    const response = await fetch(request);
    const exchange = await inspect(request, response);
    expect(response.status).toBe(500);
    expect(response.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ type: 'https://stoplight.io/prism/errors#VIOLATIONS', status: 500 });
    expect(exchange.prismProblem).toBe('https://stoplight.io/prism/errors#VIOLATIONS');
    expect(exchange.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          location: ['response', 'header'],
          severity: 'Error',
          message: expect.stringContaining("'location'"),
        }),
        expect.objectContaining({
          location: ['response', 'header'],
          severity: 'Error',
          message: expect.stringContaining("'retry-after'"),
        }),
      ]),
    );
  });

  it('lets an undocumented error status through, reporting it as a warning in sl-violations', async () => {
    const request = new Request(`${strict.url}/healthz`);
    const response = await fetch(request);
    const exchange = await inspect(request, response);
    expect(response.status).toBe(418);
    expect(exchange.prismProblem).toBeUndefined();
    expect(exchange.violations).toEqual([
      expect.objectContaining({
        location: ['response'],
        severity: 'Warning',
        message: expect.stringContaining('Unable to match the returned status code'),
      }),
    ]);
  });

  it('refuses an invalid request with its own 422, without forwarding it', async () => {
    const before = forwarded;
    const request = carOrder(strict.url, { brand: 'Ford' });
    const response = await fetch(request);
    const exchange = await inspect(request, response);
    expect(response.status).toBe(422);
    expect(exchange.prismProblem).toBe('https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY');
    expect(forwarded).toBe(before);
  });
});

describe('prism proxy without --errors', () => {
  it('forwards the answer unchanged and lists request and response violations in sl-violations', async () => {
    const request = carOrder(lenient.url, { brand: 'Ford' });
    const response = await fetch(request);
    const exchange = await inspect(request, response);
    expect(response.status).toBe(202);
    expect(exchange.violations.map((violation) => violation.location[0])).toEqual(
      expect.arrayContaining(['request', 'response']),
    );
  });
});
