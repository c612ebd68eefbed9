/**
 * The direct lane: a `GET` of a spec route — a monitor poll, a product read, the requests an async
 * API answers most — taken out of the Express chain once it is known to be an ordinary one, and
 * answered by the same steps in the same order: the API key, the quota, the spec's request
 * validation (the validator's own compiled functions, see `fast-request-validation.ts`), the
 * route's handler.
 *
 * What makes a request ordinary is decided before anything is counted or answered: a `GET` with no
 * body, a valid API key, a route the validator has compiled, parameters and headers its functions
 * accept, and a response not drawn for the spec check. Any other request — and every request the
 * lane is unsure of — goes on down the chain, untouched, where it is answered (or refused) exactly
 * as before. What the lane saves is the chain's per-request walk: a dozen middlewares and the
 * route table's regular expressions, each a turn of Express's router.
 */
import type { NextFunction, Request, Response } from 'express';
import type { OperationLogger } from '../operations/logger.ts';
import type { TenantDirectory } from './auth.ts';
import type { RequestValidation } from './fast-request-validation.ts';
import { namesOtherCharset } from './request-limits.ts';
import { answerRoute } from './route-answer.ts';
import { type RouteDefinition, toExpressPath } from './typed-route.ts';

/** What the lane is built from: the application's own parts. */
export interface DirectAnswerOptions {
  routes: readonly RouteDefinition[];
  validation: RequestValidation;
  tenants: TenantDirectory;
  /** Paths that need no API key: counted per address on the chain, not per tenant. */
  publicPaths: ReadonlySet<string>;
  /** Counts a request of `tenant` against its quota and sets the quota's headers (throws its 429). */
  count(tenant: string, res: Response): Promise<void>;
  logger: OperationLogger;
}

/** The Express middleware of the lane: answers an ordinary `GET` itself, passes every other request on. */
export function directAnswers(options: DirectAnswerOptions) {
  const { validation, tenants, publicPaths, count, logger } = options;
  const routes = new Map<string, RouteDefinition>();
  for (const route of options.routes) if (route.method === 'get') routes.set(toExpressPath(route.path), route);

  async function answer(
    route: RouteDefinition,
    expressRoute: string,
    params: Record<string, string>,
    tenant: string,
    req: Request,
    res: Response,
  ): Promise<void> {
    await count(tenant, res);
    // What Express leaves for the route it ran: the trace span is named by it.
    (req as Request & { route?: unknown }).route = { path: expressRoute };
    await answerRoute(route, { tenant, params, query: {}, body: undefined }, req, res, logger, false);
  }

  return function answerDirectly(req: Request, res: Response, next: NextFunction): void {
    const headers = req.headers;
    // A request with a body, or whose response is checked against the spec, takes the chain; so
    // does one whose media type the chain refuses, even on a GET.
    if (
      req.method !== 'GET' ||
      (headers['content-type'] !== undefined && namesOtherCharset(headers['content-type'])) ||
      headers['transfer-encoding'] !== undefined ||
      (headers['content-length'] !== undefined && headers['content-length'] !== '0') ||
      validation.responseChecked(req)
    ) {
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
    const matched = validation.validated(req);
    const route = matched === undefined ? undefined : routes.get(matched.expressRoute);
    if (matched === undefined || route === undefined || publicPaths.has(req.path)) {
      next();
      return;
    }
    answer(route, matched.expressRoute, matched.params, tenant, req, res).catch(next);
  };
}
