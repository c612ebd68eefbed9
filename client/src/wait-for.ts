/**
 * `waitFor`: follows an accepted request to its outcome.
 *
 * One loop over the monitor's closed state union (`queued` → `running` → `succeeded` | `failed` |
 * `cancelled`), with the clock, the sleep and the randomness injected so every branch is tested
 * without waiting. While the monitor links an event stream (and it works), the loop reads changes
 * from it (`followStream`); otherwise it polls, and asks "how long until the next poll?" in one
 * place (`nextPollDelay`): the long poll when the server applies `Prefer: wait`, else
 * `Retry-After`, else jittered backoff.
 *
 * @see ../../../shared/design/async-contract.md "The monitor"
 */
import {
  clampDelay,
  findLink,
  mergePreferences,
  parseRetryAfter,
  responseTime,
  withoutPreference,
} from '@longrun/openapi/contract';
import { backoffDelay } from './backoff.ts';
import type { LongrunClient } from './create-client.ts';
import { delay as defaultDelay } from './delay.ts';
import { ApiError, apiErrorFrom, OperationCancelledError, OperationFailedError, WaitTimeoutError } from './errors.ts';
import { isMonitor, isTerminal, trackProgress } from './monitor-changes.ts';
import { type EventStreamItem, EventStreamParser, readEventStream } from './read-event-stream.ts';
import { jsonAccept, readJson } from './read-json.ts';
import type {
  AcceptedResponse,
  AnyMonitor,
  AnyMonitorOf,
  AsyncKinds,
  MonitorOfResponse,
  MonitorShape,
  OutcomeOfKind,
  OutcomeOfResponse,
  RequireAsyncResponse,
} from './types.ts';

/**
 * How `waitFor` learns about changes.
 * - `'auto'`: the best the server offers. The monitor's event stream when it links one
 *   (`links.events`) and the server answers it with `text/event-stream`; else, or once the stream
 *   failed `maxRetries` + 1 times in a row, the long poll when the server applies `Prefer: wait` (it
 *   echoes `Preference-Applied`); else polls.
 * - `'sse'`: only the event stream: server-sent events read with `fetch` (so `Authorization` is
 *   sent, which `EventSource` cannot do), one request for the whole wait. A dropped stream is
 *   reopened with `Last-Event-ID` after jittered backoff from the stream's `retry:`; an
 *   {@link ApiError} when the monitor links no stream, the server has none (404, 405, 406, 415, or
 *   not `text/event-stream`), or it failed `maxRetries` + 1 times in a row.
 * - `'long-poll'`: always ask for the long poll (`Prefer: wait=N` + `If-None-Match`).
 * - `'poll'`: conditional GETs (`If-None-Match`) spaced by `Retry-After`, or jittered backoff.
 *
 * Every mode reads the monitor once with a plain GET when the wait starts from a URL (to learn its
 * state and links), and reports the same progress and outcome.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html server-sent events
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-4.3 Prefer: wait
 */
export type WaitMode = 'auto' | 'sse' | 'long-poll' | 'poll';

