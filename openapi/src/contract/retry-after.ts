/**
 * `Retry-After`: how long a client should wait before the next poll, as the server computes it from
 * an operation's ETA and as a client reads it (whole seconds or an HTTP-date) and bounds it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 Retry-After
 */

/** The longest delay a JavaScript timer takes (2^31−1 ms); longer ones fire at once. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Bounds of the `Retry-After` a server advertises, in whole seconds. */
export interface RetryAfterBounds {
  /** @default 1 */
  min: number;
  /** @default 30 */
  max: number;
  /** When there is no ETA. @default 2 */
  unknown: number;
}

/** The defaults for {@link RetryAfterBounds}. */
export const DEFAULT_RETRY_AFTER: RetryAfterBounds = { min: 1, max: 30, unknown: 2 };

/**
 * Whole seconds until a poll is worth it, from an estimated completion time: the remaining time
 * rounded up and clamped to `[min, max]`; an overdue ETA gives `min`, no (or an unreadable) ETA
 * gives `unknown`. Capped so a long operation still shows its progress.
 *
 * @example retryAfterFromEta('2026-01-01T00:00:05Z', new Date('2026-01-01T00:00:00Z')) // 5
 */
export function retryAfterFromEta(
  estimatedCompletionAt: string | null,
  now: Date,
  bounds: RetryAfterBounds = DEFAULT_RETRY_AFTER,
): number {
  const remainingMs = estimatedCompletionAt === null ? Number.NaN : Date.parse(estimatedCompletionAt) - now.getTime();
  if (Number.isNaN(remainingMs)) return bounds.unknown;
  if (remainingMs <= 0) return bounds.min;
  return Math.min(bounds.max, Math.max(bounds.min, Math.ceil(remainingMs / 1000)));
}

// delay-seconds = 1*DIGIT
const delaySeconds = /^\s*(\d+)\s*$/;
// IMF-fixdate and the obsolete RFC 850 form end in GMT; asctime has no zone and means GMT.
const zonedHttpDate = /^\s*[A-Za-z]{3,9},\s.*\sGMT\s*$/;
const asctimeDate = /^\s*[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\s*$/;

/**
 * Milliseconds to wait from a `Retry-After` value: whole seconds, or an HTTP-date taken relative to
 * `now` (past dates give 0). Anything else (fractions, negative numbers, free text) gives `undefined`,
 * so the caller falls back to its own backoff.
 *
 * @param now the moment the date is measured from: the response's `Date` when readable, else the clock
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7 HTTP-date
 * @example
 * parseRetryAfter('5', Date.now()) // 5000
 * parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', Date.parse('Sun, 22 Nov 2026 10:00:00 GMT')) // 30000
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const seconds = delaySeconds.exec(value);
  if (seconds?.[1] !== undefined) return Number(seconds[1]) * 1000;
  let date = Number.NaN;
  if (zonedHttpDate.test(value)) date = Date.parse(value);
  else if (asctimeDate.test(value)) date = Date.parse(`${value.trim()} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The moment a response's `Retry-After` date is measured from: its `Date` header when the response
 * exposes one (avoids clock skew between client and server), else `fallback`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-6.6.1 Date
 */
export function responseTime(headers: Headers, fallback: number): number {
  const date = headers.get('Date');
  const parsed = date === null ? Number.NaN : Date.parse(date);
  return Number.isNaN(parsed) ? fallback : parsed;
}

/** Bounds a client's delay is clamped to. */
export interface DelayBounds {
  /** Shortest delay; protects the server from a `Retry-After: 0` storm. */
  minDelayMs: number;
  /** Longest delay; keeps a far-off `Retry-After` from stalling the wait. */
  maxDelayMs: number;
}

/**
 * Clamps `ms` into `[minDelayMs, maxDelayMs]`, and never above {@link MAX_TIMER_DELAY_MS} whatever
 * the bounds say.
 *
 * @example clampDelay(120_000, { minDelayMs: 250, maxDelayMs: 60_000 }) // 60000
 */
export function clampDelay(ms: number, bounds: DelayBounds): number {
  const upper = Math.min(bounds.maxDelayMs, MAX_TIMER_DELAY_MS);
  const lower = Math.min(bounds.minDelayMs, upper);
  return Math.min(upper, Math.max(lower, ms));
}
