/**
 * One wait's settings and the little state it keeps between requests (the monitor's URL, its last
 * `ETag` and version, which transports are still worth trying), with what every strategy shares:
 * reading a monitor into an outcome, retrying transient failures, sleeping within the deadline.
 */
import { clampDelay, parseRetryAfter, responseTime, withoutPreference } from '@longrun/openapi/contract';
import { backoffDelay } from '../backoff.ts';
import type { LongrunClient } from '../create-client.ts';
import { delay as defaultDelay } from '../delay.ts';
import { apiErrorFrom, OperationCancelledError, OperationFailedError, WaitTimeoutError } from '../errors.ts';
import { isTerminal, trackProgress } from '../monitor-changes.ts';
import { EventStreamParser } from '../read-event-stream.ts';
import { jsonAccept, readJson } from '../read-json.ts';
import type { AnyMonitor } from '../types.ts';
import type { WaitMode, WaitOptions } from './wait-options.ts';
import type { Step } from './wait-status.ts';

/** Statuses worth retrying: Too Many Requests and server errors. */
export const transientStatus = (status: number) => status === 429 || status >= 500;

/** One wait: its settings, its state between requests, and what the strategies share. */
export class WaitSession {
  readonly client: LongrunClient;
  readonly mode: WaitMode;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((monitor: AnyMonitor) => void) | undefined;
  readonly bounds: { minDelayMs: number; maxDelayMs: number };
  readonly longPollSeconds: number;
  /** The caller's extra preferences for monitor reads, without `wait`. */
  readonly prefer: string | undefined;
  readonly streamIdleTimeoutMs: number;
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly delay: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly clock: () => number;
  readonly random: () => number;
  readonly timeoutMs: number;
  readonly deadline: number;
  readonly progress = trackProgress();

  monitorUrl: string | undefined;
  etag: string | undefined;
  monitor: AnyMonitor | undefined;
  status: number | undefined;
  /** Whether to ask for a long poll: off in poll mode, or once the server showed it does not apply it. */
  askLongPoll: boolean;
  /** Polls in a row that brought no `Retry-After` and no change: drives the backoff. */
  quietPolls = 0;
  /** Whether to follow the event stream: in auto and sse mode, until the server shows it has none. */
  followStreams: boolean;
  /**
   * Until when (by `clock`) the event stream is not asked for: the server refused one more stream
   * (`429`), and the wait long-polls the monitor until its `Retry-After` has passed.
   */
  streamsPausedUntil = 0;
  /** Parses the event stream; kept across reconnections for its last event ID. */
  readonly streamParser = new EventStreamParser();
  /** The reconnection time the stream advised (`retry:`), in ms. */
  reconnectMs: number | undefined;
  /** The pause before the next poll, set by the last answer. */
  nextDelayMs = 0;

  constructor(client: LongrunClient, options: WaitOptions) {
    this.client = client;
    this.mode = options.mode ?? 'auto';
    this.signal = options.signal;
    this.onProgress = options.onProgress;
    this.bounds = { minDelayMs: options.minDelayMs ?? 250, maxDelayMs: options.maxDelayMs ?? 60_000 };
    this.longPollSeconds = Math.min(60, Math.max(1, Math.floor(options.longPollSeconds ?? 30)));
    this.prefer = withoutPreference(options.prefer, 'wait');
    const idleMs = options.streamIdleTimeoutMs ?? 45_000;
    this.streamIdleTimeoutMs = idleMs > 0 ? idleMs : Number.POSITIVE_INFINITY; // 0, NaN: no watch
    this.maxRetries = options.maxRetries ?? 5;
    this.initialBackoffMs = options.initialBackoffMs ?? 500;
    this.delay = options.delay ?? defaultDelay;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? Number.POSITIVE_INFINITY;
    this.deadline = this.clock() + this.timeoutMs;
    this.askLongPoll = this.mode !== 'poll';
    this.followStreams = this.mode === 'auto' || this.mode === 'sse';
  }

