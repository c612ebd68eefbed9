/**
 * The Express application: CORS, request ids and logs, auth, quota, body parsing, validation of
 * requests and responses against the spec, the typed routes, and the one problem handler.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OperationLogger } from '../operations/logger.ts';
import { answerBounds } from './answer-bounds.ts';
import type { TenantDirectory } from './auth.ts';
import { type CorsOrigins, corsHeaders } from './cors.ts';
import { DASHBOARD_PATH, dashboard } from './dashboard.ts';
import { COUNTED_FOR, directAnswers } from './direct-answers.ts';
import { problemHandler } from './error-handler.ts';
import { fastRequestValidation, type RequestValidation } from './fast-request-validation.ts';
import { HttpProblem } from './problem.ts';
import type { RateLimiter } from './rate-limit.ts';
import { jsonBodyWithin, refuseUnsupportedCharsets, targetCheck } from './request-limits.ts';
import { answerRoute } from './route-answer.ts';
import { memoiseValidatorRouteRegexps } from './route-regexp-cache.ts';
import { type RouteDefinition, toExpressPath } from './typed-route.ts';
import { latchUrlParseWarning } from './url-parse-warning.ts';
import { canonicalMediaTypes, type MediaTypeCanonicaliser } from './validated-media-type.ts';
import { rewriteDiscriminatedUnions } from './validator-schemas.ts';

/** What the application is assembled from. */
export interface AppOptions {
  routes: readonly RouteDefinition[];
  /** The bundled spec (the validator's copy; it is cloned, never changed). */
  spec: object;
  tenants: TenantDirectory;
  rateLimiter: RateLimiter;
  logger: OperationLogger & { isLevelEnabled?(level: string): boolean };
  /** @default '*' */
  corsOrigins?: CorsOrigins;
  /** Largest accepted body. @default 1 MiB */
  bodyLimitBytes?: number;
  /**
   * Validate every response against the spec: `true` answers 500 instead of a response that breaks
   * it (development, tests); `'log'` logs it with its operation ids and sends it as it is, so a
   * stored record that breaks the spec never makes its reads fail (production); `false` skips it.
   * @default true
   */
  validateResponses?: ResponseValidation;
  /**
   * The share of responses validated (0–1), each picked at random: 1 checks every one (development,
   * tests); production checks a sample, so the check costs a fraction of its CPU and a record that
   * breaks the spec is still logged within a few reads. Ignored when `validateResponses` is false.
   * @default {@link DEFAULT_RESPONSE_SAMPLE} with `'log'` (production), 1 otherwise
   */
  responseSample?: number;
  /** Paths that need no API key. @default ['/healthz'] */
  publicPaths?: readonly string[];
  /**
   * Routers answered before the API key check and the spec's validation: what the server serves
   * about itself (the API reference, metrics), outside the spec, each with the paths it answers
   * (a path, and any path below it). Each guards itself.
   */
  services?: readonly ServiceRouter[];
  /**
   * Runs every request that passes the first checks, and the rest of it inside (the tracing span):
   * calls `next` once, as a middleware does.
   */
  aroundRequests?: express.RequestHandler;
}

/** A router of what the server serves about itself, and the paths it answers (and those below them). */
export interface ServiceRouter {
  router: express.Router;
  paths: readonly string[];
}

/** How responses are checked against the spec (see {@link AppOptions.validateResponses}). */
export type ResponseValidation = boolean | 'log';

/**
 * The share of responses checked in `'log'` mode unless told otherwise: one in a hundred.
 * Validating every response cost about a tenth of a monitor `GET`'s CPU (docs/performance.md); a
 * record that breaks the spec is still logged within a few hundred reads.
 */
export const DEFAULT_RESPONSE_SAMPLE = 0.01;

/** Largest accepted body: 1 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** The validator's own copy of the spec, rewritten to validate faster (see `validator-schemas.ts`). */
function validatorSpec(spec: object): object {
  const copy = structuredClone(spec) as Record<string, unknown>;
  rewriteDiscriminatedUnions(copy);
  return copy;
}

/** The validator's response option for `mode`: in `'log'` mode a response that breaks the spec is logged and sent. */
function responseValidation(mode: ResponseValidation, logger: OperationLogger): boolean | { onError: OnResponseError } {
  if (mode !== 'log') return mode;
  return {
    onError(error, body, req) {
      logger.error(
        {
          operationIds: operationIdsIn(body),
          requestId: req.res?.getHeader('X-Request-Id'),
          method: req.method,
          url: req.originalUrl.slice(0, 256),
          errors: (error as { errors?: unknown[] }).errors?.slice(0, 10),
        },
        'response breaks the spec; sent as it is',
      );
    },
  };
}

