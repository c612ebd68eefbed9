/**
 * The direct lane: the requests an async API answers most — a monitor poll, a product read, a
 * request for work with a JSON body — taken out of the Express chain once they are known to be
 * ordinary, and answered by the same steps in the same order: the API key, the quota, the body
 * reader, the spec's request validation (the validator's own compiled functions, see
 * `fast-request-validation.ts`), the route's handler.
 *
 * Ordinary means: a `GET` with no body or a `POST` with a plain JSON body of declared length, a
 * valid API key, a route the validator has compiled, a request its functions accept, and a response
 * not drawn for the spec check. A `GET` is checked in full before it is counted; anything else
 * passes on down the chain untouched, where it is answered (or refused) exactly as before. A `POST`
 * must be counted before its body is read, as on the chain; when its body then fails the fast
 * check, the chain takes it from its body on, knowing it counted (`COUNTED_FOR`), so the validator
 * refuses it with its own answer. What the lane saves is the chain's per-request walk: a dozen
 * middlewares and the route table's regular expressions, each a turn of Express's router.
 */
import type { NextFunction, Request, Response } from 'express';
import type { OperationLogger } from '../operations/logger.ts';
import type { TenantDirectory } from './auth.ts';
import type { RequestValidation } from './fast-request-validation.ts';
import { namesOtherCharset } from './request-limits.ts';
import { answerRoute } from './route-answer.ts';
import { type RouteDefinition, toExpressPath } from './typed-route.ts';

/**
 * Marks a request the lane counted against its tenant's quota before handing it to the chain: the
 * chain's key check takes the tenant from it and does not count the request a second time.
 */
export const COUNTED_FOR = Symbol('longrun.countedFor');

/** What the lane is built from: the application's own parts. */
export interface DirectAnswerOptions {
  routes: readonly RouteDefinition[];
  validation: RequestValidation;
  tenants: TenantDirectory;
  /** Paths that need no API key: counted per address on the chain, not per tenant. */
  publicPaths: ReadonlySet<string>;
  /** Whether a path is answered by a router of the server's own (metrics, API reference, dashboard). */
  servedBeside(path: string): boolean;
  /** Counts a request of `tenant` against its quota and sets the quota's headers (throws its 429). */
  count(tenant: string, res: Response): Promise<void>;
  /** The chain's own JSON body reader (its limits, its errors). */
  readJsonBody(req: Request, res: Response, next: NextFunction): void;
  logger: OperationLogger;
}

/** The media types JSON clients send, taken by the lane as they are; any other goes down the chain. */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8']);

/** The Express middleware of the lane: answers an ordinary request itself, passes every other one on. */
export function directAnswers(options: DirectAnswerOptions) {
  const { validation, tenants, publicPaths, servedBeside, count, readJsonBody, logger } = options;
  const routes = new Map<string, RouteDefinition>();
  for (const route of options.routes) routes.set(`${route.method.toUpperCase()} ${toExpressPath(route.path)}`, route);

  /** The route of a request the fast validation let through, if the application has one. */
  const routeOf = (req: Request) => {
    const matched = validation.validated(req);
    const route = matched === undefined ? undefined : routes.get(`${req.method} ${matched.expressRoute}`);
    return route === undefined || matched === undefined ? undefined : { route, ...matched };
  };

  async function answer(
    found: NonNullable<ReturnType<typeof routeOf>>,
    tenant: string,
    req: Request,
    res: Response,
  ): Promise<void> {
    // What Express leaves for the route it ran: the trace span is named by it.
    (req as Request & { route?: unknown }).route = { path: found.expressRoute };
    const input = { tenant, params: found.params, query: {}, body: req.body as unknown };
    await answerRoute(found.route, input, req, res, logger, false);
  }

  /**
   * A request with a JSON body: counted, then read by the chain's reader; the chain takes it from
   * there when the fast validation does not let it through (its key check sees it counted).
   */
  async function answerWithBody(tenant: string, req: Request, res: Response, next: NextFunction): Promise<void> {
    await count(tenant, res);
    (req as Request & { [COUNTED_FOR]?: string })[COUNTED_FOR] = tenant;
    await new Promise<void>((resolve, reject) => {
      readJsonBody(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
    });
    if (res.headersSent) return;
    const found = routeOf(req);
    if (found === undefined) {
      next();
      return;
    }
    await answer(found, tenant, req, res);
  }

  return function answerDirectly(req: Request, res: Response, next: NextFunction): void {
    const headers = req.headers;
    const method = req.method;
    const contentType = headers['content-type'];
    // A GET without a body, or a POST with a plain JSON body of declared length; anything else —
    // and a request whose response is checked against the spec — takes the chain.
    const plainGet =
      method === 'GET' &&
      (contentType === undefined || !namesOtherCharset(contentType)) &&
      headers['transfer-encoding'] === undefined &&
      (headers['content-length'] === undefined || headers['content-length'] === '0');
    const plainPost =
      method === 'POST' &&
      contentType !== undefined &&
      PLAIN_JSON.has(contentType) &&
      headers['content-encoding'] === undefined &&
      headers['transfer-encoding'] === undefined &&
      headers['content-length'] !== undefined;
    if (!(plainGet || plainPost) || validation.responseChecked(req)) {
      next();
      return;
    }
    let tenant: string;
    try {
      tenant = tenants.authenticate(headers.authorization);
    } catch {
      // Refused on the chain, where the refusal is counted against the address.
      next();
      return;
    }
    const path = req.path;
    if (publicPaths.has(path) || servedBeside(path)) {
      next();
      return;
    }
    if (plainPost) {
      answerWithBody(tenant, req, res, next).catch(next);
      return;
    }
    const found = routeOf(req);
    if (found === undefined) {
      next();
      return;
    }
    count(tenant, res)
      .then(() => answer(found, tenant, req, res))
      .catch(next);
  };
}
