/**
 * Property-based tests of the real server with requests generated from the spec (fast-check):
 *
 * - a valid request to an operation that needs no prior state gets a documented 2xx;
 * - a valid request to any operation gets a documented answer, never a 5xx;
 * - a request broken in one way gets a 4xx problem+json, never a 5xx.
 *
 * Valid requests go through `prism proxy --errors`, which also confirms they are valid and checks each
 * answer, headers included. Broken ones go to the server directly (Prism cannot forward a body that is
 * not JSON) and their answers are checked by replaying them through Prism (response-validator.ts).
 */
import { loadBundledSpec } from '@longrun/openapi';
import { startTestServer, TEST_TENANTS, type TestServer } from '@longrun/server/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrismProcess, startPrism } from '../../scripts/mock/prism-process.ts';
import { type IndexedOperation, SpecIndex } from '../../scripts/mock/spec-index.ts';
import { brokenRequest, canBreak, type GeneratedRequest, validRequest } from './request-arbitraries.ts';
import { type ResponseValidator, startResponseValidator } from './response-validator.ts';
import { describeObjections, type Exchange, inspect } from './targets.ts';

const spec = new SpecIndex(await loadBundledSpec());
/** Prism compiles a validator the first time it sees each operation and status: the first runs are slow. */
const propertyTimeoutMs = 180_000;
const apiKey = TEST_TENANTS.acme;

/** Operations whose requests the generator cannot make valid without a real outside endpoint (webhook URLs). */
const needsOutsideEndpoint = (operation: IndexedOperation) => spec.schemaRequires(operation.requestBody?.schema, 'url');
const generatable = spec.operations.filter((operation) => !needsOutsideEndpoint(operation));
/** Operations a valid request succeeds on whatever the server holds: no id in the path. */
const stateFree = generatable.filter((operation) => !operation.parameters.some((parameter) => parameter.in === 'path'));
const breakable = spec.operations.filter(canBreak);

let server: TestServer;
let prism: PrismProcess;
let validator: ResponseValidator;

beforeAll(async () => {
  server = await startTestServer();
  [prism, validator] = await Promise.all([
    startPrism({ mode: 'proxy', upstream: server.url }),
    startResponseValidator(),
  ]);
});
afterAll(async () => {
  await Promise.all([prism?.stop(), validator?.stop()]);
  await server?.stop();
});

let sent = 0;

/**
 * Sends a generated request to `baseUrl`. A valid request's `Idempotency-Key` is made unique here: a key
 * drawn twice (shrinking draws the same one again) with another body is rightly refused with 422.
 */
function send(baseUrl: string, request: GeneratedRequest): Promise<Response> {
  const headers = { ...request.headers };
  if (request.breakage === undefined && headers['Idempotency-Key'] !== undefined) {
    headers['Idempotency-Key'] = `${headers['Idempotency-Key']}-${++sent}`;
  }
  return fetch(`${baseUrl}${request.target}`, { method: request.method, headers, body: request.body });
}

function objections(exchange: Exchange): boolean {
  return exchange.violations.length > 0 || exchange.prismProblem !== undefined;
}

function explain(request: GeneratedRequest, exchange: Exchange, body: string): string {
  return `${request.method} ${request.target}${request.breakage ? ` (${request.breakage})` : ''}\n${JSON.stringify(request.headers)}\n${request.body ?? ''}\n→ ${exchange.status} ${body.slice(0, 600)}\n${describeObjections([exchange])}`;
}

/** Whether a refusal is the documented one-at-a-time 409 of an operation that names the pending monitor. */
function isOneAtATimeRefusal(operation: IndexedOperation, status: number, body: string): boolean {
  const conflict = operation.responses.find((response) => response.code === '409');
  return status === 409 && spec.schemaRequires(conflict?.schema, 'monitor') && body.includes('operation-pending');
}

