/**
 * The type-level link from an accepted response to what waiting on it yields, read from the spec.
 *
 * Every async operation's 202 body is a per-kind monitor whose `kind` is a literal
 * (`CarCreationMonitor` has `kind: 'car.create'`); the generated `AsyncKinds` maps each kind to its
 * product or inline result (from the operation's `x-longrun-async`). So `waitFor` on the answer to
 * `POST /cars` is typed `Car` with no hand-written mapping.
 */
import type { AsyncKind, AsyncKinds, components } from '@longrun/openapi';

export type { AsyncKind, AsyncKinds, components, paths } from '@longrun/openapi';

/** A monitor of any kind: the status resource of one accepted request. */
export type AnyMonitor = components['schemas']['AnyMonitor'];

/** The states of a monitor: `queued` → `running` → `succeeded` | `failed` | `cancelled`. */
export type MonitorState = components['schemas']['MonitorState'];

/** One named workflow step of a monitor. */
export type MonitorStep = components['schemas']['Step'];

/** An RFC 9457 problem document. @see https://www.rfc-editor.org/rfc/rfc9457 */
export type Problem = components['schemas']['Problem'];

/**
 * What every monitor has, whatever the spec it comes from: the fields a wait's type reads. A spec
 * built on the shared contract components has them on each of its monitors.
 */
export interface MonitorShape {
  /** The operation kind, a literal per operation (`'car.create'`). */
  kind: string;
  /** Where the operation stands. */
  state: MonitorState;
}

/**
 * The monitor of operations of kind `K`, for the reference API's kinds (for another spec's, the
 * type comes from its own answers; see {@link MonitorOfResponse}).
 * @example MonitorOfKind<'car.create'> // CarCreationMonitor
 */
export type MonitorOfKind<K extends AsyncKind> = Extract<AnyMonitor, { kind: K }>;

/**
 * What a succeeded operation of kind `K` yields: its product (the created resource) when the spec
 * names one, else its inline result, else `undefined`. `Kinds` is the spec's generated `AsyncKinds`
 * map (`{ [kind]: { product, result } }`, `never` where there is none): the reference API's by default.
 *
 * @example OutcomeOfKind<'car.create'> // components['schemas']['Car']
 * @example OutcomeOfKind<'export.create', ReportKinds> // the export file of another spec
 */
export type OutcomeOfKind<K, Kinds = AsyncKinds> = K extends keyof Kinds // distributes over a union of kinds
  ? Kinds[K] extends { product: infer Product; result: infer Result }
    ? [Product] extends [never]
      ? [Result] extends [never]
        ? undefined
        : Result
      : Product
    : never
  : never;

/**
 * The part of a request result `waitFor` reads: the fields both openapi-fetch (`{ data, error,
 * response }`) and the hey-api SDK (`{ data, error, request, response }`) return.
 */
export interface AcceptedResponse {
  /** The parsed 2xx body: for an async operation, its monitor. */
  data?: unknown;
  /** The parsed error body (a problem) when the request was refused. */
  error?: unknown;
  /** The raw response; absent from hey-api results when the request never got one. */
  response?: Response;
}

/** The operation kinds of `Kinds` a response's body can name (the `kind` of each monitor in its `data`). */
export type KindOfResponse<R, Kinds = AsyncKinds> = R extends { data?: infer Data }
  ? Data extends { kind: infer K extends keyof Kinds & string }
    ? K
    : never
  : never;

/** What waiting on response `R` yields, per the kind of monitor in its body. */
export type OutcomeOfResponse<R, Kinds = AsyncKinds> = OutcomeOfKind<KindOfResponse<R, Kinds>, Kinds>;

/** The monitor type a wait on response `R` reports progress with: the monitors its body can hold. */
export type MonitorOfResponse<R, Kinds = AsyncKinds> = R extends { data?: infer Data }
  ? Extract<Data, { kind: KindOfResponse<R, Kinds> }>
  : never;

/**
 * The monitors of any kind of `Kinds`: the reference API's `AnyMonitor`, else every
 * {@link MonitorShape} whose kind is one of the spec's.
 */
export type AnyMonitorOf<Kinds> = [Kinds] extends [AsyncKinds]
  ? AnyMonitor
  : MonitorShape & { kind: keyof Kinds & string };

/**
 * `unknown` when `R` answers an async operation; otherwise a type no value has, so passing the
 * answer of a synchronous operation to `waitFor` fails to compile, with this message in the error.
 */
export type RequireAsyncResponse<R, Kinds = AsyncKinds> = [KindOfResponse<R, Kinds>] extends [never]
  ? { 'waitFor needs the answer of an async operation (a response whose data is a monitor)': never }
  : unknown;
