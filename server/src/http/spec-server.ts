/**
 * A server built from a spec: the types of its plain handlers (one per synchronous operation, by
 * `operationId`) and of its kinds (one per long-running operation, by kind), taken from the
 * openapi-typescript `operations` of that spec. `longrun generate` writes `server.gen.ts`, which names
 * them for the spec's own operations; `createServer({ spec, handlers, kinds })` takes them.
 *
 * A missing handler, a handler answering a status or body the spec does not declare, or a kind whose
 * product or result is not the spec's does not compile (`spec-server.test-d.ts` proves it).
 */

import type { DeliverActionOutcome } from '../operations/engine.ts';
import type { KindDefinition } from '../operations/kind.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { Clock } from '../operations/ports/clock.ts';
import type { ResourceRecord } from '../operations/ports/index.ts';

/** The statuses a handler returns itself (errors are thrown as `HttpProblem`). */
type SuccessStatus = 200 | 201 | 202 | 204 | 304;

type ResponsesOf<O> = O extends { responses: infer R } ? R : never;

type JsonBodyOf<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;

/**
 * A `text/event-stream` body: the frames to write, in order, each flushed as it comes; the
 * response ends when the iterable does.
 */
export type EventStreamBody = AsyncIterable<string>;

type EventStreamBodyOf<R> = R extends { content: { 'text/event-stream': unknown } } ? EventStreamBody : never;

type BodyOf<R> = JsonBodyOf<R> | EventStreamBodyOf<R>;

/** Headers of an answer; an undefined value is not sent. */
export type AnswerHeaders = Record<string, string | number | undefined>;

/** One answer an operation's handler may give: a success status its spec declares, with that status's body. */
export type OperationResult<O> = {
  [S in keyof ResponsesOf<O> & SuccessStatus]: [BodyOf<ResponsesOf<O>[S]>] extends [never]
    ? { status: S; headers?: AnswerHeaders; body?: never }
    : { status: S; headers?: AnswerHeaders; body: BodyOf<ResponsesOf<O>[S]> };
}[keyof ResponsesOf<O> & SuccessStatus];

type ParametersOf<O> = O extends { parameters: infer Parameters } ? Parameters : never;

// No parameters: an empty object type, so reading one that does not exist fails to compile.
type PathParamsOf<O> = ParametersOf<O> extends { path: infer Path } ? Path : Record<never, never>;

// openapi-typescript writes `query?: never` for an operation without query parameters.
type QueryOf<O> =
  ParametersOf<O> extends { query?: infer Query }
    ? [NonNullable<Query>] extends [never]
      ? Record<never, never>
      : NonNullable<Query>
    : Record<never, never>;

type RequestBodyOf<O> = O extends { requestBody: { content: { 'application/json': infer Body } } }
  ? Body
  : O extends { requestBody?: { content: { 'application/json': infer Body } } }
    ? Body | undefined
    : undefined;

/** What a handler is given: the caller's tenant and the request, validated against the spec. */
export interface OperationRequest<O> {
  tenant: string;
  params: PathParamsOf<O>;
  query: QueryOf<O>;
  body: RequestBodyOf<O>;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** The path and query as the client sent them (echoed on monitors). */
  path: string;
  /** Fires when the client goes away, so a long wait stops. */
  readonly signal: AbortSignal;
}

/**
 * What plain handlers and acceptance hooks may ask of the server: resources and operations of the
 * caller's tenant, actions for a waiting step, and the monitor as the spec shows it.
 */
export interface ServerApi {
  /** A stored resource (a product, a resource made at acceptance), or undefined. */
  getResource(tenant: string, collection: string, id: string): Promise<ResourceRecord | undefined>;
  /** One of a tenant's operations, or undefined (another tenant's do not exist). */
  getOperation(tenant: string, operationId: string): Promise<OperationRecord | undefined>;
  /**
   * Delivers an action to a step waiting for it (`ctx.awaitAction(name, …)` in the kind); undefined
   * for an unknown operation. Only the first delivery counts.
   */
  deliverAction(
    tenant: string,
    operationId: string,
    action: string,
    payload: unknown,
  ): Promise<DeliverActionOutcome | undefined>;
  /** The operation as its monitor (the contract's `Monitor`; cast it to the spec's monitor type). */
  monitor(operation: OperationRecord): Record<string, unknown>;
  /** Where the operation's monitor is read: `/monitors/{id}`. */
  monitorHref(operationId: string): string;
  /**
   * The headers that point a client at the operation's monitor: `Location` (the monitor), `Link`
   * (`rel="monitor"`) and, until it ends, `Retry-After`.
   */
  monitorHeaders(operation: OperationRecord): { Location: string; Link: string; 'Retry-After'?: number };
  /** A new id with a prefix, sortable by time: `newId('exp')` → `exp_01j9…`. */
  newId(prefix: string): string;
  readonly clock: Clock;
}