describe('generated requests against the real server', () => {
  it('draws valid requests for every operation but those that need an outside endpoint', () => {
    expect(generatable.length).toBeGreaterThan(10);
    expect(spec.operations.filter(needsOutsideEndpoint).map((operation) => operation.operationId)).toEqual([
      'createWebhookSubscription',
    ]);
    expect(stateFree.map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining([
        'createCar',
        'createVirtualMachine',
        'createTranscode',
        'startReindex',
        'createWidgetOrder',
        'listMonitors',
      ]),
    );
  });

  it('every operation that takes parameters or a body documents the 400 the server answers when they break its schema', () => {
    const undocumented = spec.operations
      .filter((operation) => operation.parameters.length > 0 || operation.requestBody !== undefined)
      .filter((operation) => !operation.responses.some((response) => response.code === '400'))
      .map((operation) => `${operation.operationId} (${operation.method.toUpperCase()} ${operation.path})`);
    expect(
      undocumented,
      'these answer an undocumented 400 to an invalid parameter: add `400: BadRequest` to them',
    ).toEqual([]);
  });

  it(
    'a valid request to an operation that needs no prior state gets a documented 2xx',
    async () => {
      const requests = fc
        .constantFrom(...stateFree)
        .chain((operation) => validRequest(spec, operation, apiKey, { stateFree: true }));
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const operation = spec.operation(request.operationId);
          const response = await send(prism.url, request);
          const exchange = await inspect(
            new Request(`${prism.url}${request.target}`, { method: request.method }),
            response,
          );
          const body = await response.text();
          expect(objections(exchange), explain(request, exchange, body)).toBe(false);
          const succeeded = response.status >= 200 && response.status < 300;
          expect(
            succeeded || isOneAtATimeRefusal(operation, response.status, body),
            explain(request, exchange, body),
          ).toBe(true);
        }),
        {
          numRuns: 60,
          examples: [
            // Found by this property: an order of 100 widgets links 101 related resources, over the 100 the monitor allows.
            [
              {
                operationId: 'createWidgetOrder',
                method: 'POST',
                target: '/widget-orders',
                headers: { Prefer: 'wait=5', Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
                body: JSON.stringify({
                  items: [
                    { sku: 'WID-BLUE-01', quantity: 54 },
                    { sku: 'WID-RED-07', quantity: 46 },
                  ],
                }),
              },
            ],
          ],
        },
      );
    },
    propertyTimeoutMs,
  );

  it(
    'a valid request to any operation gets a documented answer, never a 5xx',
    async () => {
      const requests = fc.constantFrom(...generatable).chain((operation) => validRequest(spec, operation, apiKey));
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const response = await send(prism.url, request);
          const exchange = await inspect(
            new Request(`${prism.url}${request.target}`, { method: request.method }),
            response,
          );
          const body = await response.text();
          expect(objections(exchange), explain(request, exchange, body)).toBe(false);
          expect(response.status, explain(request, exchange, body)).toBeLessThan(500);
        }),
        { numRuns: 100 },
      );
    },
    propertyTimeoutMs,
  );

  it(
    'a request broken in one way gets a 4xx problem+json, never a 5xx, valid against the spec',
    async () => {
      const requests = fc.constantFrom(...breakable).chain((operation) => brokenRequest(spec, operation, apiKey));
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          const response = await send(server.url, request);
          const answer = {
            status: response.status,
            headers: response.headers,
            body: new Uint8Array(await response.arrayBuffer()),
          };
          const body = Buffer.from(answer.body).toString('utf8');
          const exchange = await validator.validate(request.method, request.target, answer);
          const why = explain(request, exchange, body);
          expect(response.status, why).toBeGreaterThanOrEqual(400);
          expect(response.status, why).toBeLessThan(500);
          expect(response.headers.get('Content-Type'), why).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(body), why).toMatchObject({
            type: expect.any(String),
            title: expect.any(String),
            status: response.status,
          });
          expect(objections(exchange), why).toBe(false);
        }),
        { numRuns: 200 },
      );
    },
    propertyTimeoutMs,
  );
});
