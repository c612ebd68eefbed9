/**
 * A shared quota counter (PostgreSQL's, in production) costs a database round trip per count, so
 * the requests of one caller that arrive while its count is in flight are counted together in the
 * next one. Each request must still get the answer it would have had counted alone: exactly the
 * quota allowed, in arrival order, each with its own remainder, the rest refused.
 */
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { describe, expect, it } from 'vitest';
import { HttpProblem } from './problem.ts';
import { RateLimiter, type SharedQuotaOptions } from './rate-limit.ts';

/** A counter in memory that answers a moment later, like a database, and records each count asked. */
class SlowCounter extends RateLimiterMemory {
  readonly counts: number[] = [];

  override async consume(key: string | number, points = 1, options?: Record<string, unknown>): Promise<RateLimiterRes> {
    this.counts.push(points);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return super.consume(key, points, options);
  }
}

function limiterWithSharedCounter(limit: number): { limiter: RateLimiter; counter: () => SlowCounter } {
  let counter: SlowCounter | undefined;
  const limiter = new RateLimiter(
    { limit, windowSeconds: 60 },
    {
      shared: (options: SharedQuotaOptions) => {
        counter = new SlowCounter({ points: options.points, duration: options.duration, keyPrefix: options.keyPrefix });
        return counter;
      },
    },
  );
  return { limiter, counter: () => counter as SlowCounter };
}

/** What `take` answered: the remainder it advertised, or `refused`. */
async function answer(limiter: RateLimiter, caller: string): Promise<number | 'refused'> {
  try {
    const headers = await limiter.take(caller);
    return Number(/;r=(\d+);/.exec(headers.RateLimit ?? '')?.[1]);
  } catch (error) {
    if (error instanceof HttpProblem && error.status === 429) return 'refused';
    throw error;
  }
}

describe('a quota counted in a shared store', () => {
  it('counts the requests that wait for a count in flight together, each answered as if counted alone', async () => {
    const { limiter, counter } = limiterWithSharedCounter(5);
    const answers = await Promise.all(Array.from({ length: 12 }, () => answer(limiter, 'acme')));
    expect(answers).toEqual([
      4,
      3,
      2,
      1,
      0,
      'refused',
      'refused',
      'refused',
      'refused',
      'refused',
      'refused',
      'refused',
    ]);
    // The first alone, the eleven that came while it was in flight together.
    expect(counter().counts).toEqual([1, 11]);
    // The window holds all twelve, as twelve counts would have left it; the next one is refused.
    expect(await answer(limiter, 'acme')).toBe('refused');
  });

  it('keeps callers apart: each has its own count and its own batch', async () => {
    const { limiter, counter } = limiterWithSharedCounter(3);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => answer(limiter, i % 2 === 0 ? 'acme' : 'globex')),
    );
    expect(answers.filter((_, i) => i % 2 === 0)).toEqual([2, 1, 0, 'refused']);
    expect(answers.filter((_, i) => i % 2 === 1)).toEqual([2, 1, 0, 'refused']);
    expect(counter().counts).toEqual([1, 1, 3, 3]);
  });

  it('answers one request at a time as before when nothing waits', async () => {
    const { limiter, counter } = limiterWithSharedCounter(2);
    expect(await answer(limiter, 'acme')).toBe(1);
    expect(await answer(limiter, 'acme')).toBe(0);
    expect(await answer(limiter, 'acme')).toBe('refused');
    expect(counter().counts).toEqual([1, 1, 1]);
  });
});
