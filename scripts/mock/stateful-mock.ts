/**
 * The stateful mock: every async operation of the spec served from its examples alone, with no
 * handler code. An accepted request gets a monitor of its own that moves queued → running →
 * succeeded (or the outcome asked for) over a configurable time and then links the example product.
 *
 * What it reads from the spec, and nothing else:
 * - `x-longrun-async` (via the generated `asyncOperations`): which operations accept work, and of what kind;
 * - the `202` example of each: the queued monitor; the `200`/`201` monitor examples: the outcomes;
 * - the example product (`links.product`) and the examples of the operation that reads it;
 * - a `409` whose schema names a `monitor`: the kind accepts one request at a time;
 * - every other operation: its lowest `2xx` example, as Prism answers it;
 * - the declared response headers: their examples, where the mock computes no value of its own.
 *
 * Prism directives work here too: `Prefer: example=failed` on an accepting request chooses the
 * outcome (any terminal monitor example of the operation), and `Prefer: code=<4xx|5xx>` on any
 * request answers that documented error's example.
 *
 * The parts, in the order a request meets them: exchange.ts (reading and answering), accept.ts,
 * monitor-routes.ts, product-routes.ts, over the state of mock-state.ts; docs/mock.md tells the whole.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadBundledSpec } from '@longrun/openapi';
import { accept } from './accept.ts';
import {
  bearerKey,
  bodyLimitBytes,
  type Exchange,
  example,
  exposedHeaders,
  header,
  problem,
  readBody,
} from './exchange.ts';
import type { MockState } from './mock-state.ts';
import { cancel, getMonitor, listMonitors, streamEvents } from './monitor-routes.ts';
import { monitorPaths, readKindTemplates } from './monitor-templates.ts';
import { parsePreferences } from './preferences.ts';
import { answersWithMonitor, product, productAction } from './product-routes.ts';
import { type JsonObject, SpecIndex } from './spec-index.ts';

/** Settings of the stateful mock. */
export interface StatefulMockOptions {
  /**
   * Time from acceptance to the outcome, in milliseconds.
   * @default 5000
   */
  durationMs?: number;
  /**
   * Time an accepted request stays `queued`, in milliseconds.
   * @default a fifth of `durationMs`
   */
  queuedMs?: number;
  /** The bundled spec. @default the longrun spec (`@longrun/openapi`) */
  document?: JsonObject;
  /**
   * Bounds of `Retry-After`, in whole seconds, computed from the estimated completion time.
   * @default { min: 1, max: 30 }
   */
  retryAfter?: { min: number; max: number };
}

/** A running stateful mock. */
export interface StatefulMockServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open long polls. */
  close(): Promise<void>;
}

/**
 * Starts the stateful mock on `port` (0 picks a free one).
 * @example
 * const mock = await startStatefulMock({ durationMs: 300 });
 * const car = await waitFor(createClient({ baseUrl: mock.url, apiKey: 'any' }), await longrun.POST('/cars', { body }));
 */
export async function startStatefulMock(
  options: StatefulMockOptions & { port?: number; host?: string } = {},
): Promise<StatefulMockServer> {
  const handler = await createStatefulMockHandler(options);
  const server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      console.error('stateful mock: unexpected error', error);
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/problem+json' });
      response.end(
        JSON.stringify({
          type: 'https://longrun.dev/problems/internal-error',
          title: 'Internal server error',
          status: 500,
        }),
      );
    });
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Serves one request. `parsed` is the body when the server in front has already read and parsed it
 * (the validating front); without it the handler reads the body itself.
 */
export type StatefulMockHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  parsed?: { body: unknown },
) => Promise<void>;

