/**
 * `createServer()`: the server as a library. It wires store → engine → HTTP and hands back
 * something to `listen()` on and `close()`.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { readAsyncOperations } from '@longrun/openapi/async-operations';
import type express from 'express';
import { pino } from 'pino';
import type { BrokerConnection, BrokerOptions } from './broker/start-broker.ts';
import { spec as referenceSpec } from './generated/server.gen.ts';
import { answerBounds } from './http/answer-bounds.ts';
import { API_REFERENCE_PATHS, apiReferenceRoutes } from './http/api-reference.ts';
import { createApp, type ResponseValidation } from './http/app.ts';
import { type ApiKey, parseApiKeys, TenantDirectory } from './http/auth.ts';
import type { CorsOrigins } from './http/cors.ts';
import { DEFAULT_RETRY_AFTER, MAX_WAIT_SECONDS, type RetryAfterBounds } from './http/headers.ts';
import { HeldPolls } from './http/held-polls.ts';
import type { HttpContext } from './http/http-context.ts';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './http/http-limits.ts';
import { monitorRoutesOf, toMonitor } from './http/monitor-view.ts';
import { RateLimiter, type RateLimitPolicy, type SharedQuotaCounter } from './http/rate-limit.ts';
import { eventRoutes } from './http/routes/events.ts';
import { HEALTH_PATH, healthRouter, healthRoutes } from './http/routes/health.ts';
import { monitorRoutes } from './http/routes/monitors.ts';
import { webhookSubscriptionRoutes } from './http/routes/webhook-subscriptions.ts';
import { type SpecRoutesOptions, SpecServerError, serverApi, specRoutes } from './http/spec-routes.ts';
import type { ServerSpec } from './http/spec-server.ts';
import type { RouteDefinition } from './http/typed-route.ts';
import { releaseIdleMemory } from './observability/idle-memory.ts';
import { ClaimedRecords, instrumentEngine, instrumentKinds, instrumentStore } from './observability/instrument.ts';
import { LongrunMetrics, METRICS_PATH, type MetricsAccess, metricsRoutes } from './observability/metrics.ts';
import { traceRequests } from './observability/tracing.ts';
import type { ChangeSource } from './operations/changes.ts';
import { createEngine, type EngineConfig, type OperationEngine } from './operations/engine.ts';
import type { AnyKind } from './operations/kind.ts';
import type { OperationLogger } from './operations/logger.ts';
import type { OperationRecord } from './operations/model.ts';
import { type Clock, systemClock } from './operations/ports/clock.ts';
import type { OperationStore } from './operations/ports/index.ts';
import { providesWebhookStore, type WebhookStore } from './operations/ports/webhook-store.ts';
import { DEFAULT_LEASE_MS, DEFAULT_MAX_ATTEMPTS } from './operations/runner.ts';
import { createPush } from './push/create-push.ts';
import type { PushOptions } from './push/push-settings.ts';
import { referenceHandlers, referenceKindMap } from './reference/reference-api.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';

// Required, not imported: Node's ESM face of `node:http` reads every export, and its `WebSocket`
// getter then loads the whole fetch implementation (undici), about 10 MiB resident for good.
const { createServer: createHttpServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

/** What one server process does: serve the API, run handlers, or both. */
export const SERVER_ROLES = ['api', 'worker', 'all'] as const;

/** One of {@link SERVER_ROLES}. */
export type ServerRole = (typeof SERVER_ROLES)[number];

/**
 * What {@link createServer} is built from; everything has a working default (the reference API).
 *
 * @typeParam Handlers The spec's handlers (`Handlers` of the generated `server.gen.ts`).
 * @typeParam Kinds The spec's kinds (`Kinds` of the generated `server.gen.ts`).
 */
