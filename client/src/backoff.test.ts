import { describe, expect, test } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  test('doubles per attempt from the initial delay, keeping a random upper half', () => {
    const low = { initialDelayMs: 1000, random: () => 0 };
    const high = { initialDelayMs: 1000, random: () => 0.999_999 };
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, low))).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, high))).toEqual([1000, 2000, 4000, 8000]);
  });

  test('never exceeds the ceiling', () => {
    expect(backoffDelay(50, { initialDelayMs: 1000, maxDelayMs: 10_000, random: () => 0.999_999 })).toBe(10_000);
  });

  test('spreads clients that failed together', () => {
    const delays = new Set([0.1, 0.4, 0.7].map((r) => backoffDelay(3, { random: () => r })));
    expect(delays.size).toBe(3);
  });

  test('uses 500 ms, ×2 and a 30 s ceiling by default', () => {
    expect(backoffDelay(0, { random: () => 0 })).toBe(250);
    expect(backoffDelay(20, { random: () => 0 })).toBe(15_000);
  });
});
