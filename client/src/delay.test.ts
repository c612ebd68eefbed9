import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { delay, maxTimerDelayMs } from './delay.ts';

describe('delay', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('resolves after the delay', async () => {
    let done = false;
    void delay(1000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  test('never asks for a timer beyond 2^31−1 ms: a longer sleep is taken in chunks', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    let done = false;
    const fiftyDays = 50 * 24 * 60 * 60 * 1000;
    void delay(fiftyDays).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(fiftyDays - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    const requested = setTimeoutSpy.mock.calls.map((call) => call[1] ?? 0);
    expect(Math.max(...requested)).toBe(maxTimerDelayMs);
    expect(requested.reduce((sum, ms) => sum + ms, 0)).toBe(fiftyDays);
  });

  test('rejects with the signal’s reason when aborted, and clears its timer', async () => {
    const controller = new AbortController();
    const sleeping = delay(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(vi.getTimerCount()).toBe(0);
  });

  test('rejects at once when the signal already aborted', async () => {
    await expect(delay(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  test('treats a negative or NaN delay as zero', async () => {
    const sleeping = delay(Number.NaN);
    await vi.advanceTimersByTimeAsync(0);
    await expect(sleeping).resolves.toBeUndefined();
    const negative = delay(-5);
    await vi.advanceTimersByTimeAsync(0);
    await expect(negative).resolves.toBeUndefined();
  });
});
