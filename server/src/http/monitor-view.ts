/**
 * Renders a stored operation as the spec's `Monitor`, and decides the status code it answers with.
 *
 * Contract: "The monitor" of the async contract, as openapi/openapi.yaml states it.
 */
import type { OperationRecord } from '../operations/model.ts';
import { isTerminal } from '../operations/state.ts';
import type { AnyMonitor, Monitor } from './api-types.ts';

/** The URL of an operation's monitor. */
export function monitorHref(operationId: string): string {
  return `/monitors/${operationId}`;
}

/** The URL of an operation's event stream. */
export function eventsHref(operationId: string): string {
  return `/monitors/${operationId}/events`;
}

/** The URL that cancels an operation. */
export function cancelHref(operationId: string): string {
  return `/monitors/${operationId}/cancel`;
}

/**
 * Which of the monitor's own routes a server serves: longrun serves cancel and events only where
 * the API's spec declares them, and a monitor must never link a route that answers 404.
 */
export interface MonitorRoutes {
  /** `POST /monitors/{monitorId}/cancel` is served. */
  readonly cancel: boolean;
  /** `GET /monitors/{monitorId}/events` is served. */
  readonly events: boolean;
}

/** The monitor routes a spec declares (its `paths`, as longrun's own routes are mounted). */
export function monitorRoutesOf(spec: { paths?: Record<string, unknown> | undefined }): MonitorRoutes {
  const declares = (path: string, method: string): boolean => {
    const item = spec.paths?.[path];
    return typeof item === 'object' && item !== null && method in item;
  };
  return {
    cancel: declares('/monitors/{monitorId}/cancel', 'post'),
    events: declares('/monitors/{monitorId}/events', 'get'),
  };
}

/**
 * The monitor representation of an operation.
 *
 * `result` only once succeeded, `error` only once failed, `links.cancel` only while it can still
 * be cancelled; the ETA is dropped once the operation is finished. `links.cancel` and
 * `links.events` appear only where `routes` says the server serves them.
 */
export function toMonitor(operation: OperationRecord, routes: MonitorRoutes): AnyMonitor {
  const terminal = isTerminal(operation.state);
  const links: Monitor['links'] = { self: { href: monitorHref(operation.id) } };
  if (operation.product && operation.state !== 'cancelled' && operation.state !== 'failed') {
    links.product = {
      href: operation.product.href,
      ...(operation.product.title ? { title: operation.product.title } : {}),
    };
  }
  if (operation.related.length > 0) {
    links.related = operation.related.map((link) => ({
      rel: link.rel,
      href: link.href,
      ...(link.title ? { title: link.title } : {}),
    }));
  }
  if (routes.cancel && !terminal && !operation.cancelRequested) links.cancel = { href: cancelHref(operation.id) };
  if (routes.events) links.events = { href: eventsHref(operation.id) };

  const monitor: Monitor = {
    id: operation.id,
    kind: operation.kind as Monitor['kind'],
    state: operation.state,
    progress:
      operation.progress.message === undefined
        ? { percent: operation.progress.percent }
        : { percent: operation.progress.percent, message: operation.progress.message },
    estimatedCompletionAt: terminal ? null : operation.estimatedCompletionAt,
    steps: operation.steps.map((step) => ({
      name: step.name,
      state: step.state,
      ...(step.title ? { title: step.title } : {}),
      ...(step.action && step.state === 'waiting'
        ? { action: { method: step.action.method as 'POST', href: step.action.path } }
        : {}),
    })),
    request: {
      method: operation.request.method as Monitor['request']['method'],
      path: operation.request.path,
      ...(operation.request.body === undefined ? {} : { body: operation.request.body }),
    },
    cancelRequested: operation.cancelRequested,
    createdAt: operation.createdAt,
    updatedAt: operation.updatedAt,
    startedAt: operation.startedAt,
    finishedAt: operation.finishedAt,
    links,
  };
  if (operation.state === 'succeeded' && operation.result !== null && operation.result !== undefined) {
    monitor.result = operation.result;
  }
  if (operation.state === 'failed' && operation.error) monitor.error = operation.error;
  // The kind literal is what makes this one member of the AnyMonitor union; the store holds
  // only kinds the engine registered from the spec.
  return monitor as AnyMonitor;
}

/**
 * The status a monitor answers with: 202 while pending, 201 when it succeeded and created a
 * resource, 200 otherwise.
 */
export function monitorStatus(operation: Pick<OperationRecord, 'state' | 'product'>): 200 | 201 | 202 {
  if (!isTerminal(operation.state)) return 202;
  if (operation.state === 'succeeded' && operation.product) return 201;
  return 200;
}