export interface ServerOptions<Handlers = Record<string, unknown>, Kinds = Record<string, AnyKind>> {
  /** The store; default: PostgreSQL at `databaseUrl` when given, else SQLite in `dataDir`. */
  store?: OperationStore;
  /** Where the default SQLite store keeps its file. @default './.data' */
  dataDir?: string;
  /**
   * A PostgreSQL connection string: the store is PostgreSQL there (migrated at start), shared
   * with every other process on that database, and changes they make reach this one's waiters
   * by LISTEN/NOTIFY.
   */
  databaseUrl?: string;
  /** PostgreSQL only: how often to poll for changes whose notification was lost. @default 1000 ms */
  changePollMs?: number;
  /** `api` runs no handlers, `worker` only handlers (see `main.ts`), `all` both. @default 'all' */
  role?: ServerRole;
  /** API keys as `tenant:key,…` or a list. @default one tenant `development`, key `dev` */
  apiKeys?: string | readonly ApiKey[];
  /**
   * The spec every route is built from and requests and responses are validated against: `spec` of
   * the generated `server.gen.ts` (which types `handlers` and `kinds`), or a bundled document.
   * @default the reference spec
   */
  spec?: ServerSpec<Handlers, Kinds> | Record<string, unknown>;
  /** The plain handler of every synchronous operation of `spec`, by operationId. @default the reference handlers */
  handlers?: NoInfer<Handlers>;
  /**
   * The kind of every long-running operation of `spec`, by kind name. A list (or a function of the
   * reference kinds' list) replaces the reference kinds by name, for the reference spec.
   * @default the reference kinds
   */
  kinds?: NoInfer<Kinds> | readonly AnyKind[] | ((referenceKinds: readonly AnyKind[]) => readonly AnyKind[]);
  /** Routes of your own that take the place of a handler (their paths must be in `spec`). */
  routes?: (context: HttpContext) => readonly RouteDefinition[];
  /** Factor on the reference kinds' simulated durations. @default 1 */
  simulationScale?: number;
  /** A pino logger, or false for none. @default pino at `info` */
  logger?: false | pino.Logger;
  /** @default '*' */
  corsOrigins?: CorsOrigins;
  /**
   * @default 6000 requests per 60 s per tenant; counted in the database on PostgreSQL (shared by
   * every instance on it), in memory on SQLite
   */
  rateLimit?: RateLimitPolicy;
  /**
   * Validate responses against the spec: `true` answers 500 instead of a response that breaks it,
   * `'log'` logs it with its operation ids and sends it (what `pnpm start` runs with), `false` skips it.
   * @default true
   */
  validateResponses?: ResponseValidation;
  /**
   * The share of responses validated (0–1, picked at random); `pnpm start` checks a sample
   * (`LONGRUN_VALIDATE_RESPONSES_SAMPLE`). @default 0.01 with `'log'`, as `pnpm start`; 1 (every response) otherwise
   */
  responseSample?: number;
  /** Timeouts and caps of the HTTP server (see {@link HttpLimits}). */
  http?: Partial<HttpLimits>;
  /** @default 1 MiB */
  bodyLimitBytes?: number;
  /** @default { min: 1, max: 30, unknown: 2 } seconds */
  retryAfter?: RetryAfterBounds;
  /** @default systemClock */
  clock?: Clock;
  /** Push delivery: event streams, callbacks, webhooks, the outbound allowlist (see {@link PushOptions}). */
  push?: PushOptions;
  /**
   * Where webhook subscriptions and the delivery queue are kept. Messages are queued by the
   * operation store's own writes (an outbox, docs/decisions/0012-push-outbox.md), so this must be
   * `store.webhooks` or a wrapper of it: a queue kept elsewhere is never fed.
   * @default the store's own (`store.webhooks`)
   */
  webhookStore?: WebhookStore;
  /**
   * A message broker for outside kinds (`defineOutsideKind`): their tasks are published to it and
   * their workers' reports consumed from it. Loaded only when given.
   */
  broker?: BrokerOptions;
  /**
   * Who may read Prometheus metrics at `/metrics`: `'local'` callers on this machine, `'off'`,
   * `'open'` to anyone, or `{ token }` for `Authorization: Bearer <token>`. @default 'local'
   */
  metrics?: MetricsAccess;
  /** Serve the API reference at `/docs` and the spec at `/openapi.json`, without an API key. @default true */
  apiReference?: boolean;
  /**
   * Once the process has been idle for about two seconds, run one memory-reducing collection so
   * V8 gives back the memory it grew under load (70–80 MiB after 1,000 operations; see
   * docs/decisions/0016-idle-memory.md). It acts on the whole process: turn it off when the
   * program embedding the server manages its own heap. @default true
   */
  releaseIdleMemory?: boolean;
  /** Engine settings: concurrency, leases, retention… (see {@link EngineConfig}). */
  engine?: Omit<EngineConfig, 'store' | 'kinds' | 'clock' | 'logger'>;
}

