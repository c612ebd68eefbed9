/**
 * Route handlers typed from the spec: a handler for `POST /cars` receives the `CarSpec` body and
 * must return one of the statuses the spec declares for it, each with that status's body type.
 * A wrong path, status or body does not compile (`typed-route.test-d.ts` proves it).
 *
 * Error statuses are not returned: they are thrown as {@link HttpProblem} and rendered by the one
 * problem handler.
 */
import type { paths } from './api-types.ts';
import type { OperationRequest, OperationResult } from './spec-server.ts';

/** The HTTP methods routes are written for. */
export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A path of the spec. */
export type ApiPath = keyof paths;

/** The methods the spec declares for a path. */
export type MethodOf<P extends ApiPath> = {
  [M in RouteMethod]: paths[P][M] extends { responses: unknown } ? M : never;
}[RouteMethod];

type OperationAt<P extends ApiPath, M extends MethodOf<P>> = paths[P][M] extends infer O
  ? O extends { responses: unknown }
    ? O
    : never
  : never;

/** One answer a handler may give: a declared success status and its body type. */
export type RouteResult<P extends ApiPath, M extends MethodOf<P>> = OperationResult<OperationAt<P, M>>;

/** What a handler is given: the caller's tenant and the request, validated against the spec. */
export type RouteRequest<P extends ApiPath, M extends MethodOf<P>> = OperationRequest<OperationAt<P, M>>;

/** A route: where it is mounted and what answers it. */
export interface RouteDefinition {
  method: RouteMethod;
  /** The spec's path template, e.g. `/cars/{carId}`. */
  path: string;
  handler(
    request: RouteRequest<never, never>,
  ): Promise<{ status: number; headers?: Record<string, string | number | undefined>; body?: unknown }>;
}

/**
 * Declares a route for a path and method of the spec; the handler's request and answers are
 * typed from it.
 *
 * @example
 * defineRoute('/cars/{carId}', 'get', async ({ tenant, params }) => {
 *   const car = await cars.get(tenant, params.carId);
 *   return { status: 200, body: car };
 * });
 */
export function defineRoute<P extends ApiPath, M extends MethodOf<P>>(
  path: P,
  method: M,
  handler: (request: RouteRequest<P, M>) => Promise<RouteResult<P, M>>,
): RouteDefinition {
  return { path, method, handler: handler as unknown as RouteDefinition['handler'] };
}

/** The Express path of a spec path: `/cars/{carId}` → `/cars/:carId`. */
export function toExpressPath(specPath: string): string {
  return specPath.replace(/\{([^}]+)\}/g, ':$1');
}
