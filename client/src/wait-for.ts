/**
 * `waitFor`: follows an accepted request to its outcome.
 *
 * One loop over the monitor's closed state union (`queued` → `running` → `succeeded` | `failed` |
 * `cancelled`), with the clock, the sleep and the randomness injected so every branch is tested
 * without waiting. The loop asks "how long until the next poll?" in one place (`nextPollDelay`):
 * the long poll when the server applies `Prefer: wait`, else `Retry-After`, else jittered backoff.
 *
 * @see ../../../shared/design/async-contract.md "The monitor"
 */
import { backoffDelay } from './backoff.ts';
import type { LongrunClient } from './create-client.ts';
import { delay as defaultDelay } from './delay.ts';
import { ApiError, apiErrorFrom, OperationCancelledError, OperationFailedError, WaitTimeoutError } from './errors.ts';
import { findLink } from './link-header.ts';
import { isMonitor, isTerminal, trackProgress } from './monitor-changes.ts';
import { readJson } from './read-json.ts';
import { clampDelay, parseRetryAfter, responseTime } from './retry-after.ts';
import type {
  AcceptedResponse,
  AnyMonitor,
  AsyncKind,
  MonitorOfKind,
  MonitorOfResponse,
  OutcomeOfKind,
  OutcomeOfResponse,
  RequireAsyncResponse,
} from './types.ts';

/**
 * How `waitFor` learns about changes.
 * - `'auto'`: long poll when the server applies `Prefer: wait` (it echoes `Preference-Applied`),
 *   otherwise poll.
 * - `'poll'`: conditional GETs (`If-None-Match`) spaced by `Retry-After`, or jittered backoff.
 * - `'long-poll'`: always ask for the long poll (`Prefer: wait=N` + `If-None-Match`).
 *
 * A later version adds server-sent events here.
 */
export type WaitMode = 'auto' | 'poll' | 'long-poll';

/** Options of {@link waitFor}. */
export interface WaitOptions<M extends AnyMonitor = AnyMonitor> {
  /**
   * How to learn about changes.
   * @default 'auto'
   */
  mode?: WaitMode;
  /**
   * Give up after this many milliseconds with a {@link WaitTimeoutError} carrying the last monitor.
   * The operation goes on. Long polls are shortened so they end by then.
   * @default Infinity
   */
  timeoutMs?: number;
  /** Stops waiting (rejects with the signal's reason); the operation goes on, see {@link cancel}. */
  signal?: AbortSignal;
  /**
   * Called with the monitor once per real change (state, percent, message, a step), including the
   * first monitor seen; never for a poll that found nothing new.
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
   * Transient failures in a row (network errors, 5xx, 429) retried before giving up with an
   * {@link ApiError}.
   * @default 5
   */
  maxRetries?: number;
  /**
   * First pause of the jittered backoff used when the server gives no `Retry-After`.
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
 * whose `Location` is the resource itself, is followed through its monitor), else `Location`.
 *
 * @throws {OperationFailedError} the operation ended `failed` (with the monitor's problem)
 * @throws {OperationCancelledError} the operation ended `cancelled`
 * @throws {WaitTimeoutError} `timeoutMs` ran out (with the last monitor)
 * @throws {ApiError} a request was refused, or transient failures outlasted `maxRetries`
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15.3.3 202 Accepted
 * @see https://www.rfc-editor.org/rfc/rfc7240 Prefer (`wait`, `respond-async`)
 * @example
 * const accepted = await longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } });
 * const car = await waitFor(longrun, accepted, { onProgress: (m) => console.log(m.state, m.progress.percent) });
 * car.vin; // typed: Car
 */
export function waitFor<R extends AcceptedResponse>(
  client: LongrunClient,
  accepted: R & RequireAsyncResponse<R>,
  options?: WaitOptions<MonitorOfResponse<R>>,
): Promise<OutcomeOfResponse<R>>;
/**
 * Waits on a monitor already in hand (e.g. a hey-api SDK call with `responseStyle: 'data'`),
 * following its `links.self`.
 * @example const report = await waitFor(longrun, monitor); // ReindexReport for a ReindexMonitor
 */
export function waitFor<M extends AnyMonitor>(
  client: LongrunClient,
  monitor: M,
  options?: WaitOptions<M>,
): Promise<OutcomeOfKind<M['kind']>>;
/**
 * Resumes a wait from a stored monitor URL (absolute, or relative to the client's `baseUrl`). Name
 * the kind to type the outcome.
 * @example const car = await waitFor<'car.create'>(longrun, localStorage.getItem('pendingCar')!);
 */
export function waitFor<K extends AsyncKind = never>(
  client: LongrunClient,
  monitorUrl: string | URL,
  options?: WaitOptions<[K] extends [never] ? AnyMonitor : MonitorOfKind<K>>,
): Promise<[K] extends [never] ? unknown : OutcomeOfKind<K>>;
export function waitFor(
  client: LongrunClient,
  target: AcceptedResponse | AnyMonitor | string | URL,
  options: WaitOptions<never> = {},
): Promise<unknown> {
  return new MonitorWait(client, options as WaitOptions).run(target);
}

/** Where the wait stands after reading one answer. */
type Step = { done: true; outcome: unknown } | Pending;

/** An answer that leaves the operation running. */
interface Pending {
  done: false;
  /** A new representation (not a 304): after a long poll, ask again at once. */
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

const transientStatus = (status: number) => status === 429 || status >= 500;

/** One wait: the loop and the little state it keeps between polls. */
class MonitorWait {
  readonly #client: LongrunClient;
  readonly #mode: WaitMode;
  readonly #signal: AbortSignal | undefined;
  readonly #onProgress: ((monitor: AnyMonitor) => void) | undefined;
  readonly #bounds: { minDelayMs: number; maxDelayMs: number };
  readonly #longPollSeconds: number;
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

