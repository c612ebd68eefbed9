import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, retryDelayMs, retryPolicy } from './retry-policy.ts';

describe('retryDelayMs', () => {
  const policy = { initialDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 10 };

  it('doubles from the initial delay, half of it fixed and half jittered', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0))).toStrictEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0.999_999))).toStrictEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(retryDelayMs(7, policy, () => 0.999_999)).toBe(60_000);
    expect(retryDelayMs(5000, policy, () => 0.999_999)).toBe(60_000);
    expect(retryDelayMs(5000, policy, () => 0)).toBe(30_000);
  });
});

describe('retryPolicy', () => {
  it('fills in the defaults: 5 s doubling to an hour, 16 attempts', () => {
    expect(retryPolicy()).toStrictEqual(DEFAULT_RETRY_POLICY);
    expect(retryPolicy({ maxAttempts: 3 })).toStrictEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 3 });
  });

  it('refuses values that make no schedule', () => {
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => retryPolicy({ initialDelayMs: -1 })).toThrow(RangeError);
    expect(() => retryPolicy({ initialDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
  });
});
