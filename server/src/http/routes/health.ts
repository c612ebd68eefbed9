/**
 * `/healthz`: the service is up and its store answers.
 */
import express from 'express';
import type { HttpContext } from '../http-context.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

/** The version reported by `/healthz`. */
export const SERVICE_VERSION = '0.1.0';

/** The route of `/healthz`; `checkStore` throws when the store does not answer. */
export function healthRoutes(
  _context: HttpContext,
  storeName: string,
  checkStore: () => Promise<void>,
): RouteDefinition[] {
  return [
    defineRoute('/healthz', 'get', async () => {
      await checkStore();
      return { status: 200, body: { status: 'ok' as const, store: storeName, version: SERVICE_VERSION } };
    }),
  ];
}

/** Where health is answered. */
export const HEALTH_PATH = '/healthz';

/**
 * `/healthz` for a spec that does not declare it: load balancers and container health checks ask
 * every longrun server for it, so it is served outside the spec, without an API key, like `/metrics`.
 */
export function healthRouter(storeName: string, checkStore: () => Promise<void>): express.Router {
  const router = express.Router();
  router.get(HEALTH_PATH, async (_req, res) => {
    await checkStore();
    res.json({ status: 'ok', store: storeName, version: SERVICE_VERSION });
  });
  return router;
}