/** A server built by {@link createServer}. */
export interface LongrunServer {
  /**
   * The Express application, to mount in a server of your own. `listen()` serves the same
   * application with the direct lane in front of it: ordinary requests (a monitor poll, a product
   * read, an accept with a JSON body) are answered without Express's per-request set-up.
   */
  readonly app: express.Express;
  readonly engine: OperationEngine;
  readonly store: OperationStore;
  /** Starts serving; port 0 picks a free one. @default port 0, host 127.0.0.1 */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops serving, drains running handlers, closes the store. */
  close(): Promise<void>;
}

/**
 * Builds a longrun server: store, engine (with its runner) and the validated HTTP application.
 *
 * @example
 * const server = await createServer({ dataDir: './data', apiKeys: 'acme:secret' });
 * const { url } = await server.listen(3000);
 */
export async function createServer<Handlers = Record<string, unknown>, Kinds = Record<string, AnyKind>>(
  options: ServerOptions<Handlers, Kinds> = {},
): Promise<LongrunServer> {
  const logger: pino.Logger =
    options.logger === false || options.logger === undefined
      ? pino({ level: options.logger === false ? 'silent' : 'info' })
      : options.logger;
  const opened = await openStore(options as ServerOptions, logger as OperationLogger);
  const { changeSource } = opened;
  const ownsStore = options.store === undefined;
  const metricsAccess = options.metrics ?? 'local';
  const metrics = metricsAccess === 'off' ? undefined : new LongrunMetrics(opened.store.queueStats?.bind(opened.store));
  // Metrics and traces wrap the store, the kinds and the engine: the core knows nothing of them.
  const claimed = new ClaimedRecords();
  const store = instrumentStore(opened.store, metrics, claimed);
  const clock = options.clock ?? systemClock;
  const simulation = { scale: options.simulationScale ?? 1 };
  const specSource = options.spec ?? referenceSpec;
  const isReference = specSource === referenceSpec;
  const spec = await loadSpec(specSource);
  const { kindList, kindMap } = chooseKinds(
    options.kinds as KindsOption | undefined,
    isReference,
    referenceKindMap(simulation, (tenant, collection, id) => store.getResource(tenant, collection, id)) as Record<
      string,
      AnyKind
    >,
  );
  const kinds = instrumentKinds(withSpecLocks(kindList, spec), store, metrics, claimed);

  const engine = createEngine({
    ...options.engine,
    runWorker: options.role === 'api' ? false : options.engine?.runWorker,
    changeSource: options.engine?.changeSource ?? changeSource,
    store,
    kinds,
    clock,
    logger: logger as OperationLogger,
  });
  instrumentEngine(engine, metrics);
  const webhookStore = options.webhookStore ?? (providesWebhookStore(store) ? store.webhooks : undefined);
  // A monitor links cancel and events only where the spec declares them: those are the routes served.
  const servedMonitorRoutes = monitorRoutesOf(spec as { paths?: Record<string, unknown> });
  const renderMonitor = (operation: OperationRecord) => toMonitor(operation, servedMonitorRoutes);
  const push =
    webhookStore &&
    createPush({ ...options.push, webhooks: webhookStore, engine, render: renderMonitor, clock, logger });
  if (!push)
    logger.warn({ store: store.name }, 'this store keeps no webhook data: callbacks and webhook subscriptions are off');
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.http };
  const context: HttpContext = {
    engine,
    clock,
    retryAfter: options.retryAfter ?? DEFAULT_RETRY_AFTER,
    maxWaitSeconds: MAX_WAIT_SECONDS,
    outboundGuard: push?.guard,
    bounds: answerBounds(spec),
    heldPolls: new HeldPolls(limits.maxHeldPollsPerTenant),
    toMonitor: renderMonitor,
  };
  const apiKeys =
    typeof options.apiKeys === 'string'
      ? parseApiKeys(options.apiKeys)
      : (options.apiKeys ?? [{ tenant: 'development', key: 'dev' }]);
  const checkStore = async () => {
    await store.getOperation('\u0000health', 'op_0000000000');
  };
  const builtins: RouteDefinition[] = [
    ...(options.routes?.(context) ?? []),
    ...healthRoutes(context, store.name, checkStore),
    ...monitorRoutes(context),
    ...eventRoutes(context, options.push),
    ...(push ? webhookSubscriptionRoutes(context, push.context) : []),
  ];
  // Every other route comes from the spec: the accept flow for each long-running operation, the
  // plain handler for each other one. A spec the server cannot serve stops it here, before it starts.
  let routes: RouteDefinition[];
  try {
    routes = specRoutes({
      spec: spec as SpecRoutesOptions['spec'],
      context,
      builtins,
      handlers: options.handlers ?? (isReference ? referenceHandlers : {}),
      kinds: kindMap,
      server: serverApi(context),
      allowExtraKinds:
        options.kinds === undefined || typeof options.kinds === 'function' || Array.isArray(options.kinds),
    });
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
  const { app, listener } = createApp({
    routes,
    spec,
    aroundRequests: traceRequests(),
    services: [
      // Declared in the spec, `/healthz` is one of its routes (validated); otherwise served beside it.
      ...(declaresHealth(spec) ? [] : [{ router: healthRouter(store.name, checkStore), paths: [HEALTH_PATH] }]),
      ...(options.apiReference === false
        ? []
        : [{ router: apiReferenceRoutes(spec), paths: Object.values(API_REFERENCE_PATHS) }]),
      ...(metrics ? [{ router: metricsRoutes(metrics, metricsAccess), paths: [METRICS_PATH] }] : []),
    ],
    tenants: new TenantDirectory(apiKeys),
    rateLimiter: new RateLimiter(options.rateLimit, {
      shared: sharedQuotaCounter(opened.store),
      logger: logger as OperationLogger,
    }),
    logger: logger as OperationLogger & { isLevelEnabled(level: string): boolean },
    corsOrigins: options.corsOrigins,
    validateResponses: options.validateResponses,
    responseSample: options.responseSample,
    bodyLimitBytes: options.bodyLimitBytes,
  });
  // Before the engine: changes published while it starts (recovered operations) are queued too.
  push?.dispatcher.start();
  await engine.start();
  const idleMemory =
    options.releaseIdleMemory === false
      ? undefined
      : releaseIdleMemory({
          onRelease: (before, after, durationMs) =>
            logger.debug(
              {
                youngGenerationBefore: before.committedBytes,
                youngGenerationAfter: after.committedBytes,
                durationMs: Math.round(durationMs * 10) / 10,
              },
              'idle: memory handed back to the system',
            ),
        });
  let broker: BrokerConnection | undefined;
  if (options.broker) {
    // Loaded only when asked for: a deployment without outside workers never loads the AMQP client.
    const { startBroker } = await import('./broker/start-broker.ts');
    broker = await startBroker({
      ...options.broker,
      engine,
      store,
      leaseMs: options.engine?.leaseMs ?? DEFAULT_LEASE_MS,
      maxAttempts: options.engine?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      logger: logger as OperationLogger,
      clock,
    });
  }

  let server: Server | undefined;
  return {
    app,
    engine,
    store,
    async listen(port = 0, host = '127.0.0.1') {
      const listening = createHttpServer(
        {
          headersTimeout: limits.headersTimeoutMs,
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          // Checked this often; a slow client is cut off at most this long after its timeout.
          connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
        },
        listener,
      );
      listening.maxConnections = limits.maxConnections;
      server = listening;
      listening.listen(port, host);
      await once(listening, 'listening');
      const address = listening.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${shownHost}:${address.port}`, port: address.port };
    },
    async close() {
      idleMemory?.stop();
      if (server) {
        const closed = once(server, 'close');
        server.close();
        // Long polls would hold the close open for up to a minute.
        server.closeAllConnections();
        await closed;
      }
      // First: no new dispatches while the runner drains.
      await broker?.stop();
      await engine.stop();
      await push?.dispatcher.stop();
      if (ownsStore) await store.close();
    },
  };
}

/** The store `options` asks for and, for PostgreSQL, its source of other processes' changes. */
async function openStore(
  options: ServerOptions,
  logger: OperationLogger,
): Promise<{ store: OperationStore; changeSource?: ChangeSource | undefined }> {
  if (options.store) return { store: options.store };
  if (options.databaseUrl) {
    // Loaded only when asked for: a SQLite deployment never loads the PostgreSQL driver.
    const { createPostgresStore } = await import('./store/postgres/postgres-store.ts');
    const store = await createPostgresStore({ connectionString: options.databaseUrl, logger });
    return { store, changeSource: store.changeSource({ pollIntervalMs: options.changePollMs }) };
  }
  return { store: await createSqliteStore({ dataDir: options.dataDir ?? '.data' }) };
}

/**
 * Where a store shared by several instances counts request quotas (the PostgreSQL store's
 * `quotaCounter`), so they share them too; undefined for a store of one process (SQLite), whose
 * quotas are counted in memory.
 */
function sharedQuotaCounter(store: OperationStore): SharedQuotaCounter | undefined {
  const counter = (store as { quotaCounter?: SharedQuotaCounter }).quotaCounter;
  return typeof counter === 'function' ? counter.bind(store) : undefined;
}

type KindsOption =
  | Record<string, AnyKind>
  | readonly AnyKind[]
  | ((referenceKinds: readonly AnyKind[]) => readonly AnyKind[]);

/** The bundled document of a spec option: read from its file, or the document itself. */
async function loadSpec(
  source: ServerSpec<unknown, unknown> | Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (!('document' in source) || 'openapi' in source) return source as Record<string, unknown>;
  const { document } = source as ServerSpec<unknown, unknown>;
  if (typeof document === 'object' && !(document instanceof URL))
    return structuredClone(document) as Record<string, unknown>;
  return JSON.parse(await readFile(document, 'utf8')) as Record<string, unknown>;
}

/**
 * The kinds to run and, by name, the kinds the spec's operations are served by. An object keyed by
 * kind name is the spec's kinds; a list replaces the reference kinds of the same names (and adds
 * others the engine runs without a route of their own).
 */
function chooseKinds(
  option: KindsOption | undefined,
  isReference: boolean,
  reference: Record<string, AnyKind>,
): { kindList: AnyKind[]; kindMap: Map<string, AnyKind> } {
  if (option !== undefined && typeof option !== 'function' && !Array.isArray(option)) {
    const map = new Map<string, AnyKind>();
    const problems: string[] = [];
    for (const [name, kind] of Object.entries(option as Record<string, AnyKind>)) {
      if (kind.name !== name) problems.push(`kinds.${name} is a kind named "${kind.name}": use its name as the key`);
      map.set(name, kind);
    }
    if (problems.length > 0) throw new SpecServerError(problems);
    return { kindList: [...map.values()], kindMap: map };
  }
  const defaults = isReference ? Object.values(reference) : [];
  const list =
    typeof option === 'function' ? option(defaults) : Array.isArray(option) ? [...(option as AnyKind[])] : defaults;
  const map = new Map<string, AnyKind>();
  for (const kind of list) {
    // A reference kind replaced by name keeps its acceptance (an outside worker runs it, the HTTP side stays).
    const accept =
      (kind as { accept?: unknown }).accept ?? (reference[kind.name] as { accept?: unknown } | undefined)?.accept;
    map.set(kind.name, (isReference && accept !== undefined ? { ...kind, accept } : kind) as AnyKind);
  }
  return { kindList: list as AnyKind[], kindMap: map };
}

/** Kinds the spec declares `oneAtATime` run one at a time per tenant unless they choose their own lock key. */
function withSpecLocks(kinds: readonly AnyKind[], spec: Record<string, unknown>): AnyKind[] {
  let oneAtATime: Set<string>;
  try {
    oneAtATime = new Set(
      readAsyncOperations(spec as never)
        .filter((entry) => entry.oneAtATime)
        .map((entry) => entry.kind),
    );
  } catch {
    // The spec's mistakes are reported, all together, when its routes are built.
    return [...kinds];
  }
  return kinds.map((kind) =>
    oneAtATime.has(kind.name) && kind.lockKey === undefined ? { ...kind, lockKey: () => kind.name } : kind,
  );
}

/** Whether the spec declares `GET /healthz` (then it is served as one of the spec's routes). */
function declaresHealth(spec: object): boolean {
  const paths = (spec as { paths?: Record<string, { get?: unknown } | undefined> }).paths;
  return paths?.['/healthz']?.get !== undefined;
}
