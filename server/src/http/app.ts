/**
 * The Express application: CORS, request ids and logs, auth, quota, body parsing, validation of
 * requests and responses against the spec, the typed routes, and the one problem handler.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OperationLogger } from '../operations/logger.ts';
import type { TenantDirectory } from './auth.ts';
import { type CorsOrigins, cors } from './cors.ts';
import { problemHandler } from './error-handler.ts';
import { isEventStream, writeEventStream } from './event-stream.ts';
import { HttpProblem } from './problem.ts';
import type { RateLimiter } from './rate-limit.ts';
import { memoiseValidatorRouteRegexps } from './route-regexp-cache.ts';
import { type RouteDefinition, toExpressPath } from './typed-route.ts';
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
  /** Validate every response against the spec (a response that breaks it answers 500). @default true */
  validateResponses?: boolean;
  /** Paths that need no API key. @default ['/healthz'] */
  publicPaths?: readonly string[];
  /**
   * Routers answered before the API key check and the spec's validation: what the server serves
   * about itself (the API reference, metrics), outside the spec. Each guards itself.
   */
  serviceRouters?: readonly express.Router[];
}

/** Largest accepted body: 1 MiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** The validator's own copy of the spec, rewritten to validate faster (see `validator-schemas.ts`). */
function validatorSpec(spec: object): object {
  const copy = structuredClone(spec) as Record<string, unknown>;
  rewriteDiscriminatedUnions(copy);
  return copy;
}

/** Builds the Express application. */
export function createApp(options: AppOptions): express.Express {
  const { tenants, rateLimiter, logger } = options;
  const publicPaths = new Set(options.publicPaths ?? ['/healthz']);
  const logRequests = options.logger.isLevelEnabled?.('info') ?? false;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use(function requestId(req: Request, res: Response, next: NextFunction) {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\x21-\x7E]{1,128}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', id);
    if (logRequests) {
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
    next();
  });
  app.use(cors(options.corsOrigins ?? '*'));
  for (const router of options.serviceRouters ?? []) app.use(router);

  app.use(function authenticateAndCount(req: Request, res: Response, next: NextFunction) {
    const isPublic = publicPaths.has(req.path);
    let tenant: string | undefined;
    let refused: unknown;
    try {
      tenant = isPublic ? undefined : tenants.authenticate(req.headers.authorization);
    } catch (error) {
      // Counted against the address before it is refused, so guessing keys runs into 429 too.
      refused = error;
    }
    const caller = tenant === undefined ? `ip:${req.socket.remoteAddress ?? 'unknown'}` : `tenant:${tenant}`;
    const headers = rateLimiter.take(caller, Date.now());
    for (const name in headers) res.setHeader(name, headers[name] as string);
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
  app.use(
    express.json({
      limit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      type: ['application/json', 'application/*+json'],
    }),
  );
  memoiseValidatorRouteRegexps();
  app.use(
    OpenApiValidator.middleware({
      apiSpec: validatorSpec(options.spec) as never,
      validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
      validateResponses: options.validateResponses ?? true,
      validateSecurity: false,
      validateFormats: true,
      ajvFormats: { mode: 'fast' },
      ignoreUndocumented: false,
      $refParser: { mode: 'dereference' },
    }),
  );

  for (const route of options.routes) {
    app[route.method](toExpressPath(route.path), async function answer(req: Request, res: Response) {
      let controller: AbortController | undefined;
      const result = await route.handler({
        tenant: res.locals.tenant as string,
        params: req.params as never,
        query: req.query as never,
        body: req.body as never,
        path: req.originalUrl,
        header: (name: string) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        get signal() {
          // Made on first use: only long polls need to learn that the client went away.
          if (controller === undefined) {
            const created = new AbortController();
            controller = created;
            res.once('close', () => created.abort());
          }
          return controller.signal;
        },
      });
      for (const name in result.headers) {
        const value = result.headers[name];
        if (value !== undefined) res.setHeader(name, String(value));
      }
      res.status(result.status);
      if (result.body === undefined) res.end();
      else if (isEventStream(result.body)) await writeEventStream(res, result.body, logger);
      else res.json(result.body);
    });
  }

  app.use((req: Request) => {
    throw new HttpProblem('not-found', { detail: `No resource at ${req.path}.` });
  });
  app.use(problemHandler(logger));
  return app;
}
