/**
 * A fixed-window request quota per caller, advertised in `RateLimit` / `RateLimit-Policy` and
 * enforced with 429 + `Retry-After`. The counting is rate-limiter-flexible's: in this process's
 * memory (SQLite, one process), or in a store every instance shares (PostgreSQL), so N instances
 * on one database let a tenant through its quota once, not N times.
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/
 */
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { type OperationLogger, silentLogger } from '../operations/logger.ts';
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

/** What a shared counter is built from: the quota, and the limiter that counts while its store fails. */
export interface SharedQuotaOptions {
  points: number;
  duration: number;
  keyPrefix: string;
  insuranceLimiter: RateLimiterAbstract;
}

/** Builds a counter in a store every instance shares (the PostgreSQL store's `quotaCounter`). */
export type SharedQuotaCounter = (options: SharedQuotaOptions) => RateLimiterAbstract;

/** How a {@link RateLimiter} counts. */
export interface RateLimiterOptions {
  /** Count in a shared store; without it, in this process's memory. */
  shared?: SharedQuotaCounter | undefined;
  /** Told when the shared store fails and this process counts alone. @default silentLogger */
  logger?: OperationLogger | undefined;
}

const KEY_PREFIX = 'longrun';

/** How often, at most, the fallback to this process's own count is logged. */
const FALLBACK_LOG_INTERVAL_MS = 60_000;

/**
 * The count kept in memory while the shared store fails: each instance then holds every caller to
 * the quota on its own (a database outage lets a tenant through at most once per instance), and
 * no request fails because its quota could not be counted.
 */
class FallbackCount extends RateLimiterMemory {
  readonly #logger: OperationLogger;
  #loggedAt = Number.NEGATIVE_INFINITY;
  /** Requests counted here so far: a request that added none was counted by the shared store. */
  calls = 0;
  /** True from the first request counted here until the shared store counts one again. */
  #counting = false;

  constructor(policy: RateLimitPolicy, logger: OperationLogger) {
    super({ points: policy.limit, duration: policy.windowSeconds, keyPrefix: KEY_PREFIX });
    this.#logger = logger;
  }

  override consume(key: string | number, points?: number, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    const now = Date.now();
    this.calls += 1;
    this.#counting = true;
    if (now - this.#loggedAt >= FALLBACK_LOG_INTERVAL_MS) {
      this.#loggedAt = now;
      this.#logger.warn({}, 'the shared request quotas do not answer: this instance counts them alone meanwhile');
    }
    return super.consume(key, points, options);
  }

  /** A request was counted by the shared store: after an outage, says once that it counts again. */
  sharedAnswered(): void {
    if (!this.#counting) return;
    this.#counting = false;
    // The next outage is told at once, however soon it comes.
    this.#loggedAt = Number.NEGATIVE_INFINITY;
    this.#logger.info({}, 'the shared request quotas answer again: counted in the database again');
  }
}

/** Counts requests per caller and answers what to send back. */
export class RateLimiter {
  readonly #policy: RateLimitPolicy;
  readonly #counter: RateLimiterAbstract;
  readonly #fallback: FallbackCount | undefined;
  readonly #policyHeader: string;
  /** Shared counts only: the requests of each caller waiting for that caller's count in flight. */
  readonly #batches: Map<string, PendingTake[]> | undefined;

  constructor(policy: RateLimitPolicy = DEFAULT_RATE_LIMIT, options: RateLimiterOptions = {}) {
    this.#policy = policy;
    this.#policyHeader = `"default";q=${policy.limit};w=${policy.windowSeconds}`;
    const quota = { points: policy.limit, duration: policy.windowSeconds, keyPrefix: KEY_PREFIX };
    if (options.shared === undefined) {
      this.#counter = new RateLimiterMemory(quota);
    } else {
      this.#fallback = new FallbackCount(policy, options.logger ?? silentLogger);
      this.#counter = options.shared({ ...quota, insuranceLimiter: this.#fallback });
    }
    this.#batches = options.shared === undefined ? undefined : new Map();
  }

