/**
 * How a handler's ending becomes the operation's terminal write: a returned outcome → succeeded
 * (with its product, related resources or result), a thrown error → failed with a problem, a
 * cancel → cancelled. Open steps are closed on the way (see `closeOpenSteps`).
 */

import { LongrunServerError } from './longrun-server-error.ts';
import type { StoredLink, StoredProblem, StoredStep } from './model.ts';
import type { OperationPatch, PublishedResource } from './ports/index.ts';
import { OPERATION_PROBLEMS } from './problems.ts';
import { closeOpenSteps } from './steps.ts';

/** A terminal patch and the resources stored with it, in one transaction. */
export interface TerminalWrite {
  patch: OperationPatch;
  resources: PublishedResource[];
}

/** A handler returned something that is not a {@link KindOutcome} (only possible from untyped code). */
export class InvalidOutcomeError extends LongrunServerError {
  override readonly name = 'InvalidOutcomeError';
  readonly code = 'invalid-outcome';
}

/** The link relation of an operation's product. */
export const PRODUCT_REL = 'product';

/**
 * The `succeeded` write for what a handler returned (`undefined` counts as "no product, no
 * result"). Progress ends at 100 and the ETA is cleared.
 *
 * @throws InvalidOutcomeError when `outcome` is malformed.
 */
export function succeededWrite(outcome: unknown, steps: readonly StoredStep[]): TerminalWrite {
  const value = outcome ?? {};
  if (!isObject(value)) throw new InvalidOutcomeError(`a handler must return an object, not ${typeof value}`);
  const patch: OperationPatch = {
    state: 'succeeded',
    progress: { percent: 100 },
    estimatedCompletionAt: null,
    steps: closeOpenSteps(steps, 'succeeded'),
  };
  const resources: PublishedResource[] = [];
  if (value.product !== undefined && value.result !== undefined) {
    throw new InvalidOutcomeError('a handler returns a product or a result, not both');
  }
  if (value.product !== undefined) {
    const product = value.product;
    if (!isObject(product)) throw new InvalidOutcomeError('product must be an object');
    const collection = text(product.collection, 'product.collection');
    const id = text(product.id, 'product.id');
    const href = text(product.href, 'product.href');
    if (!isObject(product.body)) throw new InvalidOutcomeError('product.body must be an object');
    patch.product = link(PRODUCT_REL, href, product.title);
    resources.push({ collection, id, body: product.body });
  }
  if (value.result !== undefined) patch.result = value.result;
  if (value.related !== undefined) {
    if (!Array.isArray(value.related)) throw new InvalidOutcomeError('related must be an array');
    patch.related = value.related.map((entry: unknown, index): StoredLink => {
      if (!isObject(entry)) throw new InvalidOutcomeError(`related[${index}] must be an object`);
      const stored = link(
        text(entry.rel, `related[${index}].rel`),
        text(entry.href, `related[${index}].href`),
        entry.title,
      );
      if (entry.resource !== undefined) {
        const resource = entry.resource;
        if (!isObject(resource) || !isObject(resource.body)) {
          throw new InvalidOutcomeError(`related[${index}].resource must have an object body`);
        }
        resources.push({
          collection: text(resource.collection, `related[${index}].resource.collection`),
          id: text(resource.id, `related[${index}].resource.id`),
          body: resource.body,
        });
      }
      return stored;
    });
  }
  return { patch, resources };
}

/** The `failed` write for `problem`; the ETA is cleared and progress kept as it was. */
export function failedWrite(problem: StoredProblem, steps: readonly StoredStep[]): TerminalWrite {
  return {
    patch: { state: 'failed', error: problem, estimatedCompletionAt: null, steps: closeOpenSteps(steps, 'failed') },
    resources: [],
  };
}

/** The `cancelled` write: no product, no result; the ETA is cleared. */
export function cancelledWrite(steps: readonly StoredStep[]): TerminalWrite {
  return {
    patch: { state: 'cancelled', estimatedCompletionAt: null, steps: closeOpenSteps(steps, 'cancelled') },
    resources: [],
  };
}

/** The failure for a handler that returned a malformed outcome. */
export function invalidOutcomeProblem(error: InvalidOutcomeError): StoredProblem {
  return { ...OPERATION_PROBLEMS.invalidOutcome, detail: error.message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidOutcomeError(`${what} must be a non-empty string`);
  return value;
}

function link(rel: string, href: string, title: unknown): StoredLink {
  if (title === undefined) return { rel, href };
  if (typeof title !== 'string') throw new InvalidOutcomeError('a link title must be a string');
  return { rel, href, title };
}