/** Options of {@link waitFor}. */
export interface WaitOptions<M extends MonitorShape = AnyMonitor> {
  /**
   * How to learn about changes.
   * @default 'auto'
   */
  mode?: WaitMode;
  /**
   * Give up after this many milliseconds with a {@link WaitTimeoutError} carrying the last monitor.
   * The operation goes on. Long polls are shortened so they end by then; an event stream is closed then.
   * @default Infinity
   */
  timeoutMs?: number;
  /**
   * Stops waiting (rejects with the signal's reason; an open event stream is closed); the operation
   * goes on, see {@link cancel}.
   */
  signal?: AbortSignal;
  /**
   * Called with the monitor once per real change (state, percent, message, a step), including the
   * first monitor seen; never for a poll that found nothing new, nor for an event that repeats one.
   */
  onProgress?: (monitor: M) => void;
  /**
   * Shortest pause between polls; a smaller `Retry-After` is raised to it.
   * @default 250
   */
  minDelayMs?: number;
  /**
   * Longest pause between polls; a larger `Retry-After` is lowered to it (and never above 2^31−1).
   * @default 60_000
   */
  maxDelayMs?: number;
  /**
   * Seconds a long poll asks the server to hold (`Prefer: wait=N`, 1–60).
   * @default 30
   * @see https://www.rfc-editor.org/rfc/rfc7240#section-4.3
   */
  longPollSeconds?: number;
  /**
   * More preferences for every read of the monitor (polls and long polls), e.g. Prism's
   * `'code=201, example=succeeded'`: one `Prefer` header carries them with the long poll's `wait=N`
   * and the client's own `Prefer` (its `headers`), comma-separated, each named
   * once. A `wait` here is dropped: the long poll is `mode` and `longPollSeconds`'s to ask for. Not
   * sent to the event stream nor the product.
   * @see https://www.rfc-editor.org/rfc/rfc7240#section-2
   */
  prefer?: string;
  /**
   * Milliseconds an open event stream may go without sending a byte before it is taken for dead (a
   * half-open connection) and reopened with `Last-Event-ID`; counts as a failed attempt toward
   * `maxRetries`. The server sends a `: keep-alive` comment every 15 s while nothing changes, so the
   * default is three of those. `Infinity` (or 0) turns the watch off.
   * @default 45_000
   * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes keep-alive comments
   */
  streamIdleTimeoutMs?: number;
  /**
   * Transient failures in a row (network errors, 5xx, 429) retried before giving up with an
   * {@link ApiError}. Also the event stream's budget: reopenings in a row that brought no new event
   * (after that, `'auto'` falls back to the long poll and `'sse'` throws).
   * @default 5
   */
  maxRetries?: number;
  /**
   * First pause of the jittered backoff used when the server gives no `Retry-After` (and before
   * reopening an event stream that advised no `retry:`).
   * @default 500
   */
  initialBackoffMs?: number;
  /**
   * Sleeps `ms`, rejecting when `signal` aborts. Injected by tests and custom schedulers.
   * @default a `setTimeout` sleep that never asks for more than 2^31−1 ms at once
   */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The current time in milliseconds since the epoch.
   * @default Date.now
   */
  clock?: () => number;
  /**
   * Randomness in `[0, 1)` for backoff jitter.
   * @default Math.random
   */
  random?: () => number;
}

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
export function waitFor(
  client: LongrunClient<AnyPaths, object>,
  target: AcceptedResponse | MonitorShape | string | URL,
  options: WaitOptions<never> = {},
): Promise<unknown> {
  return new MonitorWait(client as LongrunClient, options as WaitOptions).run(
    target as AcceptedResponse | AnyMonitor | string | URL,
  );
}

/** A client of any spec: `waitFor` reads only `Kinds` from its type. */
// biome-ignore lint/suspicious/noExplicitAny: any spec's paths
type AnyPaths = any;

/** Where the wait stands after reading one answer. */
type Step = { done: true; outcome: unknown } | Pending;

/** An answer that leaves the operation running. */
interface Pending {
  done: false;
  /**
   * A new version of the monitor (not a 304, nor an answer with the `ETag` already held): after a
   * long poll, ask again at once.
   */
  fresh: boolean;
  /** The progress a person would see changed. */
  changed: boolean;
  /** The answer's `Retry-After`, in ms. */
  retryAfterMs: number | undefined;
  /** The server held the request (`Preference-Applied: wait=N`). */
  appliedWait: boolean;
  /** Poll again without pausing (the wait just moved to another URL). */
  immediate?: boolean;
}

/** How one attempt to follow the event stream ended, when it did not end the wait. */
type StreamAttempt =
  | { kind: 'done'; step: Step }
  /** The server has no stream here (404, 405, 406, 415, or an answer that is not one). */
  | { kind: 'unavailable'; error: ApiError }
  /** `204`: the monitor has ended and nothing is left to send; a plain GET reads its outcome. */
  | { kind: 'ended' }
  /** A transient failure, or the stream dropped before the operation ended: reopen it. */
  | { kind: 'dropped'; error: ApiError; newEvents: boolean; retryAfterMs: number | undefined };