  /**
   * Takes one request from `caller`'s quota and returns the headers to send.
   *
   * @throws {HttpProblem} `too-many-requests` (429 with `Retry-After`) when the quota is used up.
   */
  async take(caller: string): Promise<Record<string, string>> {
    let taken: RateLimiterRes;
    const fallbackCalls = this.#fallback?.calls;
    try {
      taken = await (this.#batches === undefined ? this.#counter.consume(caller) : this.#takeBatched(caller));
    } catch (refusal) {
      // The library refuses with the count; anything else is a fault (the fallback counts in memory).
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const resetSeconds = secondsLeft(refusal);
      throw new HttpProblem('too-many-requests', {
        detail: `The quota of ${this.#policy.limit} requests per ${this.#policy.windowSeconds} seconds is used up.`,
        headers: {
          'Retry-After': String(resetSeconds),
          RateLimit: `"default";r=0;t=${resetSeconds}`,
          'RateLimit-Policy': this.#policyHeader,
        },
      });
    }
    // A refusal may come from the library's memory without a query: only a count says the store answered.
    this.#sharedAnswered(fallbackCalls);
    return {
      RateLimit: `"default";r=${taken.remainingPoints};t=${secondsLeft(taken)}`,
      'RateLimit-Policy': this.#policyHeader,
    };
  }

  /**
   * No request was counted in memory while this one was counted (`before` is the fallback's count
   * when it began): the shared store answered it.
   */
  #sharedAnswered(before: number | undefined): void {
    if (this.#fallback !== undefined && this.#fallback.calls === before) this.#fallback.sharedAnswered();
  }

  /**
   * One request of `caller` counted in the shared store. While a count of that caller is in flight
   * (a database round trip), the caller's further requests wait and are counted together in the
   * next one: `consume(caller, n)` adds `n` in one atomic upsert, exactly as `n` upserts one after
   * another would, and each request gets the count it would have had, in arrival order (allowed
   * when that count is within the quota). A caller under load then costs one query per round trip,
   * not one per request.
   */
  #takeBatched(caller: string): Promise<RateLimiterRes> {
    const batches = this.#batches as Map<string, PendingTake[]>;
    return new Promise((resolve, reject) => {
      const waiting = batches.get(caller);
      if (waiting !== undefined) {
        waiting.push({ resolve, reject });
        return;
      }
      batches.set(caller, []);
      void this.#count(caller, [{ resolve, reject }]);
    });
  }

  async #count(caller: string, batch: PendingTake[]): Promise<void> {
    const points = this.#policy.limit;
    let result: RateLimiterRes;
    let refused = false;
    try {
      result = await this.#counter.consume(caller, batch.length);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) {
        for (const take of batch) take.reject(refusal);
        return this.#next(caller);
      }
      result = refusal;
      refused = true;
    }
    batch.forEach((take, index) => {
      // What a one-point consume would have counted for this request: the ones before it in the batch included.
      const consumed = result.consumedPoints - batch.length + index + 1;
      // A refusal that counted nothing (the caller is blocked in memory) refuses every request.
      const blocked = refused && result.consumedPoints <= points;
      const answer = new RateLimiterRes(
        Math.max(points - consumed, 0),
        result.msBeforeNext,
        consumed,
        result.isFirstInDuration && index === 0,
      );
      if (blocked || consumed > points) take.reject(blocked ? result : answer);
      else take.resolve(answer);
    });
    return this.#next(caller);
  }

  /** Counts the requests of `caller` that came while its last count was in flight, if any. */
  #next(caller: string): void {
    const batches = this.#batches as Map<string, PendingTake[]>;
    const waiting = batches.get(caller) ?? [];
    if (waiting.length === 0) {
      batches.delete(caller);
      return;
    }
    batches.set(caller, []);
    void this.#count(caller, waiting);
  }
}

/** A request waiting for its count in the shared store. */
interface PendingTake {
  resolve: (taken: RateLimiterRes) => void;
  reject: (refusal: unknown) => void;
}

/** Whole seconds until the caller's window ends, at least 1. */
function secondsLeft(count: RateLimiterRes): number {
  return Math.max(1, Math.ceil(count.msBeforeNext / 1000));
}
