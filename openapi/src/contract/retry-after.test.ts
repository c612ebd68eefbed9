import { describe, expect, test } from 'vitest';
import {
  clampDelay,
  DEFAULT_RETRY_AFTER,
  MAX_TIMER_DELAY_MS,
  parseRetryAfter,
  responseTime,
  retryAfterFromEta,
} from './retry-after.ts';

const now = Date.parse('Sun, 22 Nov 2026 10:00:00 GMT');

describe('parseRetryAfter', () => {
  test('reads delay-seconds as milliseconds', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(86_400_000);
  });

  test('reads an IMF-fixdate relative to now', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  test('reads the obsolete RFC 850 and asctime forms (asctime is GMT)', () => {
    expect(parseRetryAfter('Sunday, 22-Nov-26 10:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Sun Nov 22 10:00:20 2026', now)).toBe(20_000);
  });

  test('a date in the past means now', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  test('anything else is ignored, so the caller backs off on its own', () => {
    for (const value of ['1.5', '-3', 'soon', '', '5 seconds', '2026-11-22T10:00:30Z', null, undefined]) {
      expect(parseRetryAfter(value, now), String(value)).toBeUndefined();
    }
  });
});

describe('clampDelay', () => {
  const bounds = { minDelayMs: 250, maxDelayMs: 60_000 };

  test('keeps a delay inside the bounds', () => {
    expect(clampDelay(5000, bounds)).toBe(5000);
  });

  test('raises a short delay and lowers a long one', () => {
    expect(clampDelay(0, bounds)).toBe(250);
    expect(clampDelay(3_600_000, bounds)).toBe(60_000);
  });

  test('never exceeds the 2^31−1 ms timer limit, even with no upper bound', () => {
    expect(clampDelay(Number.POSITIVE_INFINITY, { minDelayMs: 0, maxDelayMs: Number.POSITIVE_INFINITY })).toBe(
      MAX_TIMER_DELAY_MS,
    );
    expect(clampDelay(10, { minDelayMs: 2 ** 40, maxDelayMs: 2 ** 41 })).toBe(MAX_TIMER_DELAY_MS);
  });
});

describe('responseTime', () => {
  test('is the Date header when there is one', () => {
    expect(responseTime(new Headers({ Date: 'Sun, 22 Nov 2026 09:59:00 GMT' }), now)).toBe(now - 60_000);
  });

  test('falls back when the header is missing or unreadable', () => {
    expect(responseTime(new Headers(), now)).toBe(now);
    expect(responseTime(new Headers({ Date: 'yesterday' }), now)).toBe(now);
  });
});

describe('retryAfterFromEta', () => {
  const NOW = new Date('2026-11-22T10:00:00.000Z');
  const inSeconds = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

  test('is the whole seconds left until the ETA, rounded up', () => {
    expect(retryAfterFromEta(inSeconds(5), NOW)).toBe(5);
    expect(retryAfterFromEta(inSeconds(4.2), NOW)).toBe(5);
    expect(retryAfterFromEta(inSeconds(18), NOW)).toBe(18);
  });

  test('never asks for less than the minimum, also once the ETA has passed', () => {
    expect(retryAfterFromEta(inSeconds(0.1), NOW)).toBe(DEFAULT_RETRY_AFTER.min);
    expect(retryAfterFromEta(inSeconds(-30), NOW)).toBe(DEFAULT_RETRY_AFTER.min);
  });

  test('is capped, so a long operation still shows its progress', () => {
    expect(retryAfterFromEta(inSeconds(3_600), NOW)).toBe(DEFAULT_RETRY_AFTER.max);
  });

  test('uses the "unknown" value without an ETA or with an unreadable one', () => {
    expect(retryAfterFromEta(null, NOW)).toBe(DEFAULT_RETRY_AFTER.unknown);
    expect(retryAfterFromEta('not a date', NOW)).toBe(DEFAULT_RETRY_AFTER.unknown);
  });

  test('honours custom bounds', () => {
    const bounds = { min: 2, max: 10, unknown: 7 };
    expect(retryAfterFromEta(inSeconds(1), NOW, bounds)).toBe(2);
    expect(retryAfterFromEta(inSeconds(60), NOW, bounds)).toBe(10);
    expect(retryAfterFromEta(null, NOW, bounds)).toBe(7);
  });

  test('is read back by a client as the same wait', () => {
    expect(parseRetryAfter(String(retryAfterFromEta(inSeconds(5), NOW)), NOW.getTime())).toBe(5000);
  });
});