/** A Node request handler serving the stateful mock (for mounting it in another server). */
export async function createStatefulMockHandler(options: StatefulMockOptions = {}): Promise<StatefulMockHandler> {
  const spec = new SpecIndex(options.document ?? (await loadBundledSpec()));
  const durationMs = options.durationMs ?? 5000;
  const state: MockState = {
    spec,
    templates: readKindTemplates(spec),
    durationMs,
    queuedMs: options.queuedMs ?? Math.round(durationMs / 5),
    retryBounds: options.retryAfter ?? { min: 1, max: 30 },
    operations: new Map(),
    idempotencyKeys: new Map(),
  };

  return async function handle(request, response, parsed) {
    const url = new URL(request.url ?? '/', 'http://mock.invalid');
    const method = (request.method ?? 'GET').toLowerCase();
    if (method === 'options') {
      response
        .writeHead(204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': header(request, 'access-control-request-headers') ?? '*',
          'Access-Control-Expose-Headers': exposedHeaders,
        })
        .end();
      return;
    }
    const match = spec.match(method, url.pathname);
    if (match === undefined || match === 'method-not-allowed') {
      const status = match === undefined ? 404 : 405;
      const title = match === undefined ? 'Not found' : 'Method not allowed';
      const type = match === undefined ? 'not-found' : 'method-not-allowed';
      const body = JSON.stringify({
        type: `https://longrun.dev/problems/${type}`,
        title,
        status,
        detail: `No ${method.toUpperCase()} ${url.pathname} in the spec.`,
      });
      response.writeHead(status, { 'Content-Type': 'application/problem+json' }).end(body);
      return;
    }

    const controller = new AbortController();
    response.once('close', () => controller.abort());
    const exchange: Exchange = {
      request,
      response,
      url,
      operation: match.operation,
      params: match.params,
      body: undefined,
      tenant: bearerKey(header(request, 'authorization')) ?? '',
      preferences: parsePreferences(request.headers.prefer),
      signal: controller.signal,
    };

    const raw = parsed === undefined ? await readBody(request) : Buffer.alloc(0);
    if (parsed !== undefined) exchange.body = parsed.body;
    if (raw === 'too-large')
      return problem(exchange, '413', { detail: `Bodies are limited to ${bodyLimitBytes} bytes.` });
    if (raw.length > 0) {
      if (!/^application\/([\w.+-]+\+)?json\b/i.test(header(request, 'content-type') ?? '')) {
        return problem(exchange, '415', { detail: 'Send the body as application/json.' });
      }
      try {
        exchange.body = JSON.parse(raw.toString('utf8'));
      } catch {
        return problem(exchange, '400', {
          detail: 'The body is not valid JSON.',
          extensions: { errors: [{ pointer: '/body', message: 'is not valid JSON' }] },
        });
      }
    }
    if (match.operation.secured && exchange.tenant === '') {
      return problem(exchange, '401', { detail: 'Send an API key as "Authorization: Bearer <key>".' });
    }

    const code = exchange.preferences.get('code');
    if (typeof code === 'string' && !code.startsWith('2') && match.operation.responses.some((r) => r.code === code)) {
      return example(exchange);
    }
    const { operation } = match;
    if (operation.path === monitorPaths.monitor && method === 'get') return getMonitor(state, exchange);
    if (operation.path === monitorPaths.cancel) return cancel(state, exchange);
    if (operation.path === monitorPaths.events) return streamEvents(state, exchange);
    if (operation.path === monitorPaths.list) return listMonitors(state, exchange);
    const kind = operation.async === undefined ? undefined : state.templates.get(operation.async.kind);
    if (kind !== undefined && (method !== 'get' || exchange.preferences.has('respond-async')))
      return accept(state, exchange, kind);

    const owners = [...state.operations.values()].filter((candidate) => candidate.productHref !== undefined);
    const owner = (test: (href: string) => boolean) =>
      owners.findLast((candidate) => test(candidate.productHref as string));
    const ownedProduct = method === 'get' ? owner((href) => href === url.pathname) : undefined;
    if (ownedProduct !== undefined) {
      if (ownedProduct.tenant !== exchange.tenant)
        return problem(exchange, '404', { detail: `No resource at ${url.pathname}.` });
      return product(state, exchange, ownedProduct);
    }
    const actionOwner = method === 'post' ? owner((href) => url.pathname.startsWith(`${href}/`)) : undefined;
    if (actionOwner !== undefined && actionOwner.tenant === exchange.tenant && answersWithMonitor(spec, operation)) {
      return productAction(state, exchange, actionOwner);
    }
    return example(exchange);
  };
}
