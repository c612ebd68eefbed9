/**
 * The clock and timers the operations layer reads time through, injected so tests move time by
 * hand (see `manual-time.ts`) instead of sleeping.
 */

/** Where the current time comes from. */
export interface Clock {
  now(): Date;
}

/** An opaque handle returned by {@link Timers.setTimeout}. */
export type TimerHandle = unknown;

/** One-shot timers; the subset of the global timer functions the engine needs. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The longest delay Node's timers honour: 2^31 − 1 ms (~24.8 days). Longer delays fire after 1 ms,
 * so every delay is clamped to this.
 *
 * @see https://nodejs.org/api/timers.html#settimeoutcallback-delay-args
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** `ms` made safe for a timer: non-negative, finite, and at most {@link MAX_TIMER_DELAY_MS}. */
export function clampDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_DELAY_MS);
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** The global timers, with delays clamped by {@link clampDelay}. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, clampDelay(ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
