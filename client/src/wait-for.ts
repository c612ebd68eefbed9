/**
 * `waitFor`: follows an accepted request to its outcome.
 *
 * A small loop over the closed status union of `wait/wait-status.ts`: while the monitor links an
 * event stream (and it works) the event-stream strategy reads changes from it; otherwise the poll
 * strategy asks, with the long poll when the server applies `Prefer: wait`, else spaced by
 * `Retry-After` or jittered backoff. The clock, the sleep and the randomness are injected
 * (`WaitOptions`), so every branch is tested without waiting. Every request goes through the
 * client's `fetchLink`, and so through its openapi-fetch middleware.
 */
import type { AsyncKinds } from '@longrun/openapi';
import type { LongrunClient } from './create-client.ts';
import type {
  AcceptedResponse,
  AnyMonitor,
  AnyMonitorOf,
  MonitorOfResponse,
  MonitorShape,
  OutcomeOfKind,
  OutcomeOfResponse,
  RequireAsyncResponse,
} from './types.ts';
import { startWait } from './wait/accepted.ts';
import { eventStreamUrl, followEventStream } from './wait/event-stream.ts';
import { pollOnce } from './wait/poll.ts';
import type { WaitMode, WaitOptions } from './wait/wait-options.ts';
import { WaitSession } from './wait/wait-session.ts';

export type { WaitMode, WaitOptions };

/**
 * Waits for an accepted request to finish and resolves to its outcome: the product (fetched from
 * the monitor's 201 `Location` or `links.product`) or the inline `result`, typed from the spec for
 * the operation that answered.
 *
 * Takes the result of an openapi-fetch call or a hey-api SDK function, a monitor, or a monitor's URL
 * (to resume a wait stored earlier). Follows `Link rel="monitor"` (so an embedded-status resource,
 * whose `Location` is the resource itself, is followed through its monitor), else `Location`. Learns
 * of changes from the monitor's event stream, the long poll or polls: see {@link WaitMode}.
 *
 * @throws {OperationFailedError} the operation ended `failed` (with the monitor's problem)
 * @throws {OperationCancelledError} the operation ended `cancelled`
 * @throws {WaitTimeoutError} `timeoutMs` ran out (with the last monitor)
 * @throws {ApiError} a request was refused, or transient failures outlasted `maxRetries`
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.3.3 202 Accepted
 * @see https://www.rfc-editor.org/rfc/rfc7240 Prefer (`wait`, `respond-async`)
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html server-sent events
 * @example
 * const accepted = await longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } });
 * const car = await waitFor(longrun, accepted, { onProgress: (m) => console.log(m.state, m.progress.percent) });
 * car.vin; // typed: Car
 */
export function waitFor<R extends AcceptedResponse, Kinds extends object = AsyncKinds>(
  client: LongrunClient<AnyPaths, Kinds>,
  accepted: R & RequireAsyncResponse<R, Kinds>,
  options?: WaitOptions<MonitorOfResponse<R, Kinds>>,
): Promise<OutcomeOfResponse<R, Kinds>>;
/**
 * Waits on a monitor already in hand (e.g. a hey-api SDK call with `responseStyle: 'data'`),
 * following its `links.self`.
 * @example const report = await waitFor(longrun, monitor); // ReindexReport for a ReindexMonitor
 */
export function waitFor<M extends MonitorShape, Kinds extends object = AsyncKinds>(
  client: LongrunClient<AnyPaths, Kinds>,
  monitor: M,
  options?: WaitOptions<M>,
): Promise<OutcomeOfKind<M['kind'], Kinds>>;
/**
 * Resumes a wait from a stored monitor URL (absolute, or relative to the client's `baseUrl`). Name
 * the kind to type the outcome (and, for a client of another spec, its `AsyncKinds`).
 * @example const car = await waitFor<'car.create'>(longrun, localStorage.getItem('pendingCar')!);
 * @example const file = await waitFor<'export.create', ReportKinds>(reports, storedUrl);
 */
export function waitFor<K extends keyof Kinds & string = never, Kinds extends object = AsyncKinds>(
  client: LongrunClient<AnyPaths, Kinds>,
  monitorUrl: string | URL,
  options?: WaitOptions<[K] extends [never] ? AnyMonitorOf<Kinds> : Extract<AnyMonitorOf<Kinds>, { kind: K }>>,
): Promise<[K] extends [never] ? unknown : OutcomeOfKind<K, Kinds>>;
export async function waitFor(
  client: LongrunClient<AnyPaths, object>,
  target: AcceptedResponse | MonitorShape | string | URL,
  options: WaitOptions<never> = {},
): Promise<unknown> {
  const session = new WaitSession(client as LongrunClient, options as WaitOptions);
  let step = await startWait(session, target as AcceptedResponse | AnyMonitor | string | URL);
  while (!step.done) {
    const eventsUrl = eventStreamUrl(session);
    if (eventsUrl === undefined) {
      step = await pollOnce(session);
      continue;
    }
    step = await followEventStream(session, eventsUrl);
    session.nextDelayMs = 0; // no stream after all: poll (auto mode long-polls) at once
  }
  return step.outcome;
}

/** A client of any spec: `waitFor` reads only `Kinds` from its type. */
// biome-ignore lint/suspicious/noExplicitAny: any spec's paths
type AnyPaths = any;
