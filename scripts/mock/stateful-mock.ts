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
 * @see ../../docs/mock.md
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadBundledSpec } from '@longrun/openapi';
import { type KindTemplates, monitorPaths, readKindTemplates, terminalStates } from './monitor-templates.ts';
import { type MockOperation, type MonitorSnapshot, monitorAt } from './monitor-timeline.ts';
import { type Preferences, parsePreferences, waitSeconds } from './preferences.ts';
import { type IndexedOperation, type IndexedResponse, isObject, type JsonObject, SpecIndex } from './spec-index.ts';

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

/** Longest `Prefer: wait` honoured, in seconds (the contract's bound). */
const maxWaitSeconds = 60;
/** Largest body read, as the server's limit. */
const bodyLimitBytes = 1024 * 1024;
/** Response headers the contract lets browsers read. */
const exposedHeaders = 'Location, Retry-After, Link, ETag, Preference-Applied, Content-Location';

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

/** One request, read and authenticated. */
interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  operation: IndexedOperation;
  params: Record<string, string>;
  body: unknown;
  tenant: string;
  preferences: Preferences;
  /** Aborted when the client goes away (ends long polls). */
  signal: AbortSignal;
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
  const templates = readKindTemplates(spec);
  const durationMs = options.durationMs ?? 5000;
  const queuedMs = options.queuedMs ?? Math.round(durationMs / 5);
  const retryBounds = options.retryAfter ?? { min: 1, max: 30 };
  const operations = new Map<string, MockOperation>();
  const idempotencyKeys = new Map<string, { body: string; id: string }>();

  const visible = (tenant: string, id: string | undefined) => {
    const operation = id === undefined ? undefined : operations.get(id);
    return operation?.tenant === tenant ? operation : undefined;
  };
  const retryAfter = (snapshot: MonitorSnapshot) => {
    if (snapshot.estimatedCompletionAt === undefined) return retryBounds.min;
    const seconds = Math.ceil((snapshot.estimatedCompletionAt - Date.now()) / 1000);
    return Math.min(retryBounds.max, Math.max(retryBounds.min, seconds));
  };
  const monitorHref = (id: string) => `/monitors/${id}`;
  const monitorLink = (id: string) => `<${monitorHref(id)}>; rel="monitor"`;
  const etagOf = (operation: MockOperation, snapshot: MonitorSnapshot) => `"${operation.id}.${snapshot.version}"`;

  /** Holds until the monitor differs from `version` (or from `etag`), terminates, or `seconds` pass. */
  async function waitForChange(
    operation: MockOperation,
    seconds: number,
    signal: AbortSignal,
    done: (s: MonitorSnapshot) => boolean,
  ) {
    const deadline = Date.now() + seconds * 1000;
    let snapshot = monitorAt(operation, Date.now());
    while (!done(snapshot) && snapshot.nextChangeAt !== undefined && Date.now() < deadline && !signal.aborted) {
      const until = Math.min(snapshot.nextChangeAt, deadline);
      await sleep(Math.max(0, until - Date.now()) + 1, undefined, { signal }).catch(() => undefined);
      snapshot = monitorAt(operation, Date.now());
    }
    return snapshot;
  }

  /** The status and headers of a monitor answer: 202 while pending, 201 → product, 200 otherwise. */
  function monitorAnswer(operation: MockOperation, snapshot: MonitorSnapshot) {
    if (!terminalStates.has(snapshot.state)) {
      return { code: '202', headers: { 'Retry-After': retryAfter(snapshot), 'Cache-Control': 'no-store' } };
    }
    if (snapshot.state === 'succeeded' && operation.productHref !== undefined) {
      return { code: '201', headers: { Location: operation.productHref } };
    }
    return { code: '200', headers: {} };
  }

  async function accept(exchange: Exchange, kind: KindTemplates): Promise<void> {
    const { tenant, operation, preferences } = exchange;
    if (kind.oneAtATime) {
      const pending = [...operations.values()].find(
        (candidate) =>
          candidate.tenant === tenant &&
          candidate.kind === kind.kind &&
          !terminalStates.has(monitorAt(candidate, Date.now()).state),
      );
      if (pending !== undefined) {
        const snapshot = monitorAt(pending, Date.now());
        return problem(exchange, '409', {
          detail: `${pending.kind} ${pending.id} is ${snapshot.state}; retry after it finishes.`,
          extensions: { monitor: monitorHref(pending.id) },
          headers: { Link: monitorLink(pending.id), 'Retry-After': retryAfter(snapshot) },
        });
      }
    }

    const key = header(exchange.request, 'idempotency-key');
    const bodyText = JSON.stringify(exchange.body ?? null);
    const keyed = key === undefined ? undefined : `${tenant}\u0000${key}`;
    const replayed = keyed === undefined ? undefined : idempotencyKeys.get(keyed);
    if (replayed !== undefined && replayed.body !== bodyText) {
      return problem(exchange, '422', { detail: `Idempotency-Key "${key}" was first used for another request body.` });
    }

    let accepted = replayed === undefined ? undefined : operations.get(replayed.id);
    if (accepted === undefined) {
      const outcomeKey = preferences.get('example');
      const outcome = kind.outcomes.get(typeof outcomeKey === 'string' ? outcomeKey : 'succeeded');
      if (outcome === undefined) {
        const known = [...kind.outcomes.keys()].join(', ');
        return problem(exchange, '400', {
          detail: `No outcome "${String(outcomeKey)}" for ${operation.operationId}; its examples end in: ${known}.`,
          extensions: { errors: [{ pointer: '/headers/prefer', message: `example must be one of: ${known}` }] },
        });
      }
      const id = mintId('op_');
      const productId = kind.product === undefined ? undefined : mintId(`${kind.product.id.split('_')[0]}_`);
      const replacements = new Map<string, string>(kind.exampleMonitorIds.map((exampleId) => [exampleId, id]));
      if (kind.product !== undefined && productId !== undefined) replacements.set(kind.product.id, productId);
      accepted = {
        id,
        tenant,
        kind: kind.kind,
        acceptedAt: Date.now(),
        durationMs,
        queuedMs,
        request: {
          method: operation.method.toUpperCase(),
          path: `${exchange.url.pathname}${exchange.url.search}`,
          ...(exchange.body === undefined ? {} : { body: exchange.body }),
        },
        queued: replaceStrings(kind.queued, replacements) as JsonObject,
        outcome: replaceStrings(outcome, replacements) as JsonObject,
        productHref:
          kind.product === undefined ? undefined : (replaceStrings(kind.product.href, replacements) as string),
        productFromStart: kind.productFromStart,
      };
      operations.set(id, accepted);
      if (keyed !== undefined) idempotencyKeys.set(keyed, { body: bodyText, id });
    }

    const isRead = operation.method === 'get';
    const wait = waitSeconds(preferences, maxWaitSeconds);
    let snapshot = monitorAt(accepted, Date.now());
    if (wait !== undefined && wait > 0) {
      snapshot = await waitForChange(accepted, wait, exchange.signal, (s) => terminalStates.has(s.state));
    }
    const applied =
      [isRead ? 'respond-async' : undefined, wait === undefined ? undefined : `wait=${wait}`]
        .filter(Boolean)
        .join(', ') || undefined;
    if (isRead && wait !== undefined && snapshot.state === 'succeeded') {
      // A read accepted as an operation that finished in time answers its result itself (RFC 7240 §4.3).
      return send(exchange, '200', { headers: { 'Preference-Applied': applied }, body: snapshot.monitor.result });
    }
    if (terminalStates.has(snapshot.state) && wait !== undefined && !isRead) {
      const answer = monitorAnswer(accepted, snapshot);
      return send(exchange, answer.code, {
        headers: {
          ...(answer.code === '201' ? { Location: accepted.productHref } : {}),
          'Content-Location': monitorHref(accepted.id),
          ETag: etagOf(accepted, snapshot),
          Link: monitorLink(accepted.id),
          'Preference-Applied': applied,
        },
        body: snapshot.monitor,
      });
    }
    return send(exchange, '202', {
      headers: {
        ETag: etagOf(accepted, snapshot),
        Location:
          kind.acceptLocation === 'product' && accepted.productHref ? accepted.productHref : monitorHref(accepted.id),
        'Retry-After': retryAfter(snapshot),
        Link: monitorLink(accepted.id),
        'Preference-Applied': applied,
      },
      body: snapshot.monitor,
    });
  }

  async function getMonitor(exchange: Exchange): Promise<void> {
    const operation = visible(exchange.tenant, exchange.params.monitorId);
    if (operation === undefined)
      return problem(exchange, '404', { detail: `No monitor ${exchange.params.monitorId}.` });
    const wait = waitSeconds(exchange.preferences, maxWaitSeconds);
    const ifNoneMatch = header(exchange.request, 'if-none-match');
    let snapshot = monitorAt(operation, Date.now());
    const held = ifNoneMatch === undefined || etagMatches(ifNoneMatch, etagOf(operation, snapshot));
    if (wait !== undefined && wait > 0 && held && !terminalStates.has(snapshot.state)) {
      const version = snapshot.version;
      snapshot = await waitForChange(operation, wait, exchange.signal, (s) => s.version !== version);
    }
    const etag = etagOf(operation, snapshot);
    const applied = wait === undefined ? undefined : `wait=${wait}`;
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag)) {
      return send(exchange, '304', {
        headers: {
          ETag: etag,
          'Retry-After': retryAfter(snapshot),
          'Cache-Control': 'no-store',
          'Preference-Applied': applied,
        },
      });
    }
    const answer = monitorAnswer(operation, snapshot);
    return send(exchange, answer.code, {
      headers: { ...answer.headers, ETag: etag, Link: monitorLink(operation.id), 'Preference-Applied': applied },
      body: snapshot.monitor,
    });
  }

  /**
   * The monitor's changes as server-sent events: the monitor now, then one event per change, closed
   * after the terminal one; `204` when `Last-Event-ID` already is the terminal version.
   * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
   */
  async function streamEvents(exchange: Exchange): Promise<void> {
    const operation = visible(exchange.tenant, exchange.params.monitorId);
    if (operation === undefined)
      return problem(exchange, '404', { detail: `No monitor ${exchange.params.monitorId}.` });
    const lastEventId = Number(header(exchange.request, 'last-event-id') ?? Number.NaN);
    let snapshot = monitorAt(operation, Date.now());
    if (terminalStates.has(snapshot.state) && lastEventId >= snapshot.version) return send(exchange, '204', {});
    const declared = exchange.operation.responses.find((response) => response.code === '200');
    exchange.response.writeHead(200, {
      'Content-Type': declared?.mediaType ?? 'text/event-stream',
      'Cache-Control': 'no-store',
      Link: monitorLink(operation.id),
      ...(header(exchange.request, 'origin') === undefined ? {} : { 'Access-Control-Allow-Origin': '*' }),
    });
    exchange.response.write('retry: 2000\n\n');
    let sent = Number.isFinite(lastEventId) ? lastEventId : 0;
    for (;;) {
      if (snapshot.version > sent) {
        exchange.response.write(
          `id: ${snapshot.version}\nevent: monitor\ndata: ${JSON.stringify(snapshot.monitor)}\n\n`,
        );
        sent = snapshot.version;
      }
      if (terminalStates.has(snapshot.state) || exchange.signal.aborted) break;
      const version = snapshot.version;
      snapshot = await waitForChange(operation, 15, exchange.signal, (s) => s.version !== version);
      if (snapshot.version === version && !exchange.signal.aborted) exchange.response.write(': keep-alive\n\n');
    }
    exchange.response.end();
  }

  function cancel(exchange: Exchange): Promise<void> {
    const operation = visible(exchange.tenant, exchange.params.monitorId);
    if (operation === undefined)
      return problem(exchange, '404', { detail: `No monitor ${exchange.params.monitorId}.` });
    const before = monitorAt(operation, Date.now());
    if (terminalStates.has(before.state)) {
      return problem(exchange, '409', {
        detail: `Operation ${operation.id} ended ${before.state}; it cannot be cancelled.`,
        headers: { Link: monitorLink(operation.id) },
      });
    }
    operation.cancelRequestedAt ??= Date.now();
    const after = monitorAt(operation, Date.now());
    if (after.state === 'cancelled') {
      return send(exchange, '200', { headers: { Link: monitorLink(operation.id) }, body: after.monitor });
    }
    return send(exchange, '202', {
      headers: {
        ETag: etagOf(operation, after),
        Location: monitorHref(operation.id),
        'Retry-After': retryAfter(after),
        Link: monitorLink(operation.id),
      },
      body: after.monitor,
    });
  }

  function listMonitors(exchange: Exchange): Promise<void> {
    const query = exchange.url.searchParams;
    const limit = Number(query.get('limit') ?? 20);
    const cursor = query.get('cursor');
    const offset = cursor === null ? 0 : decodeCursor(cursor);
    if (offset === undefined) {
      return problem(exchange, '400', {
        detail: 'The cursor is not one this server issued.',
        extensions: { errors: [{ pointer: '/query/cursor', message: 'is not a cursor this server issued' }] },
      });
    }
    const now = Date.now();
    const matching = [...operations.values()]
      .filter((operation) => operation.tenant === exchange.tenant)
      .reverse()
      .map((operation) => monitorAt(operation, now))
      .filter((snapshot) => (query.get('state') ?? snapshot.state) === snapshot.state)
      .filter((snapshot) => (query.get('kind') ?? snapshot.monitor.kind) === snapshot.monitor.kind);
    const items = matching.slice(offset, offset + limit).map((snapshot) => snapshot.monitor);
    let next: string | null = null;
    if (offset + limit < matching.length) {
      const params = new URLSearchParams();
      for (const name of ['state', 'kind']) {
        const value = query.get(name);
        if (value !== null) params.set(name, value);
      }
      params.set('cursor', Buffer.from(`o${offset + limit}`).toString('base64url'));
      params.set('limit', String(limit));
      next = `/monitors?${params.toString()}`;
    }
    return send(exchange, '200', {
      headers: { Link: next === null ? undefined : `<${next}>; rel="next"` },
      body: { items, next },
    });
  }

  /** A product a monitor links: the example of its read operation, its ids and shared fields made this operation's. */
  function product(exchange: Exchange, owner: MockOperation): Promise<void> {
    const snapshot = monitorAt(owner, Date.now());
    const response = lowest2xx(exchange.operation);
    const examples = response?.examples ?? [];
    // A resource's examples are listed in lifecycle order: the first while it is made, the last once done.
    const example = snapshot.state === 'succeeded' ? examples.at(-1) : examples[0];
    const kind = templates.get(owner.kind);
    const replacements = new Map<string, string>(
      kind?.exampleMonitorIds.map((exampleId) => [exampleId, owner.id]) ?? [],
    );
    if (kind?.product !== undefined && owner.productHref !== undefined) {
      replacements.set(kind.product.id, owner.productHref.split('/').at(-1) ?? kind.product.id);
    }
    const body = replaceStrings(example?.value, replacements);
    if (isObject(body)) {
      // An embedded-status resource carries its operation's progress and ETA.
      for (const field of ['progress', 'estimatedCompletionAt'] as const) {
        if (field in body) body[field] = snapshot.monitor[field];
      }
    }
    return send(exchange, response?.code ?? '200', { headers: { Link: monitorLink(owner.id) }, body });
  }

  /** An action on a product (`POST /widget-orders/{id}/fulfilment`): answers the product's monitor. */
  function productAction(exchange: Exchange, owner: MockOperation): Promise<void> {
    const snapshot = monitorAt(owner, Date.now());
    if (terminalStates.has(snapshot.state)) {
      return problem(exchange, '409', {
        detail: `${owner.kind} ${owner.id} ended ${snapshot.state}; nothing is waiting for this action.`,
        headers: { Link: monitorLink(owner.id) },
      });
    }
    return send(exchange, '202', {
      headers: {
        ETag: etagOf(owner, snapshot),
        Location: monitorHref(owner.id),
        'Retry-After': retryAfter(snapshot),
        Link: monitorLink(owner.id),
      },
      body: snapshot.monitor,
    });
  }

  /** Any other operation: the example Prism would answer (`code`/`example` directives honoured). */
  function example(exchange: Exchange): Promise<void> {
    const { operation, preferences } = exchange;
    const code = preferences.get('code');
    const response =
      (typeof code === 'string' ? operation.responses.find((candidate) => candidate.code === code) : undefined) ??
      lowest2xx(operation) ??
      operation.responses[0];
    if (response === undefined) return send(exchange, '204', {});
    const key = preferences.get('example');
    const chosen = response.examples.find((candidate) => candidate.key === key) ?? response.examples[0];
    return send(exchange, response.code, { body: chosen?.value });
  }

  /** An error response: its first example, with `detail`, extension members and headers of this request. */
  function problem(
    exchange: Exchange,
    code: string,
    details: { detail?: string; extensions?: JsonObject; headers?: Record<string, unknown> },
  ): Promise<void> {
    const response = exchange.operation.responses.find((candidate) => candidate.code === code);
    const base = isObject(response?.examples[0]?.value)
      ? response.examples[0].value
      : { type: 'about:blank', title: 'Error', status: Number(code) };
    const body = {
      ...base,
      ...(details.detail === undefined ? {} : { detail: details.detail }),
      ...details.extensions,
    };
    // An error the operation does not document still answers a problem (the Prism in front reports it).
    return send(exchange, code, { headers: details.headers, body });
  }

  /**
   * Writes an answer with exactly the headers the spec declares for it: the values given, else the
   * declared example of each required header. Throws when a required header has neither.
   */
  async function send(
    exchange: Exchange,
    code: string,
    answer: { headers?: Record<string, unknown> | undefined; body?: unknown },
  ): Promise<void> {
    const { response, operation } = exchange;
    const declared = operation.responses.find((candidate) => candidate.code === code);
    const given = new Map(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const headers: Record<string, string> = {};
    for (const spec of declared?.headers ?? []) {
      const name = spec.name.toLowerCase();
      let value = given.get(name);
      if (value === undefined && name === 'etag' && answer.body !== undefined) value = contentTag(answer.body);
      if (value === undefined && spec.required) value = spec.example;
      if (value === undefined) continue;
      headers[spec.name] = String(value);
    }
    const missing = (declared?.headers ?? []).filter((spec) => spec.required && headers[spec.name] === undefined);
    if (missing.length > 0) {
      throw new Error(
        `${operation.operationId} ${code}: no value for required header(s) ${missing.map((h) => h.name).join(', ')}`,
      );
    }
    if (header(exchange.request, 'origin') !== undefined) {
      headers['Access-Control-Allow-Origin'] = '*';
      headers['Access-Control-Expose-Headers'] = exposedHeaders;
    }
    if (answer.body === undefined || code === '304') {
      response.writeHead(Number(code), headers).end();
      return;
    }
    const payload = JSON.stringify(answer.body);
    headers['Content-Type'] =
      declared?.mediaType ?? (Number(code) >= 400 ? 'application/problem+json' : 'application/json');
    headers['Content-Length'] = String(Buffer.byteLength(payload));
    response.writeHead(Number(code), headers).end(payload);
  }

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
    if (operation.path === monitorPaths.monitor && method === 'get') return getMonitor(exchange);
    if (operation.path === monitorPaths.cancel) return cancel(exchange);
    if (operation.path === monitorPaths.events) return streamEvents(exchange);
    if (operation.path === monitorPaths.list) return listMonitors(exchange);
    const kind = operation.async === undefined ? undefined : templates.get(operation.async.kind);
    if (kind !== undefined && (method !== 'get' || exchange.preferences.has('respond-async')))
      return accept(exchange, kind);

    const owners = [...operations.values()].filter((candidate) => candidate.productHref !== undefined);
    const owner = (test: (href: string) => boolean) =>
      owners.findLast((candidate) => test(candidate.productHref as string));
    const ownedProduct = method === 'get' ? owner((href) => href === url.pathname) : undefined;
    if (ownedProduct !== undefined) {
      if (ownedProduct.tenant !== exchange.tenant)
        return problem(exchange, '404', { detail: `No resource at ${url.pathname}.` });
      return product(exchange, ownedProduct);
    }
    const actionOwner = method === 'post' ? owner((href) => url.pathname.startsWith(`${href}/`)) : undefined;
    if (actionOwner !== undefined && actionOwner.tenant === exchange.tenant && answersWithMonitor(operation)) {
      return productAction(exchange, actionOwner);
    }
    return example(exchange);
  };

  /** Whether the operation's `202` answers a monitor (an action that moves an operation on). */
  function answersWithMonitor(operation: IndexedOperation): boolean {
    return operation.responses.some(
      (response) => response.code === '202' && spec.schemaRequires(response.schema, 'state'),
    );
  }
}

function lowest2xx(operation: IndexedOperation): IndexedResponse | undefined {
  return operation.responses
    .filter((response) => /^2\d\d$/.test(response.code))
    .sort((a, b) => Number(a.code) - Number(b.code))[0];
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function bearerKey(authorization: string | undefined): string | undefined {
  const key = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  return key;
}

/** Weak comparison; `*` matches anything. @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2 */
function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/** A strong entity tag from the content. */
function contentTag(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
}

/** A fresh id like the examples': `prefix` + 26 Crockford base-32 characters. */
function mintId(prefix: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return prefix + [...randomBytes(26)].map((byte) => alphabet[byte % 32]).join('');
}

/** A copy of `value` with every string that contains one of the keys rewritten. */
function replaceStrings(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    let result = value;
    for (const [from, to] of replacements) result = result.replaceAll(from, to);
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replacements));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replacements)]));
  }
  return value;
}

function decodeCursor(cursor: string): number | undefined {
  const decoded = /^o(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1];
  return decoded === undefined ? undefined : Number(decoded);
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodyLimitBytes) {
      request.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
