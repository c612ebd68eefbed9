/**
 * A fixed-window request quota per caller, advertised in `RateLimit` / `RateLimit-Policy` and
 * enforced with 429 + `Retry-After`.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/
 */
import { HttpProblem } from './problem.ts';

/** A quota: `limit` requests per `windowSeconds`. */
export interface RateLimitPolicy {
  /** @default 6000 */
  limit: number;
  /** @default 60 */
  windowSeconds: number;
}

/** The default quota per tenant. */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { limit: 6000, windowSeconds: 60 };

interface Window {
  startsAt: number;
  used: number;
}

/** Counts requests per caller and answers what to send back. */
export class RateLimiter {
  readonly #policy: RateLimitPolicy;
  readonly #windows = new Map<string, Window>();
  readonly #policyHeader: string;

  constructor(policy: RateLimitPolicy = DEFAULT_RATE_LIMIT) {
    this.#policy = policy;
    this.#policyHeader = `"default";q=${policy.limit};w=${policy.windowSeconds}`;
  }

  /**
   * Takes one request from `caller`'s quota and returns the headers to send.
   *
   * @throws {HttpProblem} `too-many-requests` (429 with `Retry-After`) when the quota is used up.
   */
  take(caller: string, nowMs: number): Record<string, string> {
    const windowMs = this.#policy.windowSeconds * 1000;
    let window = this.#windows.get(caller);
    if (window === undefined || nowMs - window.startsAt >= windowMs) {
      if (this.#windows.size > 100_000) this.#evictExpired(nowMs, windowMs);
      window = { startsAt: nowMs, used: 0 };
      this.#windows.set(caller, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.startsAt + windowMs - nowMs) / 1000));
    const remaining = this.#policy.limit - window.used;
    if (remaining <= 0) {
      throw new HttpProblem('too-many-requests', {
        detail: `The quota of ${this.#policy.limit} requests per ${this.#policy.windowSeconds} seconds is used up.`,
        headers: {
          'Retry-After': String(resetSeconds),
          RateLimit: `"default";r=0;t=${resetSeconds}`,
          'RateLimit-Policy': this.#policyHeader,
        },
      });
    }
    window.used += 1;
    return { RateLimit: `"default";r=${remaining - 1};t=${resetSeconds}`, 'RateLimit-Policy': this.#policyHeader };
  }

  #evictExpired(nowMs: number, windowMs: number): void {
    for (const [caller, window] of this.#windows) {
      if (nowMs - window.startsAt >= windowMs) this.#windows.delete(caller);
    }
  }
}
