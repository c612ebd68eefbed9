/**
 * Jittered exponential backoff, for when the server gives no `Retry-After` and after transient
 * failures: many clients that failed together must not retry together.
 *
 * @see https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
 */

/** How the backoff grows. */
export interface BackoffOptions {
  /**
   * Delay before the first retry (before jitter).
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * Ceiling of the delay (before jitter).
   * @default 30_000
   */
  maxDelayMs?: number;
  /**
   * Growth per attempt.
   * @default 2
   */
  factor?: number;
  /**
   * Source of randomness in `[0, 1)`; injected so tests are exact.
   * @default Math.random
   */
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (0-based): `min(max, initial × factor^attempt)`, of which
 * a random half is kept ("equal jitter"): never zero, never above the ceiling.
 *
 * @example backoffDelay(2, { initialDelayMs: 500, random: () => 0.5 }) // 1500 (2000 × 0.75)
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialDelayMs = 500, maxDelayMs = 30_000, factor = 2, random = Math.random } = options;
  const exponent = Math.max(0, Math.floor(attempt));
  const ceiling = Math.min(maxDelayMs, initialDelayMs * factor ** exponent);
  const half = ceiling / 2;
  return Math.round(half + half * random());
}
