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
 *
 * The server's own listener runs the lane in front of Express (`listener`): a request it takes is
 * answered on Node's request and response, without the work Express does to every request before
 * its first middleware; an application mounted elsewhere runs it as a middleware (`middleware`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { OperationLogger } from '../operations/logger.ts';
import type { TenantDirectory } from './auth.ts';
import type { RequestValidation } from './fast-request-validation.ts';
import { namesOtherCharset } from './request-limits.ts';
import { isOriginForm, originForm, pathOf } from './request-path.ts';
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

/**
 * Marks a request the listener in front of the chain has already decided on and handed to it
 * (passed by, or counted and handed on): the chain's lane does not read it a second time.
 */
const DECIDED = Symbol('longrun.decidedByLane');

/** A request the lane takes: whose it is, and its route (a `GET`; a `POST` finds it once its body is read). */
interface Taken {
  tenant: string;
  found: Found | undefined;
}

type Found = NonNullable<ReturnType<ReturnType<typeof routeFinder>>>;

/** Finds the route of a request the fast validation let through, if the application has one. */
function routeFinder(validation: RequestValidation, definitions: readonly RouteDefinition[]) {
  const routes = new Map<string, RouteDefinition>();
  for (const route of definitions) routes.set(`${route.method.toUpperCase()} ${toExpressPath(route.path)}`, route);
  return (req: Request) => {
    const matched = validation.validated(req);
    const route = matched === undefined ? undefined : routes.get(`${req.method} ${matched.expressRoute}`);
    return route === undefined || matched === undefined ? undefined : { route, ...matched };
  };
}

/** The lane: which requests it takes, and how it answers them. */
export interface DirectAnswers {
  /**
   * The lane as an Express middleware, after the chain's first steps (request id, CORS, the
   * target's check): answers an ordinary request itself, passes every other one on.
   */
  middleware(req: Request, res: Response, next: NextFunction): void;
  /**
   * The lane in front of the whole application, as the HTTP server's request listener: an ordinary
   * request is answered without Express (its first steps run by `begin`, as the chain would run
   * them); every other one goes to `app` untouched. An error is rendered by `fail`.
   */
  listener(front: FrontSteps): (req: IncomingMessage, res: ServerResponse) => void;
}

/** What the listener runs around the lane: the chain's own first steps, its renderer and the chain. */
export interface FrontSteps {
  /**
   * The chain's first steps on a request the lane took, then `next` (inside the request's trace).
   * @throws what the chain's first middleware throws (a target it refuses)
   */
  begin(req: Request, res: Response, next: () => void): void;
  /** Renders an error as the chain's problem handler does. */
  fail(error: unknown, req: Request, res: Response): void;
  /** The whole chain, for every request the lane does not take. */
  app(req: Request, res: Response): void;
}

/** Builds the lane from the application's own parts. */
export function directAnswers(options: DirectAnswerOptions): DirectAnswers {
  const { validation, tenants, publicPaths, servedBeside, count, readJsonBody, logger } = options;
  const routeOf = routeFinder(validation, options.routes);

  async function answer(found: Found, tenant: string, req: Request, res: Response): Promise<void> {
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

  /**
   * Whether the lane takes `req`, decided from what it carries alone (nothing counted, read or
   * written yet): a GET without a body or a POST with a plain JSON body of declared length, a
   * valid key, a path of the spec, and a response not drawn for the spec check.
   */
  function take(req: Request): Taken | undefined {
    const headers = req.headers;
    const method = req.method;
    const contentType = headers['content-type'];
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
    // A target in origin form only (`/monitors/…`): the lane reads its path from it as it is.
    if (!(plainGet || plainPost) || !isOriginForm(req.originalUrl) || validation.responseChecked(req)) return undefined;
    let tenant: string;
    try {
      tenant = tenants.authenticate(headers.authorization);
    } catch {
      // Refused on the chain, where the refusal is counted against the address.
      return undefined;
    }
    const path = pathOf(req);
    if (publicPaths.has(path) || servedBeside(path)) return undefined;
    if (plainPost) return { tenant, found: undefined };
    const found = routeOf(req);
    return found === undefined ? undefined : { tenant, found };
  }

  /**
   * {@link take}, for the listener, where nothing stands behind it to catch: a request whose reading
   * throws is left to the chain (nothing was counted, read or written yet), which answers the error
   * as it answers any, instead of the error escaping the server's listener.
   */
  function takeOrLeave(req: Request): Taken | undefined {
    try {
      return take(req);
    } catch {
      return undefined;
    }
  }

  /** Answers a request the lane took; `next` hands it on (with an error, to the problem handler). */
  function run(taken: Taken, req: Request, res: Response, next: NextFunction): void {
    const { tenant, found } = taken;
    if (found === undefined) {
      answerWithBody(tenant, req, res, next).catch(next);
      return;
    }
    count(tenant, res)
      .then(() => answer(found, tenant, req, res))
      .catch(next);
  }

  return {
    middleware(req, res, next) {
      // Decided once: the listener in front already read it (its key digest, its validation).
      if ((req as Request & { [DECIDED]?: true })[DECIDED]) {
        next();
        return;
      }
      const taken = take(req);
      if (taken === undefined) next();
      else run(taken, req, res, next);
    },
    listener(front) {
      return (incoming, outgoing) => {
        // Express's own request and response add nothing the lane uses: the node ones serve it,
        // with the target Express would keep as `originalUrl`.
        const req = incoming as Request;
        const res = outgoing as Response;
        req.url = originForm(req.url);
        req.originalUrl = req.url;
        const taken = takeOrLeave(req);
        const handOn = () => {
          (req as Request & { [DECIDED]?: true })[DECIDED] = true;
          front.app(req, res);
        };
        if (taken === undefined) {
          handOn();
          return;
        }
        const next = (error?: unknown) => {
          if (error !== undefined) front.fail(error, req, res);
          else handOn();
        };
        try {
          front.begin(req, res, () => run(taken, req, res, next));
        } catch (error) {
          front.fail(error, req, res);
        }
      };
    },
  };
}
