/**
 * Every route of a spec, built from the spec itself: a long-running operation (`x-longrun-async`, or
 * the Azure and OpenAPI-links dialects) is the one accept flow with its kind; the monitor, its
 * cancel and events, health and webhook paths are longrun's own; every other operation is the plain
 * handler named by its `operationId`.
 *
 * What is missing or left over (an operation without operationId, without a handler or kind; a
 * handler or kind the spec does not name) is refused at start, all of it in one error.
 */
import {
  type AsyncOperationEntry,
  type OpenApiDocument,
  pathItemMethods,
  readAsyncOperations,
} from '@longrun/openapi/async-operations';
import { newId } from '../operations/ids.ts';
import { LongrunServerError } from '../operations/longrun-server-error.ts';
import type { OperationRecord } from '../operations/model.ts';
import { isTerminal } from '../operations/state.ts';
import { type AcceptAnswer, type AcceptRequest, acceptOperation } from './accept.ts';
import type { AnyMonitor } from './api-types.ts';
import { linkHeader, retryAfterFromEta } from './headers.ts';
import type { HttpContext } from './http-context.ts';
import { monitorHref } from './monitor-view.ts';
import type { Acceptance, AcceptHook, AnswerHeaders, OperationRequest, ServerApi } from './spec-server.ts';
import type { RouteDefinition, RouteMethod } from './typed-route.ts';

