/**
 * An operation kind: the named piece of work a team registers (`car.create`), with its initial
 * steps, ETA, one-at-a-time lock and handler.
 *
 * The generics tie a handler's return to its product and result types, so the HTTP layer can bind
 * them to the OpenAPI schemas and a wrong product body fails to compile.
 */
import type { OperationContext } from './context.ts';
import type { KindStep } from './steps.ts';

export type { KindStep };

/**
 * Where an outside kind's work is sent: a worker outside this process takes the task from `queue`
 * and reports back through the broker (see `broker/`). The local runner never claims such a kind.
 */
export interface OutsideWork {
  /** The task queue (or subject) its tasks are published to. @default the broker adapter's name for the kind */
  readonly queue?: string | undefined;
}

/** The resource a succeeded operation created: stored, and linked as the monitor's product. */
export interface ProductOutcome<Product> {
  /** Resource collection, e.g. `cars`. */
  collection: string;
  id: string;
  /** Where the product is read, e.g. `/cars/car_01j9…` (the monitor's 201 `Location`). */
  href: string;
  title?: string;
  body: Product;
}

/** A further resource a succeeded operation produced (an order's widgets and invoice). */
export interface RelatedOutcome {
  /** Link relation naming what it is, e.g. `invoice`. */
  rel: string;
  href: string;
  title?: string;
  /** Stored with the terminal state when given; omit when the resource lives elsewhere. */
  resource?: { collection: string; id: string; body: Record<string, unknown> };
}

/**
 * What a handler returns: a created product, an inline result, or neither (a machine shutdown).
 * Any of them may list related resources.
 */
export type KindOutcome<Product, Result> =
  | { product: ProductOutcome<Product>; related?: readonly RelatedOutcome[]; result?: never }
  | { result: Result; related?: readonly RelatedOutcome[]; product?: never }
  | { related?: readonly RelatedOutcome[]; product?: never; result?: never };

/**
 * A registered kind of operation.
 *
 * @typeParam Input The handler's input (the validated request body).
 * @typeParam Product The body of the resource it creates, or `never` when it creates none.
 * @typeParam Result The inline result, or `never` when it has none.
 */
export interface KindDefinition<Input = unknown, Product extends object = never, Result = never> {
  /** Lower-case name, dotted when it helps: `car.create`, `reindex`. */
  readonly name: string;
  /** Initial workflow steps, all `pending`. */
  readonly steps?: readonly KindStep[];
  /** Expected duration in ms, from which `estimatedCompletionAt` starts. */
  estimateMs?(input: Input): number;
  /**
   * One at a time: operations with the same key (per tenant) never run side by side; a second
   * request while one is active is refused (`locked`). Null or absent: no lock.
   */
  lockKey?(input: Input): string | null;
  /**
   * Set when the work is done by an outside worker through a message broker: the operation is
   * dispatched to `outside.queue` instead of `run` in this process.
   */
  readonly outside?: OutsideWork;
  /** Does the work. Throw to fail; honour `ctx.signal` to stop early on cancel. */
  run(input: Input, ctx: OperationContext): Promise<KindOutcome<Product, Result>>;
}

/** Any kind, as the engine holds them (inputs are checked by the HTTP layer, not here). */
export type AnyKind = KindDefinition<never, object, unknown>;

const KIND_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/;

/**
 * Declares a kind, checking its name and step names, and keeping its types.
 *
 * @example
 * export const createCar = defineKind<CarInput, Car>({
 *   name: 'car.create',
 *   steps: [{ name: 'chassis' }, { name: 'paint' }],
 *   estimateMs: () => 2_000,
 *   async run(input, ctx) {
 *     await ctx.step('chassis', 'running');
 *     const car = { id: newId('car'), ...input };
 *     return { product: { collection: 'cars', id: car.id, href: `/cars/${car.id}`, body: car } };
 *   },
 * });
 */
export function defineKind<Input, Product extends object = never, Result = never>(
  definition: KindDefinition<Input, Product, Result>,
): KindDefinition<Input, Product, Result> {
  if (!KIND_NAME.test(definition.name)) {
    throw new RangeError(`kind name must be lower-case words joined by dots, like car.create: ${definition.name}`);
  }
  const seen = new Set<string>();
  for (const step of definition.steps ?? []) {
    if (step.name === '') throw new RangeError(`kind ${definition.name} has a step without a name`);
    if (seen.has(step.name)) throw new RangeError(`kind ${definition.name} repeats step ${step.name}`);
    seen.add(step.name);
  }
  return definition;
}

/** Indexes kinds by name, refusing two kinds with one name. */
export function indexKinds(kinds: Iterable<AnyKind>): ReadonlyMap<string, AnyKind> {
  const byName = new Map<string, AnyKind>();
  for (const kind of kinds) {
    if (byName.has(kind.name)) throw new RangeError(`two kinds are named ${kind.name}`);
    byName.set(kind.name, kind);
  }
  return byName;
}
