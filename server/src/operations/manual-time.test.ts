import { describe, expect, it } from 'vitest';
import { createManualTime } from './manual-time.ts';
import { MAX_TIMER_DELAY_MS } from './ports/clock.ts';

describe('createManualTime', () => {
  it('stands still until advanced', () => {
    const time = createManualTime(new Date('2030-01-01T00:00:00.000Z'));
    expect(time.now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    time.advance(1_500);
    expect(time.now().toISOString()).toBe('2030-01-01T00:00:01.500Z');
  });

  it('fires due timers in due order, with the clock at their due time', () => {
    const time = createManualTime();
    const start = time.now().getTime();
    const fired: string[] = [];
    time.setTimeout(() => fired.push(`b@${time.now().getTime() - start}`), 20);
    time.setTimeout(() => fired.push(`a@${time.now().getTime() - start}`), 10);
    time.setTimeout(() => fired.push('late'), 100);
    time.advance(50);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(time.pendingTimers()).toBe(1);
  });

  it('fires timers scheduled by a firing timer when they fall due within the advance', () => {
    const time = createManualTime();
    let beats = 0;
    const beat = () => {
      beats += 1;
      time.setTimeout(beat, 10);
    };
    time.setTimeout(beat, 10);
    time.advance(35);
    expect(beats).toBe(3);
  });

  it('never fires a cleared timer', () => {
    const time = createManualTime();
    let fired = false;
    const handle = time.setTimeout(() => {
      fired = true;
    }, 5);
    time.clearTimeout(handle);
    time.advance(10);
    expect(fired).toBe(false);
  });

  it('clamps delays like Node does not: beyond 2^31-1 ms waits that long, not 1 ms', () => {
    const time = createManualTime();
    let fired = false;
    time.setTimeout(() => {
      fired = true;
    }, Number.MAX_SAFE_INTEGER);
    time.advance(MAX_TIMER_DELAY_MS - 1);
    expect(fired).toBe(false);
    time.advance(1);
    expect(fired).toBe(true);
  });

  it('refuses to go back in time', () => {
    expect(() => createManualTime().advance(-1)).toThrow(RangeError);
  });
});