/** A spec the server cannot serve as given: every reason, one per line. */
export class SpecServerError extends LongrunServerError {
  override readonly name = 'SpecServerError';
  readonly code = 'spec-not-served';
  /** Every reason, for a caller to show its own way. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`the server cannot serve this spec:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/** A handler as the routes call it; its request was checked against the spec by the generated types. */
type AnyHandler = (
  request: OperationRequest<unknown>,
  server: ServerApi,
) => Promise<{ status: number; headers?: AnswerHeaders; body?: unknown }>;

/** What the routes of a spec are built from. */
export interface SpecRoutesOptions {
  /** The bundled spec. */
  spec: OpenApiDocument;
  context: HttpContext;
  /** longrun's own routes (monitors, events, health, webhooks) and any extra routes; mounted where the spec declares them. */
  builtins: readonly RouteDefinition[];
  /** Plain handlers by operationId. */
  handlers: object;
  /** The kinds' names, and the acceptance hook of those that shape it. */
  kinds: ReadonlyMap<string, object>;
  server: ServerApi;
  /** Kinds the spec does not name are run by the engine without a route (a list of kinds). @default false */
  allowExtraKinds?: boolean;
}

/**
 * The routes of every operation of `spec`.
 *
 * @throws {SpecServerError} naming every operation without an operationId, handler or kind, and every
 *   handler or kind the spec does not name.
 */
export function specRoutes(options: SpecRoutesOptions): RouteDefinition[] {
  const { spec, context, server } = options;
  const handlers = options.handlers as Readonly<Record<string, unknown>>;
  const problems: string[] = [];
  let asyncOperations: AsyncOperationEntry[] = [];
  try {
    asyncOperations = readAsyncOperations(spec);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const asyncAt = new Map(asyncOperations.map((entry) => [`${entry.method} ${entry.path}`, entry]));
  const builtinAt = new Map(options.builtins.map((route) => [`${route.method} ${route.path}`, route]));
  const routes: RouteDefinition[] = [];
  const handled = new Set<string>();
  const kindsUsed = new Set<string>();
  const missingHandlers: string[] = [];

  for (const [pathName, pathItem] of Object.entries(spec.paths ?? {})) {
    for (const method of pathItemMethods) {
      const operation = pathItem?.[method] as Record<string, unknown> | undefined;
      if (typeof operation !== 'object' || operation === null) continue;
      const where = `${method.toUpperCase()} ${pathName}`;
      const builtin = builtinAt.get(`${method} ${pathName}`);
      if (builtin) {
        routes.push(builtin);
        continue;
      }
      if (!isRouteMethod(method)) {
        problems.push(`${where}: longrun serves get, post, put, patch and delete operations only`);
        continue;
      }
      const operationId = operation.operationId;
      if (typeof operationId !== 'string' || operationId === '') {
        problems.push(`${where} has no operationId: give it one (its handler or kind is named after it)`);
        continue;
      }
      const entry = asyncAt.get(`${method} ${pathName}`);
      if (entry) {
        kindsUsed.add(entry.kind);
        const kind = options.kinds.get(entry.kind);
        if (kind === undefined) {
          problems.push(`${where} (${operationId}) is long-running: add the kind "${entry.kind}" to kinds`);
          continue;
        }
        if (operationId in handlers) {
          problems.push(`${where} (${operationId}) is long-running: its kind "${entry.kind}" serves it, not a handler`);
        }
        routes.push(
          acceptRoute(context, server, entry, operation, (kind as { accept?: AcceptHook<unknown, unknown> }).accept),
        );
        continue;
      }
      const handler = handlers[operationId];
      handled.add(operationId);
      if (typeof handler !== 'function') {
        missingHandlers.push(`${operationId} (${where})`);
        continue;
      }
      routes.push({
        method,
        path: pathName,
        handler: (request) => (handler as AnyHandler)(request as OperationRequest<unknown>, server),
      });
    }
  }
  if (missingHandlers.length > 0) problems.push(`handlers missing for: ${missingHandlers.join(', ')}`);
  const unknownHandlers = Object.keys(handlers).filter((id) => !handled.has(id) && !isAsyncId(id));
  if (unknownHandlers.length > 0) {
    problems.push(`handlers for operations the spec does not have: ${unknownHandlers.join(', ')}`);
  }
  const unknownKinds = options.allowExtraKinds ? [] : [...options.kinds.keys()].filter((name) => !kindsUsed.has(name));
  if (unknownKinds.length > 0) {
    problems.push(
      `kinds the spec does not declare (x-longrun-async.kind, or the operationId of an Azure/links operation): ${unknownKinds.join(', ')}`,
    );
  }
  if (problems.length > 0) throw new SpecServerError(problems);
  return routes;

  function isAsyncId(operationId: string): boolean {
    return asyncOperations.some((entry) => entry.operationId === operationId);
  }
}

function isRouteMethod(method: string): method is RouteMethod {
  return method === 'get' || method === 'post' || method === 'put' || method === 'patch' || method === 'delete';
}

/** Whether the operation takes a JSON body: then a kind's default input is that body. */
function takesBody(operation: Record<string, unknown>): boolean {
  return typeof operation.requestBody === 'object' && operation.requestBody !== null;
}

/** The accept route of one long-running operation. */
function acceptRoute(
  context: HttpContext,
  server: ServerApi,
  entry: AsyncOperationEntry,
  operation: Record<string, unknown>,
  accept: AcceptHook<unknown, unknown> | undefined,
): RouteDefinition {
  const withBody = takesBody(operation);
  const method = entry.method.toUpperCase();
  return {
    method: entry.method as RouteMethod,
    path: entry.path,
    async handler(request) {
      let acceptance: Acceptance<unknown>;
      if (accept) {
        const decided = await accept(request as OperationRequest<unknown>, server);
        if ('answer' in decided) return decided.answer as { status: number; headers?: AnswerHeaders; body?: unknown };
        acceptance = decided;
      } else {
        acceptance = {
          input: withBody ? request.body : { ...(request.params as object), ...(request.query as object) },
        };
      }
      const { resource } = acceptance;
      // A body the operation does not declare means nothing to it: it is neither stored nor echoed,
      // so a client cannot park up to a body limit of data in every monitor read of it.
      const accepted: AcceptRequest = withBody
        ? request
        : {
            tenant: request.tenant,
            path: request.path,
            body: undefined,
            header: (name) => request.header(name),
            get signal() {
              return request.signal;
            },
          };
      const answer = await acceptOperation<AnyMonitor>(context, accepted, method, {
        kind: entry.kind,
        input: acceptance.input,
        resource: resource && { collection: resource.collection, id: resource.id, body: resource.body },
        resourceHref: resource?.href,
        locationIsResource: acceptance.locationIsResource ?? false,
        callbackUrl: acceptance.callbackUrl,
      });
      // A read that may run asynchronously (`GET` with `Prefer: respond-async`) and finished within
      // its wait answers as the read itself would have (RFC 7240 §4.3): its result, or its error
      // with the status the error carries, not the monitor. A `POST` answers its monitor: that is
      // what the request made (see docs/decisions/0008-routes-from-the-spec.md).
      if (entry.method === 'get' && answer.status !== 202) {
        if (answer.body.state === 'succeeded') {
          return {
            status: 200,
            headers: {
              ...acceptance.headers,
              'Preference-Applied': answer.headers['Preference-Applied'],
            },
            body: answer.body.result,
          };
        }
        if (answer.body.state === 'failed' && answer.body.error) return failedRead(answer);
      }
      return answer;
    },
  };
}

/**
 * A read that failed within its wait: the operation's own problem, as a synchronous read that failed
 * would answer, with the monitor linked (`rel="monitor"`) for whoever wants the steps that led to it.
 * A problem whose `status` is not an error status (a kind's mistake) answers `500`, as any failure
 * without one does.
 */
function failedRead(answer: AcceptAnswer<AnyMonitor>): {
  status: number;
  headers: AnswerHeaders;
  body: Record<string, unknown>;
} {
  const problem = answer.body.error as Record<string, unknown> & { status?: unknown };
  const status =
    typeof problem.status === 'number' &&
    Number.isInteger(problem.status) &&
    problem.status >= 400 &&
    problem.status <= 599
      ? problem.status
      : 500;
  return {
    status,
    headers: {
      'Content-Type': 'application/problem+json',
      Link: answer.headers.Link,
      'Preference-Applied': answer.headers['Preference-Applied'],
    },
    body: problem,
  };
}

/** The server's API for plain handlers and acceptance hooks. */
export function serverApi(context: HttpContext): ServerApi {
  const { engine, clock } = context;
  return {
    getResource: (tenant, collection, id) => engine.getResource(tenant, collection, id),
    getOperation: (tenant, operationId) => engine.get(tenant, operationId),
    deliverAction: (tenant, operationId, action, payload) => engine.deliverAction(tenant, operationId, action, payload),
    monitor: (operation: OperationRecord) => context.toMonitor(operation) as unknown as Record<string, unknown>,
    monitorHref,
    monitorHeaders(operation) {
      const href = monitorHref(operation.id);
      return {
        Location: href,
        Link: linkHeader(href, 'monitor'),
        ...(isTerminal(operation.state)
          ? {}
          : { 'Retry-After': retryAfterFromEta(operation.estimatedCompletionAt, clock.now(), context.retryAfter) }),
      };
    },
    newId: (prefix) => newId(prefix, clock.now()),
    clock,
  };
}