/** What the watch over one connection to the event stream tells (see `#watchStream`). */
interface StreamWatch {
  /** Bytes came (the answer's head, a chunk of its body): the connection is alive now. */
  heard(): void;
  /** Why the watch aborted the connection, if it did. */
  ended(): 'deadline' | 'idle' | undefined;
}

const transientStatus = (status: number) => status === 429 || status >= 500;

/** Statuses that say "no event stream here": Not Found, Method Not Allowed, Not Acceptable, Unsupported Media Type. */
const noStreamStatus = (status: number) => status === 404 || status === 405 || status === 406 || status === 415;

/** The media type of a `Content-Type` without its parameters, lowercased. */
const mediaType = (contentType: string | null) => (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();

/**
 * Whether two entity tags name the same version, by weak comparison (`W/"x"` matches `"x"`), as
 * `If-None-Match` compares them.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3.2
 */
function sameEntityTag(a: string | null, b: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return a !== null && opaque(a) === opaque(b);
}

/** The status a poll of `monitor` would have answered with: 202 pending, 201 created, else 200. */
function monitorStatus(monitor: AnyMonitor): number {
  if (!isTerminal(monitor)) return 202;
  return monitor.state === 'succeeded' && monitor.links.product !== undefined ? 201 : 200;
}

/** The monitor an event's `data` holds, if it holds one. */
function monitorOf(data: string): AnyMonitor | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isMonitor(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** One wait: the loop and the little state it keeps between polls. */
class MonitorWait {
  readonly #client: LongrunClient;
  readonly #mode: WaitMode;
  readonly #signal: AbortSignal | undefined;
  readonly #onProgress: ((monitor: AnyMonitor) => void) | undefined;
  readonly #bounds: { minDelayMs: number; maxDelayMs: number };
  readonly #longPollSeconds: number;
  /** The caller's extra preferences for monitor reads, without `wait`. */
  readonly #prefer: string | undefined;
  readonly #streamIdleTimeoutMs: number;
  readonly #maxRetries: number;
  readonly #initialBackoffMs: number;
  readonly #delay: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #timeoutMs: number;
  readonly #deadline: number;
  readonly #progress = trackProgress();

  #monitorUrl: string | undefined;
  #etag: string | undefined;
  #monitor: AnyMonitor | undefined;
  #status: number | undefined;
  /** Whether to ask for a long poll: off in poll mode, or once the server showed it does not apply it. */
  #askLongPoll: boolean;
  /** Polls in a row that brought no `Retry-After` and no change: drives the backoff. */
  #quietPolls = 0;
  /** Whether to follow the event stream: in auto and sse mode, until the server shows it has none. */
  #followStreams: boolean;
  /** Parses the event stream; kept across reconnections for its last event ID. */
  readonly #streamParser = new EventStreamParser();
  /** The reconnection time the stream advised (`retry:`), in ms. */
  #reconnectMs: number | undefined;

  constructor(client: LongrunClient, options: WaitOptions) {
    this.#client = client;
    this.#mode = options.mode ?? 'auto';
    this.#signal = options.signal;
    this.#onProgress = options.onProgress;
    this.#bounds = { minDelayMs: options.minDelayMs ?? 250, maxDelayMs: options.maxDelayMs ?? 60_000 };
    this.#longPollSeconds = Math.min(60, Math.max(1, Math.floor(options.longPollSeconds ?? 30)));
    this.#prefer = withoutPreference(options.prefer, 'wait');
    const idleMs = options.streamIdleTimeoutMs ?? 45_000;
    this.#streamIdleTimeoutMs = idleMs > 0 ? idleMs : Number.POSITIVE_INFINITY; // 0, NaN: no watch
    this.#maxRetries = options.maxRetries ?? 5;
    this.#initialBackoffMs = options.initialBackoffMs ?? 500;
    this.#delay = options.delay ?? defaultDelay;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    this.#deadline = this.#clock() + this.#timeoutMs;
    this.#askLongPoll = this.#mode !== 'poll';
    this.#followStreams = this.#mode === 'auto' || this.#mode === 'sse';
  }

  async run(target: AcceptedResponse | AnyMonitor | string | URL): Promise<unknown> {
    this.#signal?.throwIfAborted();
    let nextDelayMs = 0;
    if (typeof target === 'string' || target instanceof URL) {
      this.#monitorUrl = new URL(target, `${this.#client.baseUrl}/`).href;
    } else if (isMonitor(target)) {
      this.#monitorUrl = new URL(target.links.self.href, `${this.#client.baseUrl}/`).href;
      const step = await this.#readMonitor(target, undefined, this.#monitorUrl);
      if (step.done) return step.outcome;
    } else {
      const step = await this.#readAccepted(target);
      if (step.done) return step.outcome;
      nextDelayMs = this.#nextPollDelay(step, 0, false);
    }

    for (;;) {
      const eventsUrl = this.#eventsUrl();
      if (eventsUrl !== undefined) {
        const step = await this.#followStream(eventsUrl);
        if (step.done) return step.outcome;
        nextDelayMs = 0; // no stream after all: poll (auto mode long-polls) at once
      }
      await this.#sleep(nextDelayMs);
      const longPollSeconds = this.#longPollSecondsNow();
      const startedAt = this.#clock();
      const response = await this.#fetchWithRetries(() => this.#pollRequest(longPollSeconds));
      const step = await this.#readPoll(response, longPollSeconds);
      if (step.done) return step.outcome;
      nextDelayMs = this.#nextPollDelay(step, this.#clock() - startedAt, longPollSeconds > 0);
    }
  }

  /** Reads the answer to the request that started the operation (202, or 200/201 after `Prefer: wait`). */
  async #readAccepted(accepted: AcceptedResponse): Promise<Step> {
    const { response } = accepted;
    if (accepted.error !== undefined || response === undefined || !response.ok) {
      throw apiErrorFrom(response, accepted.error, 'The request was refused');
    }
    const base = response.url || `${this.#client.baseUrl}/`;
    const monitorLink = findLink(response.headers.get('Link'), 'monitor');
    const location = response.headers.get('Location') ?? undefined;
    const body = accepted.data;
    if (isMonitor(body)) {
      // Link rel=monitor first: for an embedded-status resource, Location is the resource itself.
      const href =
        monitorLink ??
        response.headers.get('Content-Location') ??
        (response.status === 202 ? location : undefined) ??
        body.links.self.href;
      this.#monitorUrl = new URL(href, base).href;
      return this.#readMonitor(body, response, base);
    }
    const href = monitorLink ?? (response.status === 202 ? location : undefined);
    if (href !== undefined) {
      this.#monitorUrl = new URL(href, base).href;
      return { done: false, fresh: true, changed: false, retryAfterMs: this.#retryAfter(response), appliedWait: false };
    }
    if (response.status !== 202) return { done: true, outcome: body }; // answered synchronously
    throw new ApiError('The 202 answer names no monitor (no Link rel="monitor", no Location, no monitor body).', {
      status: response.status,
      url: response.url,
    });
  }

  /** Reads one answer of the monitor (or of an embedded-status resource that links it). */
  async #readPoll(response: Response, askedWaitSeconds: number): Promise<Step> {
    const appliedWait =
      askedWaitSeconds > 0 && /(^|[\s,;])wait=/i.test(response.headers.get('Preference-Applied') ?? '');
    // In auto mode a server that ignores Prefer: wait is polled plainly from then on.
    if (askedWaitSeconds > 0 && !appliedWait && this.#mode === 'auto') this.#askLongPoll = false;
    const heldEtag = this.#etag;
    this.#etag = response.headers.get('ETag') ?? this.#etag;
    // The version already held, sent again (a mock that echoes its example ETag, a server that ignores
    // If-None-Match): nothing changed, so it is no reason to ask again at once.
    const sameVersion = heldEtag !== undefined && sameEntityTag(response.headers.get('ETag'), heldEtag);
    const retryAfterMs = this.#retryAfter(response);
    if (response.status === 304) return { done: false, fresh: false, changed: false, retryAfterMs, appliedWait };
    if (response.status !== 200 && response.status !== 201 && response.status !== 202) {
      throw apiErrorFrom(response, await readJson(response), 'Reading the monitor failed', undefined, this.#monitorUrl);
    }
    const body = await readJson(response);
    const base = response.url || this.#monitorUrl || `${this.#client.baseUrl}/`;
    if (!isMonitor(body)) {
      const monitorLink = findLink(response.headers.get('Link'), 'monitor');
      const linked = monitorLink === undefined ? undefined : new URL(monitorLink, base).href;
      if (linked === undefined || linked === this.#monitorUrl) {
        throw new ApiError(`${this.#monitorUrl} is not a monitor and links none (Link rel="monitor").`, {
          status: response.status,
          url: this.#monitorUrl,
          method: 'GET',
        });
      }
      // An embedded-status resource (a virtual machine): wait on the monitor it links.
      this.#monitorUrl = linked;
      this.#etag = undefined;
      return { done: false, fresh: true, changed: false, retryAfterMs: undefined, appliedWait: false, immediate: true };
    }
    const step = await this.#readMonitor(body, response, base);
    return step.done ? step : { ...step, fresh: !sameVersion, appliedWait };
  }

  /**
   * Records a monitor, reports progress, and finishes the wait when it is terminal.
   *
   * @param response the answer that held it; its 201 `Location` names the product
   * @param status the status it stands for (an event of the stream stands for the poll it saved)
   */
  async #readMonitor(
    monitor: AnyMonitor,
    response: Response | undefined,
    base: string,
    status = response?.status,
  ): Promise<Step> {
    this.#monitor = monitor;
    this.#status = status;
    const changed = this.#progress.isNew(monitor);
    if (changed) {
      this.#quietPolls = 0;
      this.#onProgress?.(monitor);
    }
    if (!isTerminal(monitor)) {
      return {
        done: false,
        fresh: true,
        changed,
        retryAfterMs: response === undefined ? undefined : this.#retryAfter(response),
        appliedWait: false,
      };
    }
    if (monitor.state === 'failed') throw new OperationFailedError(monitor);
    if (monitor.state === 'cancelled') throw new OperationCancelledError(monitor, status);
    return { done: true, outcome: await this.#outcome(monitor, response, base) };
  }

  /** The outcome of a succeeded monitor: the product it points to, else its inline result. */
  async #outcome(monitor: AnyMonitor, response: Response | undefined, base: string): Promise<unknown> {
    const location = response?.status === 201 ? response.headers.get('Location') : null;
    const productHref = location ?? monitor.links.product?.href;
    if (productHref === undefined) return monitor.result;
    const url = new URL(productHref, base).href;
    const product = await this.#fetchWithRetries(() =>
      this.#client.fetchLink(url, { headers: { Accept: jsonAccept }, signal: this.#signal ?? null }),
    );
    const body = await readJson(product);
    if (!product.ok) throw apiErrorFrom(product, body, `Reading the product at ${url} failed`, undefined, url);
    return body;
  }

  /**
   * The event stream to follow now, if any: the monitor's `links.events` once a monitor is in hand
   * (a wait resumed from a URL reads it first), while streams are on.
   */
  #eventsUrl(): string | undefined {
    if (!this.#followStreams || this.#monitor === undefined) return undefined;
    const href = this.#monitor.links.events?.href;
    if (href !== undefined) return new URL(href, this.#monitorUrl).href;
    if (this.#mode === 'sse') {
      const detail = `The monitor at ${this.#monitorUrl} links no event stream (links.events); wait with mode 'auto'.`;
      throw new ApiError(detail, { url: this.#monitorUrl });
    }
    return undefined;
  }

  /**
   * Follows the event stream until the operation ends, reopening it with `Last-Event-ID` when it
   * drops. Gives up after `maxRetries` + 1 attempts in a row that brought no new event: then, and
   * when the server has no stream, auto mode returns a pending step (the wait polls on) and sse mode
   * throws. After a `204` (nothing left to send) both return one, for a plain GET of the outcome.
   *
   * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
   */
  async #followStream(url: string): Promise<Step> {
    const pending: Step = { done: false, fresh: true, changed: false, retryAfterMs: undefined, appliedWait: false };
    for (let failures = 0; ; ) {
      const attempt = await this.#streamOnce(url);
      if (attempt.kind === 'done') return attempt.step;
      if (attempt.kind === 'ended') {
        this.#followStreams = false;
        return pending;
      }
      if (attempt.kind === 'unavailable') {
        if (this.#mode === 'sse') throw attempt.error;
        this.#followStreams = false;
        return pending;
      }
      // A stream that brought news was working: its drop starts a new count.
      failures = attempt.newEvents ? 1 : failures + 1;
      if (failures > this.#maxRetries) {
        if (this.#mode === 'sse') {
          throw new ApiError(`The event stream failed ${failures} times in a row: ${attempt.error.message}`, {
            status: attempt.error.status,
            problem: attempt.error.problem,
            cause: attempt.error,
            url,
            method: 'GET',
          });
        }
        this.#followStreams = false;
        return pending;
      }
      const pause =
        attempt.retryAfterMs ??
        backoffDelay(failures - 1, {
          initialDelayMs: this.#reconnectMs ?? this.#initialBackoffMs,
          maxDelayMs: this.#bounds.maxDelayMs,
          random: this.#random,
        });
      await this.#sleep(clampDelay(pause, this.#bounds));
    }
  }

  /**
   * Opens the event stream once and reads it until the operation ends or the stream does. The
   * connection is aborted when `signal` aborts (rejecting with its reason), at the deadline (a
   * {@link WaitTimeoutError}), when it stays silent for `streamIdleTimeoutMs` (a drop: it is
   * reopened), and whenever this returns or throws.
   */
  async #streamOnce(url: string): Promise<StreamAttempt> {
    this.#signal?.throwIfAborted();
    if (this.#deadline - this.#clock() <= 0) throw this.#timeout();
    const connection = new AbortController();
    const stop = () => connection.abort(this.#signal?.reason);
    this.#signal?.addEventListener('abort', stop, { once: true });
    const watch = this.#watchStream(connection);
    /** Why the connection ended, when it was the caller or the deadline: that ends the wait. */
    const throwIfStopped = () => {
      this.#signal?.throwIfAborted();
      if (watch.ended() === 'deadline') throw this.#timeout();
    };
    const sentEventId = this.#streamParser.lastEventId;
    let newEvents = false;
    /** A drop: the connection failed with `error`, or went silent (the watch cut it). */
    const dropped = (message: string, error: unknown): StreamAttempt => {
      const failure =
        watch.ended() === 'idle'
          ? new ApiError(
              `The event stream sent nothing for ${this.#streamIdleTimeoutMs} ms, not even a keep-alive comment: taken for a dead connection.`,
              { cause: error, url, method: 'GET' },
            )
          : apiErrorFrom(undefined, undefined, message, error, url);
      return { kind: 'dropped', error: failure, newEvents, retryAfterMs: undefined };
    };
    try {
      const headers = new Headers({ Accept: 'text/event-stream' });
      if (sentEventId !== '') headers.set('Last-Event-ID', sentEventId);
      let response: Response;
      try {
        response = await this.#client.fetchLink(url, { headers, signal: connection.signal });
      } catch (error) {
        throwIfStopped();
        return dropped('Opening the event stream failed', error);
      }
      watch.heard();
      const isStream = response.ok && mediaType(response.headers.get('Content-Type')) === 'text/event-stream';
      if (response.status === 204) {
        await response.body?.cancel();
        return { kind: 'ended' };
      }
      if (!isStream || response.body === null) {
        const body = await readJson(response);
        const failure = apiErrorFrom(response, body, 'Opening the event stream failed', undefined, url);
        if (transientStatus(response.status)) {
          return { kind: 'dropped', error: failure, newEvents, retryAfterMs: this.#retryAfter(response) };
        }
        if (response.ok || noStreamStatus(response.status)) {
          const type = mediaType(response.headers.get('Content-Type')) || 'no Content-Type';
          const why = response.ok ? `the answer is ${response.status} ${type}, not text/event-stream` : failure.message;
          return {
            kind: 'unavailable',
            error: new ApiError(`The monitor's event stream is unavailable: ${why}`, {
              status: response.status,
              problem: failure.problem,
              url,
              method: 'GET',
            }),
          };
        }
        throw failure;
      }

      const base = response.url || url;
      const items = readEventStream(response.body, {
        signal: connection.signal,
        parser: this.#streamParser,
        onChunk: watch.heard,
      });
      try {
        for (;;) {
          let next: IteratorResult<EventStreamItem, void>;
          try {
            next = await items.next();
          } catch (error) {
            throwIfStopped();
            return dropped('The event stream broke', error);
          }
          if (next.done) break;
          const item = next.value;
          if (item.kind === 'retry') this.#reconnectMs = item.ms;
          if (item.kind !== 'event' || item.type !== 'monitor') continue; // comments, other event types
          const monitor = monitorOf(item.data);
          if (monitor === undefined) continue;
          if (item.lastEventId !== sentEventId) newEvents = true;
          const step = await this.#readMonitor(monitor, undefined, base, monitorStatus(monitor));
          if (step.done) return { kind: 'done', step };
        }
      } finally {
        await items.return();
      }
      throwIfStopped();
      const failure = new ApiError('The event stream ended before the operation did.', {
        status: response.status,
        url,
        method: 'GET',
      });
      return { kind: 'dropped', error: failure, newEvents, retryAfterMs: undefined };
    } finally {
      this.#signal?.removeEventListener('abort', stop);
      connection.abort(); // closes the stream, stops the watch's timer
    }
  }

  /**
   * Watches an open stream: aborts `connection` at the deadline, or once no byte came for
   * `streamIdleTimeoutMs` (a half-open connection: it would otherwise hang until the deadline, or
   * forever). One `delay` at a time, until the nearer of the two; when bytes came meanwhile
   * ({@link StreamWatch.heard}) it sleeps again for what is left. Stops when the connection ends.
   */
  #watchStream(connection: AbortController): StreamWatch {
    let lastHeardAt = this.#clock();
    let ended: 'deadline' | 'idle' | undefined;
    const watching = async () => {
      for (;;) {
        const now = this.#clock();
        const untilDeadline = this.#deadline - now;
        const untilIdle = lastHeardAt + this.#streamIdleTimeoutMs - now;
        if (untilDeadline <= 0) ended = 'deadline';
        else if (untilIdle <= 0) ended = 'idle';
        if (ended !== undefined) break;
        const ms = Math.min(untilDeadline, untilIdle);
        if (ms === Number.POSITIVE_INFINITY) return; // no timeout, no idle watch
        await this.#delay(ms, connection.signal); // rejects when the connection ends first
      }
      connection.abort();
    };
    watching().catch(() => {}); // the connection ended first
    return {
      heard: () => {
        lastHeardAt = this.#clock();
      },
      ended: () => ended,
    };
  }

  /** One read of the monitor; the client merges its own `Prefer` into the one set here. */
  #pollRequest(longPollSeconds: number): Promise<Response> {
    const headers = new Headers({ Accept: jsonAccept });
    if (this.#etag !== undefined) headers.set('If-None-Match', this.#etag);
    const prefer = mergePreferences(longPollSeconds > 0 ? `wait=${longPollSeconds}` : undefined, this.#prefer);
    if (prefer !== undefined) headers.set('Prefer', prefer);
    return this.#client.fetchLink(this.#monitorUrl as string, { headers, signal: this.#signal ?? null });
  }

  /**
   * Seconds to ask the server to hold the next poll, 0 for a plain poll. Only once a monitor is in
   * hand: without one, the first answer must come at once (a resumed wait shows its state now). Never
   * past the deadline.
   */
  #longPollSecondsNow(): number {
    if (!this.#askLongPoll || this.#monitor === undefined) return 0;
    const remainingSeconds = Math.floor((this.#deadline - this.#clock()) / 1000);
    const seconds = Math.min(this.#longPollSeconds, remainingSeconds);
    return seconds >= 1 ? seconds : 0;
  }

  /** How long to pause before the next poll. */
  #nextPollDelay(step: Pending, elapsedMs: number, askedLongPoll: boolean): number {
    if (step.immediate) return 0;
    // The first long poll starts at once: the server holds it until something changes. (Should the
    // server not apply it, auto mode learns that from this answer and goes back to Retry-After.)
    if (!askedLongPoll && this.#longPollSecondsNow() > 0) return 0;
    if (step.appliedWait && this.#askLongPoll) {
      // The server held the request until something changed (or its wait ran out): ask again at
      // once. An answer that came back early with nothing new (a 304 from a misbehaving
      // intermediary, the ETag already held from a mock) still keeps the minimum pause.
      return step.fresh ? 0 : Math.max(0, this.#bounds.minDelayMs - elapsedMs);
    }
    if (step.retryAfterMs !== undefined) return clampDelay(step.retryAfterMs, this.#bounds);
    const pause = backoffDelay(this.#quietPolls, {
      initialDelayMs: this.#initialBackoffMs,
      maxDelayMs: this.#bounds.maxDelayMs,
      random: this.#random,
    });
    this.#quietPolls++;
    return clampDelay(pause, this.#bounds);
  }

  /**
   * Runs a request, retrying network errors, 5xx and 429 (after their `Retry-After`, else jittered
   * backoff) up to `maxRetries` times in a row; returns the first other answer.
   */
  async #fetchWithRetries(request: () => Promise<Response>): Promise<Response> {
    for (let failures = 0; ; failures++) {
      let response: Response | undefined;
      let networkError: unknown;
      try {
        response = await request();
      } catch (error) {
        if (this.#signal?.aborted) throw this.#signal.reason;
        networkError = error;
      }
      if (response !== undefined && !transientStatus(response.status)) return response;
      const body = response === undefined ? undefined : await readJson(response);
      if (failures >= this.#maxRetries) {
        throw apiErrorFrom(response, body, `Gave up after ${failures + 1} attempts`, networkError, this.#monitorUrl);
      }
      const retryAfterMs = response === undefined ? undefined : this.#retryAfter(response);
      const pause =
        retryAfterMs ??
        backoffDelay(failures, {
          initialDelayMs: this.#initialBackoffMs,
          maxDelayMs: this.#bounds.maxDelayMs,
          random: this.#random,
        });
      await this.#sleep(clampDelay(pause, this.#bounds));
    }
  }

  /** Sleeps, unless that would pass the deadline: then it sleeps to the deadline and times out. */
  async #sleep(ms: number): Promise<void> {
    this.#signal?.throwIfAborted();
    const remaining = this.#deadline - this.#clock();
    if (remaining <= 0) throw this.#timeout();
    if (ms <= 0) return;
    if (ms >= remaining) {
      await this.#delay(remaining, this.#signal);
      throw this.#timeout();
    }
    await this.#delay(ms, this.#signal);
    this.#signal?.throwIfAborted();
  }

  #retryAfter(response: Response): number | undefined {
    return parseRetryAfter(response.headers.get('Retry-After'), responseTime(response.headers, this.#clock()));
  }

  #timeout(): WaitTimeoutError {
    return new WaitTimeoutError(this.#timeoutMs, {
      monitor: this.#monitor,
      monitorUrl: this.#monitorUrl,
      status: this.#status,
    });
  }
}
