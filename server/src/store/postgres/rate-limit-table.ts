/**
 * Request quotas counted in PostgreSQL, so every instance on one database shares them: a tenant
 * gets its quota once, not once per instance. The counting is rate-limiter-flexible's
 * `RateLimiterPostgres` (one atomic upsert per count); this module points it at the store's pool
 * and at the table migration 5 made, and takes a caller's places in the count a few at a time
 * ({@link ReservingQuotaCounter}, docs/decisions/0014), so a busy caller costs one upsert per
 * reservation instead of one per round trip.
 */
import type pg from 'pg';
import { type RateLimiterAbstract, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** The table request quotas are counted in (made by migration 5, named apart from the library's default). */
export const RATE_LIMIT_TABLE = 'longrun_rate_limits';

/** Most places one reservation takes in a caller's count. */
export const MAX_RESERVATION = 100;

/**
 * How many places in a caller's count one instance reserves at a time for a quota of `points`: a
 * hundredth of the quota, at most {@link MAX_RESERVATION}, at least 1 (a quota under 200 is
 * counted one request at a time, exactly as before reservations).
 */
export function reservationSize(points: number): number {
  return Math.max(1, Math.min(MAX_RESERVATION, Math.floor(points / 100)));
}

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
export function postgresQuotaCounter(pool: pg.Pool, options: QuotaCounterOptions): RateLimiterAbstract {
  return new ReservingQuotaCounter(pool, options);
}

/** Places in a caller's count this instance reserved and has not handed out yet: `next`…`last`. */
interface Reservation {
  next: number;
  last: number;
  /** When the window they belong to ends (epoch ms; infinite for a window of 0 seconds): they are worth nothing after. */
  endsAt: number;
}

/**
 * The shared count, taken a reservation at a time. A request's place in its caller's window is a
 * number from 1 up, the same sequence on every instance: the database hands out places in blocks
 * ({@link reservationSize}), and each instance hands its block's places to its own requests, one
 * each, in order. A request whose place is within the quota passes.
 *
 * - Never more than the quota in a window, across all instances: each place is handed out once.
 * - Possibly fewer: places an instance reserved and did not hand out before the window ended
 *   (fewer than one block per instance) are lost to the caller; another instance refuses once the
 *   database's count reaches the quota, even while this one still holds some.
 * - The remainder a response shows is the quota minus its own place: another instance's requests
 *   of the same moment may hold places after it.
 *
 * The answers are shaped as the library's: `consume(key, n)` resolves with the place of the last
 * of the `n` when all pass, else rejects with a count past the quota by the number refused, so
 * that the first of the `n` pass and the rest do not (what `http/rate-limit.ts` reads).
 */
export class ReservingQuotaCounter extends RateLimiterPostgres {
  readonly #quota: number;
  readonly #size: number;
  readonly #insurance: RateLimiterAbstract;
  readonly #held = new Map<string, Reservation>();
  /** Reservations in flight, by caller: settled once their places are held here. */
  readonly #reserving = new Map<string, Promise<void>>();
  /** False from a query that failed until one succeeds: held places wait meanwhile. */
  #answering = true;

  constructor(pool: pg.Pool, options: QuotaCounterOptions) {
    const { insuranceLimiter, ...quota } = options;
    super({
      ...quota,
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
    this.#quota = options.points;
    this.#size = reservationSize(options.points);
    // Asked here rather than by the library: it would count a whole reservation in memory.
    this.#insurance = insuranceLimiter;
  }

  override async consume(key: string | number, points = 1): Promise<RateLimiterRes> {
    const caller = String(key);
    // While a reservation of this caller is in flight, its requests wait for the places it brings.
    for (let reserving = this.#reserving.get(caller); reserving !== undefined; reserving = this.#reserving.get(caller))
      await reserving;
    const now = Date.now();
    let held = this.#held.get(caller);
    if (held !== undefined && held.endsAt <= now) {
      this.#held.delete(caller);
      held = undefined;
    }
    // Places held here first: no query while they last. Not while the database does not answer:
    // each request then asks it, so the first that finds it back says so (the log) and counts there.
    const fromHeld = held === undefined || !this.#answering ? 0 : Math.min(points, held.last - held.next + 1);
    let lastPlace = 0;
    if (held !== undefined && fromHeld > 0) {
      lastPlace = held.next + fromHeld - 1;
      held.next += fromHeld;
      if (held.next > held.last) this.#held.delete(caller);
      if (fromHeld === points) return new RateLimiterRes(this.#quota - lastPlace, msLeft(held, now), lastPlace, false);
    }
    const wanted = points - fromHeld;
    const reserving = Math.max(wanted, this.#size);
    let counted: RateLimiterRes;
    let taken = reserving;
    let given: number;
    let release = () => {};
    this.#reserving.set(
      caller,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    try {
      let keep = true;
      try {
        counted = await super.consume(caller, reserving);
        this.#answering = true;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) {
          counted = refusal;
          // Counted and refused by the database (not refused from memory): it answers.
          if (refusal.consumedPoints >= reserving) this.#answering = true;
        } else {
          // The database does not answer: the insurance counts exactly these requests, in memory.
          this.#answering = false;
          taken = wanted;
          keep = false;
          try {
            counted = await this.#insurance.consume(caller, wanted);
          } catch (insured) {
            if (!(insured instanceof RateLimiterRes)) throw insured;
            counted = insured;
          }
        }
      }
      // Refused from memory (the caller is past its quota in this window): nothing was counted.
      const blocked = counted.consumedPoints < taken;
      const first = counted.consumedPoints - taken + 1;
      const usableLast = blocked ? first - 1 : Math.min(counted.consumedPoints, this.#quota);
      given = Math.min(Math.max(0, usableLast - first + 1), wanted);
      if (given > 0) lastPlace = first + given - 1;
      if (keep && usableLast >= first + given) {
        // A window of 0 seconds never ends (the library's -1).
        const endsAt = counted.msBeforeNext < 0 ? Number.POSITIVE_INFINITY : Date.now() + counted.msBeforeNext;
        this.#held.set(caller, { next: first + given, last: usableLast, endsAt });
      }
    } finally {
      this.#reserving.delete(caller);
      release();
    }
    const blocked = counted.consumedPoints < taken;
    const passed = fromHeld + given;
    if (passed === points) {
      return new RateLimiterRes(
        this.#quota - lastPlace,
        counted.msBeforeNext,
        lastPlace,
        counted.isFirstInDuration && fromHeld === 0,
      );
    }
    // Nothing passed and nothing was counted: refused as the library refuses a blocked caller.
    if (passed === 0 && blocked) throw counted;
    throw new RateLimiterRes(0, counted.msBeforeNext, this.#quota + points - passed, false);
  }
}

/** Milliseconds until the window of `held` ends, or -1 for a window that never ends (as the library says it). */
function msLeft(held: Reservation, now: number): number {
  return held.endsAt === Number.POSITIVE_INFINITY ? -1 : held.endsAt - now;
}