  /**
   * Records a monitor, reports progress, and finishes the wait when it is terminal.
   *
   * @param response the answer that held it; its 201 `Location` names the product
   * @param status the status it stands for (an event of the stream stands for the poll it saved)
   */
  async readMonitor(
    monitor: AnyMonitor,
    response: Response | undefined,
    base: string,
    status = response?.status,
  ): Promise<Step> {
    this.monitor = monitor;
    this.status = status;
    const changed = this.progress.isNew(monitor);
    if (changed) {
      this.quietPolls = 0;
      this.onProgress?.(monitor);
    }
    if (!isTerminal(monitor)) {
      return {
        done: false,
        fresh: true,
        changed,
        retryAfterMs: response === undefined ? undefined : this.retryAfter(response),
        appliedWait: false,
      };
    }
    if (monitor.state === 'failed') throw new OperationFailedError(monitor);
    if (monitor.state === 'cancelled') throw new OperationCancelledError(monitor, status);
    return { done: true, outcome: await this.outcome(monitor, response, base) };
  }

  /** The outcome of a succeeded monitor: the product it points to, else its inline result. */
  async outcome(monitor: AnyMonitor, response: Response | undefined, base: string): Promise<unknown> {
    const location = response?.status === 201 ? response.headers.get('Location') : null;
    const productHref = location ?? monitor.links.product?.href;
    if (productHref === undefined) return monitor.result;
    const url = new URL(productHref, base).href;
    const product = await this.fetchWithRetries(() =>
      this.client.fetchLink(url, { headers: { Accept: jsonAccept }, signal: this.signal ?? null }),
    );
    const body = await readJson(product);
    if (!product.ok) throw apiErrorFrom(product, body, `Reading the product at ${url} failed`, undefined, url);
    return body;
  }

  /**
   * Runs a request, retrying network errors, 5xx and 429 (after their `Retry-After`, else jittered
   * backoff) up to `maxRetries` times in a row; returns the first other answer.
   */
  async fetchWithRetries(request: () => Promise<Response>): Promise<Response> {
    for (let failures = 0; ; failures++) {
      let response: Response | undefined;
      let networkError: unknown;
      try {
        response = await request();
      } catch (error) {
        if (this.signal?.aborted) throw this.signal.reason;
        networkError = error;
      }
      if (response !== undefined && !transientStatus(response.status)) return response;
      const body = response === undefined ? undefined : await readJson(response);
      if (failures >= this.maxRetries) {
        throw apiErrorFrom(response, body, `Gave up after ${failures + 1} attempts`, networkError, this.monitorUrl);
      }
      const retryAfterMs = response === undefined ? undefined : this.retryAfter(response);
      const pause =
        retryAfterMs ??
        backoffDelay(failures, {
          initialDelayMs: this.initialBackoffMs,
          maxDelayMs: this.bounds.maxDelayMs,
          random: this.random,
        });
      await this.sleep(clampDelay(pause, this.bounds));
    }
  }

  /** Sleeps, unless that would pass the deadline: then it sleeps to the deadline and times out. */
  async sleep(ms: number): Promise<void> {
    this.signal?.throwIfAborted();
    const remaining = this.deadline - this.clock();
    if (remaining <= 0) throw this.timeout();
    if (ms <= 0) return;
    if (ms >= remaining) {
      await this.delay(remaining, this.signal);
      throw this.timeout();
    }
    await this.delay(ms, this.signal);
    this.signal?.throwIfAborted();
  }

  /** The `Retry-After` of an answer, in ms. */
  retryAfter(response: Response): number | undefined {
    return parseRetryAfter(response.headers.get('Retry-After'), responseTime(response.headers, this.clock()));
  }

  /** The error a wait that ran out of time rejects with. */
  timeout(): WaitTimeoutError {
    return new WaitTimeoutError(this.timeoutMs, {
      monitor: this.monitor,
      monitorUrl: this.monitorUrl,
      status: this.status,
    });
  }
}
