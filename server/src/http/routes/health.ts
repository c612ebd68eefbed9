/**
 * `/healthz`: the service is up and its store answers.
 */
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
