/**
 * When a failed delivery is tried again: exponential backoff with "equal jitter" (half the delay
 * fixed, half random), so a receiver coming back up is not hit by every sender at once.
 *
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */

/** How failed deliveries are retried. */
export interface RetryPolicy {
  /** Delay before the second attempt. @default 5_000 */
  initialDelayMs: number;
  /** Longest delay between attempts. @default 3_600_000 (1 hour) */
  maxDelayMs: number;
  /** Attempts in all, the first included, before a delivery fails for good. @default 16 (about 7.5 hours) */
  maxAttempts: number;
}

/** The default {@link RetryPolicy}: 5 s doubling to 1 h, 16 attempts. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { initialDelayMs: 5_000, maxDelayMs: 3_600_000, maxAttempts: 16 };

/**
 * The delay after `failedAttempts` failures (≥ 1): `initial × 2^(n−1)`, capped at `max`, of which
 * half is fixed and half drawn from `random` (`[0, 1)`).
 */
export function retryDelayMs(failedAttempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(exponent, 52));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `policy` with `overrides` applied, each checked. @throws RangeError for a value out of range. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!(Number.isFinite(policy.initialDelayMs) && policy.initialDelayMs >= 0))
    throw new RangeError('retry.initialDelayMs must be ≥ 0');
  if (!(Number.isFinite(policy.maxDelayMs) && policy.maxDelayMs >= policy.initialDelayMs)) {
    throw new RangeError('retry.maxDelayMs must be ≥ retry.initialDelayMs');
  }
  if (!(Number.isInteger(policy.maxAttempts) && policy.maxAttempts >= 1))
    throw new RangeError('retry.maxAttempts must be an integer ≥ 1');
  return policy;
}
