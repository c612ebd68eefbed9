/**
 * A clock and timers that only move when told to: tests (of the engine and of kinds) advance time
 * instead of sleeping, and leases, ETAs and timeouts stay deterministic.
 */
import { type Clock, clampDelay, type TimerHandle, type Timers } from './ports/clock.ts';

/** A {@link Clock} and {@link Timers} driven by hand. */
export interface ManualTime extends Clock, Timers {
  /** Moves time forward by `ms`, firing every timer that falls due, in due order. */
  advance(ms: number): void;
  /** How many timers are scheduled and not yet fired or cleared. */
  pendingTimers(): number;
}

interface ManualTimer {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * Creates a {@link ManualTime} starting at `start`.
 *
 * @param start The initial time. @default 2030-01-01T00:00:00Z
 * @example
 * const time = createManualTime();
 * const engine = createEngine({ store, kinds, clock: time, timers: time });
 * time.advance(10_000); // leases expire, heartbeats and polls fire
 */
export function createManualTime(start: Date = new Date('2030-01-01T00:00:00.000Z')): ManualTime {
  let now = start.getTime();
  let seq = 0;
  const timers = new Set<ManualTimer>();

  const nextDue = (limit: number): ManualTimer | undefined => {
    let next: ManualTimer | undefined;
    for (const timer of timers) {
      if (timer.due > limit) continue;
      if (!next || timer.due < next.due || (timer.due === next.due && timer.seq < next.seq)) next = timer;
    }
    return next;
  };

  return {
    now: () => new Date(now),
    setTimeout(callback: () => void, ms: number): TimerHandle {
      const timer: ManualTimer = { due: now + clampDelay(ms), seq: seq++, callback };
      timers.add(timer);
      return timer;
    },
    clearTimeout(handle: TimerHandle): void {
      timers.delete(handle as ManualTimer);
    },
    advance(ms: number): void {
      if (!(ms >= 0)) throw new RangeError(`cannot move time backwards: ${ms}`);
      const target = now + ms;
      // Timers scheduled by a firing callback fire too when they fall due before `target`.
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        timers.delete(timer);
        now = Math.max(now, timer.due);
        timer.callback();
      }
      now = target;
    },
    pendingTimers: () => timers.size,
  };
}
