/**
 * Request quotas counted in PostgreSQL, so every instance on one database shares them: a tenant
 * gets its quota once, not once per instance. The counting is rate-limiter-flexible's
 * `RateLimiterPostgres` (one atomic upsert per request); this module only points it at the
 * store's pool and at the table migration 5 made.
 */
import type pg from 'pg';
import { type RateLimiterAbstract, RateLimiterPostgres } from 'rate-limiter-flexible';

/** The table request quotas are counted in (made by migration 5, named apart from the library's default). */
export const RATE_LIMIT_TABLE = 'longrun_rate_limits';

/** A quota to count in the database, and the limiter that counts when the database does not answer. */
export interface QuotaCounterOptions {
  /** Requests allowed per window. */
  points: number;
  /** The window, in seconds. */
  duration: number;
  /** Prefixed to every caller key. */
  keyPrefix: string;
  /** Counts instead while a query fails (the database unreachable or the table missing). */
  insuranceLimiter: RateLimiterAbstract;
}

/** A quota counter on `pool`, in {@link RATE_LIMIT_TABLE}. */
export function postgresQuotaCounter(pool: pg.Pool, options: QuotaCounterOptions): RateLimiterPostgres {
  return new RateLimiterPostgres({
    ...options,
    storeClient: pool,
    storeType: 'pool',
    tableName: RATE_LIMIT_TABLE,
    // The migrations made it: the library's own CREATE TABLE at start is not needed.
    tableCreated: true,
    // A caller past its quota is refused from this process's memory for the rest of its window,
    // without a query: a flood of refused requests (a key guesser) costs the database nothing.
    // (0 when the quota is 0: the library takes 0 for "never".)
    inMemoryBlockOnConsumed: Math.max(options.points, 0),
    // Windows that ended an hour ago are deleted every 5 minutes, by every instance.
    clearExpiredByTimeout: true,
  });
}
