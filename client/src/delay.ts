/**
 * Sleeping without tripping over the platform's timer limit.
 *
 * Browsers and Node keep timer delays in a signed 32-bit integer: a delay above 2^31−1 ms (about
 * 24.8 days) overflows and fires at once (Node warns and uses 1 ms). A `Retry-After` date far in
 * the future must not turn into a hot loop, so long delays are slept in chunks.
 */

import { MAX_TIMER_DELAY_MS } from '@longrun/openapi/contract';

/**
 * The longest delay a single `setTimeout` honours: 2^31−1 ms (the contract module's, which also
 * caps `Retry-After` delays with it).
 *
 * @see https://developer.mozilla.org/docs/Web/API/Window/setTimeout#maximum_delay_value
 */
export const maxTimerDelayMs: number = MAX_TIMER_DELAY_MS;

/**
 * Sleeps `ms` milliseconds (chunked below {@link maxTimerDelayMs}); rejects with the signal's reason
 * when `signal` aborts, and at once when it already has.
 *
 * @param ms how long to sleep; negative and `NaN` count as 0
 * @example await delay(1_000, controller.signal);
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let remaining = Number.isFinite(ms) ? Math.max(0, ms) : ms > 0 ? Number.POSITIVE_INFINITY : 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const step = () => {
      if (remaining <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      const chunk = Math.min(remaining, maxTimerDelayMs);
      remaining -= chunk;
      timer = setTimeout(step, chunk);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (remaining === 0) {
      // Still yield to the event loop, like setTimeout(0) would.
      timer = setTimeout(step, 0);
      return;
    }
    step();
  });
}
