/**
 * Route handlers typed from the spec: a handler for `POST /cars` receives the `CarSpec` body and
 * must return one of the statuses the spec declares for it, each with that status's body type.
 * A wrong path, status or body does not compile (`typed-route.test-d.ts` proves it).
 *
 * Error statuses are not returned: they are thrown as {@link HttpProblem} and rendered by the one
 * problem handler.
 */
import type { paths } from './api-types.ts';

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

/** The statuses a handler returns itself (errors are thrown). */
type SuccessStatus = 200 | 201 | 202 | 204 | 304;

type ResponsesOf<O> = O extends { responses: infer R } ? R : never;

type JsonBodyOf<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;

/**
 * A `text/event-stream` body: the frames to write, in order, each flushed as it comes; the
 * response ends when the iterable does. The handler ends it when `signal` fires.
 */
export type EventStreamBody = AsyncIterable<string>;

type EventStreamBodyOf<R> = R extends { content: { 'text/event-stream': unknown } } ? EventStreamBody : never;

type BodyOf<R> = JsonBodyOf<R> | EventStreamBodyOf<R>;

/** One answer a handler may give: a declared success status and its body type. */
export type RouteResult<P extends ApiPath, M extends MethodOf<P>> = {
  [S in keyof ResponsesOf<OperationAt<P, M>> & SuccessStatus]: [BodyOf<ResponsesOf<OperationAt<P, M>>[S]>] extends [
    never,
  ]
    ? { status: S; headers?: Record<string, string | number | undefined>; body?: never }
    : {
        status: S;
        headers?: Record<string, string | number | undefined>;
        body: BodyOf<ResponsesOf<OperationAt<P, M>>[S]>;
      };
}[keyof ResponsesOf<OperationAt<P, M>> & SuccessStatus];

type ParametersOf<O> = O extends { parameters: infer Parameters } ? Parameters : never;

// No parameters: an empty object type, so reading one that does not exist fails to compile.
type PathParamsOf<O> = ParametersOf<O> extends { path: infer Path } ? Path : Record<never, never>;

type QueryOf<O> = ParametersOf<O> extends { query?: infer Query } ? NonNullable<Query> : Record<never, never>;

type RequestBodyOf<O> = O extends { requestBody: { content: { 'application/json': infer Body } } }
  ? Body
  : O extends { requestBody?: { content: { 'application/json': infer Body } } }
    ? Body | undefined
    : undefined;

/** What a handler is given: the caller's tenant and the request, validated against the spec. */
export interface RouteRequest<P extends ApiPath, M extends MethodOf<P>> {
  tenant: string;
  params: PathParamsOf<OperationAt<P, M>>;
  query: QueryOf<OperationAt<P, M>>;
  body: RequestBodyOf<OperationAt<P, M>>;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The path and query as the client sent them (echoed on monitors). */
  path: string;
  /** Fires when the client goes away, so a long poll stops waiting. */
  signal: AbortSignal;
}

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