/** A plain handler: one synchronous operation of the spec, answered with a status and body it declares. */
export type OperationHandler<O> = (request: OperationRequest<O>, server: ServerApi) => Promise<OperationResult<O>>;

/**
 * A kind's input when it does not shape its acceptance: the operation's validated JSON body; when
 * the operation takes no body, its path and query parameters as one object (`{ carId }`).
 */
export type KindInput<O> = [DeclaredBodyOf<O>] extends [never] ? PathParamsOf<O> & QueryOf<O> : RequestBodyOf<O>;

// openapi-typescript writes `requestBody?: never` for an operation without a body.
type DeclaredBodyOf<O> = O extends { requestBody?: infer Body } ? NonNullable<Body> : never;

/** What a kind's `accept` hook decides about a request. */
export interface Acceptance<Input> {
  /** The kind's input, stored with the operation. */
  input: Input;
  /** A resource that exists from acceptance on (an order readable while it is fulfilled). */
  resource?: { collection: string; id: string; href: string; body: Record<string, unknown> };
  /** Embedded status: the `202`'s `Location` is `resource` itself rather than the monitor. @default false */
  locationIsResource?: boolean;
  /** A callback URL read from the body; the `Callback-Url` header works for every operation anyway. */
  callbackUrl?: string | null | undefined;
  /**
   * Headers of the answer a `GET` gives with its outcome when it finishes within `Prefer: wait`
   * (the resource's `ETag`, as its synchronous answer has).
   */
  headers?: AnswerHeaders;
}

/**
 * An answer without an operation: an operation that may also run synchronously (a read that is
 * asynchronous only with `Prefer: respond-async`) answers at once.
 */
export interface DirectAnswer<O> {
  answer: OperationResult<O>;
}

/** The types of one long-running operation of a spec, as `server.gen.ts` lists them. */
export interface KindTypes {
  /** The operation (`operations['createExport']`). */
  operation: unknown;
  /** The input its kind runs with by default ({@link KindInput}). */
  input: unknown;
  /** The body of the resource it creates (`x-longrun-async.product`), or `never`. */
  product: object;
  /** Its inline result (`x-longrun-async.result`), or `never`. */
  result: unknown;
}

/** How a kind accepts a request of its operation: its input, and whatever exists from acceptance on. */
export type AcceptHook<O, Input> = (
  request: OperationRequest<O>,
  server: ServerApi,
) => Promise<Acceptance<Input> | DirectAnswer<O>>;

/**
 * A kind of the spec: its `run` produces the spec's product or result; `accept`, when given, decides
 * the input (and a resource made at acceptance) from the request.
 */
// biome-ignore lint/suspicious/noExplicitAny: the input is the kind's own; the spec fixes product and result.
export type SpecKind<T extends KindTypes> = KindDefinition<any, T['product'], T['result']> & {
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  accept?: AcceptHook<T['operation'], any> | undefined;
};

/** The body of a spec kind, as the spec-bound `defineKind(name, body)` takes it. */
export type SpecKindBody<T extends KindTypes, Input> = Omit<
  KindDefinition<Input, T['product'], T['result']>,
  'name'
> & {
  /** Decides the input (and a resource made at acceptance) from the request; default: {@link KindInput}. */
  accept?: AcceptHook<T['operation'], Input>;
};

/** The typed handle of a generated spec: where its bundled document is, and the handlers and kinds it needs. */
export interface ServerSpec<Handlers, Kinds> {
  /** The bundled spec (`openapi.gen.json`), or the document itself. */
  readonly document: URL | string | object;
  /** Carries the handler types; never set. */
  readonly handlers?: Handlers;
  /** Carries the kind types; never set. */
  readonly kinds?: Kinds;
}

const KIND_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/**
 * The spec-bound `defineKind` of `server.gen.ts`: `defineKind('export.create', { run… })`, its input,
 * product and result typed from the spec.
 */
export function specKinds<Map extends { [K in keyof Map]: KindTypes }>() {
  return function defineKind<K extends keyof Map & string, Input = Map[K]['input']>(
    name: K,
    body: SpecKindBody<Map[K], Input>,
  ): SpecKind<Map[K]> {
    // The spec names its kinds (`x-longrun-async.kind`), or the operationId for other dialects.
    if (!KIND_NAME.test(name) && !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) {
      throw new RangeError(`a kind name like export.create, or an operationId, is needed: ${name}`);
    }
    const seen = new Set<string>();
    for (const step of body.steps ?? []) {
      if (step.name === '') throw new RangeError(`kind ${name} has a step without a name`);
      if (seen.has(step.name)) throw new RangeError(`kind ${name} repeats step ${step.name}`);
      seen.add(step.name);
    }
    return { ...body, name } as unknown as SpecKind<Map[K]>;
  };
}