type OnResponseError = (error: unknown, body: unknown, req: Request) => void;

type Middleware = (req: Request, res: Response, next: NextFunction) => unknown;

/**
 * The validator's middlewares as one: requests validated through the fast path of
 * `fast-request-validation.ts` when it applies, by the validator's steps otherwise; the response
 * check run on a random `share` of requests only; and without the validator's security step, which
 * does nothing here (the API key is checked before) but still costs a promise turn per request. The
 * steps are found by the names the validator gives them; a validator whose steps are named
 * otherwise fails the start.
 */
function arrangeValidation(
  middlewares: readonly Middleware[],
  share: number,
  canonicalise: MediaTypeCanonicaliser,
): RequestValidation {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`responseSample must be between 0 and 1, got ${share}`);
  const named = (name: string) => middlewares.find((middleware) => middleware.name === name);
  const lookup = ['pathParamsMiddleware', 'metadataMiddleware'];
  const known = new Set([
    ...lookup,
    'securityMiddleware',
    'multipartMiddleware',
    'requestMiddleware',
    'responseMiddleware',
  ]);
  const request = named('requestMiddleware');
  if (
    request === undefined ||
    !named('securityMiddleware') ||
    lookup.some((name) => !named(name)) ||
    middlewares.some((middleware) => !known.has(middleware.name))
  )
    throw new Error('express-openapi-validator no longer names its steps as expected; see arrangeValidation');
  return fastRequestValidation(
    {
      lookup: middlewares.filter((middleware) => lookup.includes(middleware.name)),
      request: middlewares.filter((m) => m.name !== 'securityMiddleware' && m.name !== 'responseMiddleware'),
      response: named('responseMiddleware'),
    },
    share === 1 ? () => true : () => Math.random() < share,
    canonicalise,
  );
}

