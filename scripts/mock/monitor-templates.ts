/**
 * What the stateful mock builds a kind's monitors from, read from the spec's examples alone: the
 * queued monitor its accepting operation answers `202` with, the terminal monitors its `200`/`201`
 * answers show (keyed by example name: `succeeded`, `failed`, `cancelled`…), the product they link
 * and the ids the examples use (replaced by fresh ones for every accepted request).
 */
import { sample } from 'openapi-sampler';
import { type AsyncOperation, type IndexedOperation, isObject, type JsonObject, type SpecIndex } from './spec-index.ts';

/** The contract's monitor routes (`/monitors/{monitorId}` is where every monitor lives). */
export const monitorPaths = {
  list: '/monitors',
  monitor: '/monitors/{monitorId}',
  cancel: '/monitors/{monitorId}/cancel',
  events: '/monitors/{monitorId}/events',
} as const;

/** A monitor state that ends the operation. */
export const terminalStates: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

/** The examples of one operation kind. */
export interface KindTemplates {
  kind: string;
  /** The operation that accepts requests of this kind. */
  operation: IndexedOperation;
  /** The `202` example: how an accepted request looks. */
  queued: JsonObject;
  /** Terminal monitors by example key; `succeeded` is always there (derived when the spec has none). */
  outcomes: ReadonlyMap<string, JsonObject>;
  /** `id`s the kind's monitor examples use. */
  exampleMonitorIds: readonly string[];
  /**
   * The product the examples link (`links.product.href`) and its id, when there is one, with the
   * schema of the path parameter that names it in its read operation (a minted id must pass it).
   */
  product: { href: string; id: string; idSchema: JsonObject | undefined } | undefined;
  /** Whether the product exists from acceptance on (the queued example links it already). */
  productFromStart: boolean;
  /** What the `202`'s `Location` names: the monitor, or (embedded status) the product itself. */
  acceptLocation: 'monitor' | 'product';
  /** Whether the kind accepts one request at a time (its `409` names the pending monitor). */
  oneAtATime: boolean;
}

/** True for an example that is a monitor (an object with a `kind` and a `state`). */
export function isMonitorExample(value: unknown): value is JsonObject {
  return (
    isObject(value) && typeof value.kind === 'string' && typeof value.state === 'string' && typeof value.id === 'string'
  );
}

/**
 * Reads the templates of every `x-longrun-async` operation.
 * @throws {Error} naming the operation that has no `202` answer
 */
export function readKindTemplates(
  spec: SpecIndex,
  operations: readonly AsyncOperation[] = spec.asyncOperations,
): Map<string, KindTemplates> {
  const allMonitorExamples = spec.operations.flatMap((operation) =>
    operation.responses.flatMap((response) =>
      response.examples
        .filter((example) => isMonitorExample(example.value))
        .map((example) => ({ ...example, value: example.value as JsonObject })),
    ),
  );
  const templates = new Map<string, KindTemplates>();
  for (const entry of operations) {
    const operation = spec.operation(entry.operationId);
    const accepted = operation.responses.find((response) => response.code === '202');
    if (accepted === undefined) throw new Error(`${entry.operationId}: the stateful mock needs its 202 answer`);
    // Examples are a recommendation (the lint warns), not a requirement: without one, the contract's monitor.
    const queued =
      accepted.examples.map((example) => example.value).find(isMonitorExample) ?? deriveQueued(entry, operation);

    const outcomes = new Map<string, JsonObject>();
    for (const response of operation.responses.filter(
      (response) => response.code === '200' || response.code === '201',
    )) {
      for (const example of response.examples) {
        if (isMonitorExample(example.value) && terminalStates.has(example.value.state as string)) {
          outcomes.set(example.key, example.value);
        }
      }
    }
    const ofKind = allMonitorExamples.filter((example) => example.value.kind === entry.kind);
    if (![...outcomes.values()].some((outcome) => outcome.state === 'succeeded')) {
      const elsewhere = ofKind.find((example) => example.value.state === 'succeeded')?.value;
      outcomes.set('succeeded', elsewhere ?? deriveSucceeded(spec, queued, entry));
    } else if (!outcomes.has('succeeded')) {
      const first = [...outcomes.values()].find((outcome) => outcome.state === 'succeeded');
      if (first) outcomes.set('succeeded', first);
    }

    const productLink = (monitor: JsonObject) => {
      const links = isObject(monitor.links) ? monitor.links : {};
      const product = isObject(links.product) ? links.product : undefined;
      return typeof product?.href === 'string' ? product.href : undefined;
    };
    let productHref = productLink(queued) ?? productLink(outcomes.get('succeeded') ?? {});
    if (productHref === undefined) {
      // No example links the product: its read operation's path names it, and the succeeded monitor links it.
      productHref = deriveProductHref(spec, entry);
      const succeeded = outcomes.get('succeeded');
      if (productHref !== undefined && succeeded !== undefined) {
        const links = isObject(succeeded.links) ? succeeded.links : {};
        outcomes.set('succeeded', { ...succeeded, links: { ...links, product: { href: productHref } } });
      }
    }
    const locationExample = accepted.headers.find((header) => header.name.toLowerCase() === 'location')?.example;
    const locationOperations = typeof locationExample === 'string' ? spec.operationsAt(locationExample) : [];

    templates.set(entry.kind, {
      kind: entry.kind,
      operation,
      queued,
      outcomes,
      exampleMonitorIds: [
        ...new Set(
          [queued, ...outcomes.values(), ...ofKind.map((example) => example.value)].map(
            (monitor) => monitor.id as string,
          ),
        ),
      ],
      product:
        productHref === undefined
          ? undefined
          : {
              href: productHref,
              id: productHref.split('/').at(-1) ?? productHref,
              idSchema: lastPathParameterSchema(spec, productHref),
            },
      productFromStart: productLink(queued) !== undefined,
      acceptLocation:
        productHref !== undefined &&
        locationOperations.length > 0 &&
        !locationOperations.some((match) => match.operation.path === monitorPaths.monitor)
          ? 'product'
          : 'monitor',
      oneAtATime:
        entry.oneAtATime ||
        operation.responses.some(
          (response) => response.code === '409' && spec.schemaRequires(response.schema, 'monitor'),
        ),
    });
  }
  return templates;
}

