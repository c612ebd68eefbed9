/**
 * The products that mocked operations link: read as the example of their read operation, ids made
 * the operation's, and an action on one (`POST /widget-orders/{id}/fulfilment`) answering its monitor.
 */
import { sample } from 'openapi-sampler';
import { type Exchange, lowest2xx, problem, send } from './exchange.ts';
import { etagOf, type MockState, monitorHref, monitorLink, replaceStrings, retryAfter } from './mock-state.ts';
import { terminalStates } from './monitor-templates.ts';
import { type MockOperation, monitorAt } from './monitor-timeline.ts';
import { type IndexedOperation, isObject, type JsonObject, type SpecIndex } from './spec-index.ts';

/** A product a monitor links: the example of its read operation, its ids and shared fields made this operation's. */
export function product(state: MockState, exchange: Exchange, owner: MockOperation): Promise<void> {
  const snapshot = monitorAt(owner, Date.now());
  const response = lowest2xx(exchange.operation);
  const examples = response?.examples ?? [];
  // A resource's examples are listed in lifecycle order: the first while it is made, the last once done.
  const example = snapshot.state === 'succeeded' ? examples.at(-1) : examples[0];
  const kind = state.templates.get(owner.kind);
  const replacements = new Map<string, string>(kind?.exampleMonitorIds.map((exampleId) => [exampleId, owner.id]) ?? []);
  if (kind?.product !== undefined && owner.productHref !== undefined) {
    replacements.set(kind.product.id, owner.productHref.split('/').at(-1) ?? kind.product.id);
  }
  const productId = owner.productHref?.split('/').at(-1);
  const body =
    example === undefined
      ? sampledProduct(state, response?.schema, productId)
      : replaceStrings(example.value, replacements);
  if (isObject(body)) {
    // An embedded-status resource carries its operation's progress and ETA.
    for (const field of ['progress', 'estimatedCompletionAt'] as const) {
      if (field in body) body[field] = snapshot.monitor[field];
    }
  }
  return send(exchange, response?.code ?? '200', { headers: { Link: monitorLink(owner.id) }, body });
}

/** An action on a product (`POST /widget-orders/{id}/fulfilment`): answers the product's monitor. */
export function productAction(state: MockState, exchange: Exchange, owner: MockOperation): Promise<void> {
  const snapshot = monitorAt(owner, Date.now());
  if (terminalStates.has(snapshot.state)) {
    return problem(exchange, '409', {
      detail: `${owner.kind} ${owner.id} ended ${snapshot.state}; nothing is waiting for this action.`,
      headers: { Link: monitorLink(owner.id) },
    });
  }
  return send(exchange, '202', {
    headers: {
      ETag: etagOf(owner, snapshot),
      Location: monitorHref(owner.id),
      'Retry-After': retryAfter(state, snapshot),
      Link: monitorLink(owner.id),
    },
    body: snapshot.monitor,
  });
}

/** Whether the operation's `202` answers a monitor (an action that moves an operation on). */
export function answersWithMonitor(spec: SpecIndex, operation: IndexedOperation): boolean {
  return operation.responses.some(
    (response) => response.code === '202' && spec.schemaRequires(response.schema, 'state'),
  );
}

/** A product of a read operation with no example: sampled from its schema, as Prism's dynamic mode would, with its id. */
function sampledProduct(state: MockState, schema: JsonObject | undefined, productId: string | undefined): unknown {
  if (schema === undefined) return undefined;
  const body = sample(schema as never, {}, state.spec.document as never) as unknown;
  if (isObject(body) && 'id' in body && productId !== undefined) body.id = productId;
  return body;
}