/** The monitor ids an answer shows (one monitor, or a page of them): what to look up in the store. */
function operationIdsIn(body: unknown): string[] {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { id?: unknown; items?: unknown };
  const items = Array.isArray(record.items) ? record.items : [record];
  return items
    .map((item) => (typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string')
    .slice(0, 100);
}

/** Logs `req` once its response is sent: its id, method, URL, status and duration. */
function logWhenFinished(req: Request, res: Response, id: string, logger: OperationLogger): void {
  const started = performance.now();
  res.on('finish', () => {
    logger.info(
      {
        requestId: id,
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
}

/**
 * Whether a request path is one of `paths` or below one, as Express's router would match it for
 * them (case-insensitively, with or without a trailing slash).
 */
function servedBeside(paths: readonly string[]): (path: string) => boolean {
  const exact = paths.map((path) => path.toLowerCase());
  const below = exact.map((path) => `${path}/`);
  return (path) => {
    const lower = path.toLowerCase();
    for (let i = 0; i < exact.length; i++) {
      if (lower === exact[i] || lower.startsWith(below[i] as string)) return true;
    }
    return false;
  };
}

/** The application, and the request listener that serves it fastest. */
export interface AssembledApp {
  /** The Express application: everything, for mounting in another application. */
  app: express.Express;
  /**
   * The HTTP server's request listener: the direct lane in front of `app` (see
   * `direct-answers.ts`), which answers the ordinary requests without Express and hands it the rest.
   */
  listener: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Marks a request whose first steps the direct lane ran before handing it to the chain. */
const BEGUN = Symbol('longrun.begun');

/** Builds the Express application and its request listener. */
export function createApp(options: AppOptions): AssembledApp {
  const { tenants, rateLimiter, logger } = options;
  const publicPaths = new Set(options.publicPaths ?? ['/healthz']);
  const logRequests = options.logger.isLevelEnabled?.('info') ?? false;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const around = options.aroundRequests;
  const corsFor = corsHeaders(options.corsOrigins ?? '*');
  const checkTarget = targetCheck(answerBounds(options.spec));
  /**
   * The steps every request takes first: its id, its log line, CORS, the target's check, and the
   * rest inside its trace (`next`). On the chain they are its first middleware; the direct lane runs
   * them itself on the requests it takes, and marks those it then hands to the chain.
   */
  const begin = (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\x21-\x7E]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    if (logRequests) logWhenFinished(req, res, id, logger);
    if (corsFor(req, res)) return;
    checkTarget(req);
    (req as Request & { [BEGUN]?: true })[BEGUN] = true;
    if (around === undefined) next();
    else around(req, res, next);
  };
  // One middleware: each is a turn of Express's router (docs/performance.md).
  app.use(function frontSteps(req: Request, res: Response, next: NextFunction) {
    if ((req as Request & { [BEGUN]?: true })[BEGUN]) next();
    else begin(req, res, next);
  });

  /** Counts a request of `caller` against its quota and sets the quota's headers; throws its 429. */
  const count = async (caller: string, res: Response): Promise<void> => {
    const headers = await rateLimiter.take(caller);
    for (const name in headers) res.setHeader(name, headers[name] as string);
  };

  const readJsonBody = jsonBodyWithin(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES);
  memoiseValidatorRouteRegexps();
  latchUrlParseWarning();
  const validation = arrangeValidation(
    OpenApiValidator.middleware({
      apiSpec: validatorSpec(options.spec) as never,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
      validateResponses: responseValidation(options.validateResponses ?? true, logger),
      validateSecurity: false,
      validateFormats: true,
      ajvFormats: { mode: 'fast' },
      ignoreUndocumented: false,
      $refParser: { mode: 'dereference' },
    }),
    options.responseSample ?? (options.validateResponses === 'log' ? DEFAULT_RESPONSE_SAMPLE : 1),
    canonicalMediaTypes(options.spec),
  );

  // An ordinary request of a spec route is answered here, before the routers of what the server
  // serves about itself (their paths are left to them); every other one goes on down the chain.
  const services = options.services ?? [];
  const lane = directAnswers({
    servedBeside: servedBeside([...services.flatMap((service) => service.paths), DASHBOARD_PATH]),
    routes: options.routes,
    validation,
    tenants,
    publicPaths,
    count: (tenant, res) => count(`tenant:${tenant}`, res),
    readJsonBody,
    logger,
  });
  app.use(lane.middleware);

  for (const service of services) app.use(service.router);
  // The dashboard page needs no key: it asks the user for one and sends it with each API request.
  app.use(dashboard({ spec: options.spec }));

  app.use(async function authenticateAndCount(req: Request, res: Response, next: NextFunction) {
    // Counted by the direct lane, which handed it on after reading its body.
    const counted = (req as Request & { [COUNTED_FOR]?: string })[COUNTED_FOR];
    if (counted !== undefined) {
      res.locals.tenant = counted;
      next();
      return;
    }
    const isPublic = publicPaths.has(req.path);
    let tenant: string | undefined;
    let refused: unknown;
    try {
      tenant = isPublic ? undefined : tenants.authenticate(req.headers.authorization);
    } catch (error) {
      // Counted against the address before it is refused, so guessing keys runs into 429 too.
      refused = error;
    }
    // Public paths have a quota of their own per address: keys guessed from an address must not
    // make its health checks answer 429.
    const address = req.socket.remoteAddress ?? 'unknown';
    await count(isPublic ? `public:${address}` : tenant === undefined ? `ip:${address}` : `tenant:${tenant}`, res);
    if (refused !== undefined) throw refused;
    res.locals.tenant = tenant;
    next();
  });

  // HEAD is GET without a body (RFC 9110 §9.3.2): validated and answered as the GET; Node's
  // response to a HEAD request drops the body itself.
  app.use(function headAsGet(req: Request, _res: Response, next: NextFunction) {
    if (req.method === 'HEAD') req.method = 'GET';
    next();
  });
  app.use(refuseUnsupportedCharsets);
  app.use(readJsonBody);
  app.use(validation.middleware);

  for (const route of options.routes) {
    app[route.method](toExpressPath(route.path), function answer(req: Request, res: Response) {
      const input = { tenant: res.locals.tenant as string, params: req.params, query: req.query, body: req.body };
      return answerRoute(route, input, req, res, logger, validation.responseChecked(req));
    });
  }

  app.use((req: Request) => {
    throw new HttpProblem('not-found', { detail: `No resource at ${req.path}.` });
  });
  const renderProblem = problemHandler(logger);
  app.use(renderProblem);
  const listener = lane.listener({
    begin,
    fail: (error, req, res) => renderProblem(error, req, res, () => {}),
    app: (req, res) => app(req, res),
  });
  return { app, listener };
}