/** A queued monitor of `entry`'s kind with every field the contract requires, for a `202` without an example. */
function deriveQueued(entry: AsyncOperation, operation: IndexedOperation): JsonObject {
  const id = 'op_00000000000000000000000000';
  const at = '2026-01-01T00:00:00Z';
  return {
    id,
    kind: entry.kind,
    state: 'queued',
    progress: { percent: 0 },
    estimatedCompletionAt: null,
    steps: entry.steps.map((name) => ({ name, state: 'pending' })),
    request: { method: operation.method.toUpperCase(), path: operation.path },
    cancelRequested: false,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    finishedAt: null,
    links: { self: { href: `/monitors/${id}` } },
  };
}

/**
 * A succeeded monitor for a kind whose examples show none: the queued example, finished, with the
 * first example of its result schema as `result` (sampled from the schema when it has none).
 */
function deriveSucceeded(spec: SpecIndex, queued: JsonObject, entry: AsyncOperation): JsonObject {
  const steps = Array.isArray(queued.steps) ? queued.steps.filter(isObject) : [];
  const derived: JsonObject = {
    ...queued,
    state: 'succeeded',
    progress: { percent: 100 },
    steps: steps.map((step) => ({ ...step, state: 'succeeded' })),
  };
  if (entry.result !== null) {
    const ref = `#/components/schemas/${entry.result}`;
    const example = spec.operations
      .flatMap((operation) => operation.responses)
      .find((response) => response.schema?.$ref === ref && response.examples.length > 0)?.examples[0];
    // No example of the result anywhere: one sampled from its schema, as Prism's dynamic mode would.
    derived.result = example?.value ?? (sample({ $ref: ref } as never, {}, spec.document as never) as unknown);
  }
  return derived;
}

/**
 * Where the product of a kind whose examples link none lives: the path of the `GET` that answers its
 * schema, its last parameter filled with an id prefixed as the schema's sampled `id` is (else by the
 * schema's name), which every accepted request then replaces with a fresh one.
 */
function deriveProductHref(spec: SpecIndex, entry: AsyncOperation): string | undefined {
  if (entry.product === null) return undefined;
  const ref = `#/components/schemas/${entry.product}`;
  const read = spec.operations.find(
    (operation) =>
      operation.method === 'get' &&
      /\{[^}/]+\}$/.test(operation.path) &&
      operation.responses.some((response) => response.code.startsWith('2') && response.schema?.$ref === ref),
  );
  if (read === undefined) return undefined;
  const sampled = sample({ $ref: ref } as never, {}, spec.document as never) as unknown;
  const sampledId = isObject(sampled) && typeof sampled.id === 'string' ? sampled.id : '';
  const prefix = /^[a-z]+_/i.test(sampledId) ? sampledId.split('_')[0] : entry.product.slice(0, 3).toLowerCase();
  return read.path.replace(/\{[^}/]+\}$/, `${prefix}_00000000000000000000000000`);
}

/** The schema of the last path parameter of the `GET` that reads `href` (the product's id), if declared. */
function lastPathParameterSchema(spec: SpecIndex, href: string): JsonObject | undefined {
  const read = spec.operationsAt(href).find((match) => match.operation.method === 'get')?.operation;
  const name = read?.path.match(/\{([^}/]+)\}$/)?.[1];
  return read?.parameters.find((parameter) => parameter.in === 'path' && parameter.name === name)?.schema;
}