  constructor(client: LongrunClient, options: WaitOptions) {
    this.#client = client;
    this.#mode = options.mode ?? 'auto';
    this.#signal = options.signal;
    this.#onProgress = options.onProgress;
    this.#bounds = { minDelayMs: options.minDelayMs ?? 250, maxDelayMs: options.maxDelayMs ?? 60_000 };
    this.#longPollSeconds = Math.min(60, Math.max(1, Math.floor(options.longPollSeconds ?? 30)));
    this.#maxRetries = options.maxRetries ?? 5;
    this.#initialBackoffMs = options.initialBackoffMs ?? 500;
    this.#delay = options.delay ?? defaultDelay;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    this.#deadline = this.#clock() + this.#timeoutMs;
    this.#askLongPoll = this.#mode !== 'poll';
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
    this.#etag = response.headers.get('ETag') ?? this.#etag;
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
    return step.done ? step : { ...step, appliedWait };
  }

  /** Records a monitor, reports progress, and finishes the wait when it is terminal. */
  async #readMonitor(monitor: AnyMonitor, response: Response | undefined, base: string): Promise<Step> {
    this.#monitor = monitor;
    this.#status = response?.status;
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
    if (monitor.state === 'cancelled') throw new OperationCancelledError(monitor, response?.status);
    return { done: true, outcome: await this.#outcome(monitor, response, base) };
  }

  /** The outcome of a succeeded monitor: the product it points to, else its inline result. */
  async #outcome(monitor: AnyMonitor, response: Response | undefined, base: string): Promise<unknown> {
    const location = response?.status === 201 ? response.headers.get('Location') : null;
    const productHref = location ?? monitor.links.product?.href;
    if (productHref === undefined) return monitor.result;
    const url = new URL(productHref, base).href;
    const product = await this.#fetchWithRetries(() =>
      this.#client.fetchLink(url, { headers: { Accept: 'application/json' }, signal: this.#signal ?? null }),
    );
    const body = await readJson(product);
    if (!product.ok) throw apiErrorFrom(product, body, `Reading the product at ${url} failed`, undefined, url);
    return body;
  }

  #pollRequest(longPollSeconds: number): Promise<Response> {
    const headers = new Headers({ Accept: 'application/json' });
    if (this.#etag !== undefined) headers.set('If-None-Match', this.#etag);
    if (longPollSeconds > 0) headers.set('Prefer', `wait=${longPollSeconds}`);
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
      // once. A 304 that came back early (a misbehaving intermediary) still keeps the minimum pause.
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
