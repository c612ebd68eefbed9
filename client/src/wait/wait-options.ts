/**
 * What a caller can tell `waitFor`: how to learn about changes, how long to wait, how to space
 * requests, and the clock, sleep and randomness (injected so every branch is tested without waiting).
 */
import type { AnyMonitor, MonitorShape } from '../types.ts';

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
