import { afterEach, describe, expect, test, vi } from 'vitest';
import { monitor } from '../testing/fake-api.ts';
import { barLine, createProgressView, formatDuration, plainLine } from './progress-view.ts';

const now = Date.parse('2026-11-22T10:00:00.000Z');
const painting = monitor({
  state: 'running',
  percent: 45,
  message: 'Mixing the blue',
  estimatedCompletionAt: '2026-11-22T10:00:12.000Z',
  steps: [
    { name: 'chassis', title: 'Weld the chassis', state: 'succeeded' },
    { name: 'paint', title: 'Paint the body', state: 'running' },
    { name: 'inspection', title: 'Final inspection', state: 'pending' },
  ],
});

describe('formatDuration', () => {
  test('reads as seconds, minutes or hours', () => {
    expect([0, 999, 45_000, 185_000, 7_620_000].map(formatDuration)).toEqual(['0s', '1s', '45s', '3m 05s', '2h 07m']);
  });
});

describe('plainLine', () => {
  test('shows state, percent, current step with its position, message and ETA', () => {
    expect(plainLine(painting, now)).toBe('running 45% · Paint the body [2/3] · Mixing the blue · ETA 12s');
  });

  test('says when a step waits for an outside action, and when the ETA has passed', () => {
    const waiting = monitor({
      percent: 60,
      estimatedCompletionAt: '2026-11-22T09:59:00.000Z',
      steps: [{ name: 'fulfilment', state: 'waiting' }],
    });
    expect(plainLine(waiting, now)).toBe(
      'running 60% · fulfilment [1/1] (waiting for an outside action) · ETA any moment',
    );
  });
});

describe('barLine', () => {
  test('draws a 20-cell bar', () => {
    expect(barLine(painting, now, 200)).toBe(
      'running [█████████░░░░░░░░░░░]  45% · Paint the body [2/3] · Mixing the blue · ETA 12s',
    );
  });

  test('drops the message before the step and ETA when the terminal is narrow', () => {
    expect(barLine(painting, now, 80)).toBe('running [█████████░░░░░░░░░░░]  45% · Paint the body [2/3] · ETA 12s');
  });

  test('is cut to the terminal width, never wrapped', () => {
    const line = barLine(painting, now, 40);
    expect(line).toHaveLength(39);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('createProgressView', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('appends one line per change when not on a terminal', () => {
    const written: string[] = [];
    const view = createProgressView({ write: (text) => written.push(text), isTTY: false }, () => now);
    view.update(painting);
    view.update(monitor({ state: 'succeeded', percent: 100 }));
    view.finish();
    expect(written).toEqual(['running 45% · Paint the body [2/3] · Mixing the blue · ETA 12s\n', 'succeeded 100%\n']);
  });

  test('takes a terminal that reports 0 columns (a bare pty) as 80 wide', () => {
    const written: string[] = [];
    const view = createProgressView({ write: (text) => written.push(text), isTTY: true, columns: 0 }, () => now);
    view.update(painting);
    view.finish();
    expect(written[0]).toBe(`\r\x1b[2K${barLine(painting, now, 80)}`);
    expect(written[0]).toContain('ETA 12s');
  });

  test('redraws one line on a terminal, ticking the ETA each second, and clears it when done', () => {
    vi.useFakeTimers();
    let clock = now;
    const written: string[] = [];
    const view = createProgressView({ write: (text) => written.push(text), isTTY: true, columns: 200 }, () => clock);
    view.update(painting);
    clock += 1000;
    vi.advanceTimersByTime(1000);
    view.finish();
    vi.advanceTimersByTime(5000);

    expect(written).toHaveLength(3);
    const redraw = '\r\x1b[2K';
    expect(written[0]?.startsWith(`${redraw}running [█████████░░░░░░░░░░░]  45% ·`)).toBe(true);
    expect(written[0]).toMatch(/ETA 12s$/);
    expect(written[1]).toMatch(/ETA 11s$/);
    expect(written[2]).toBe(redraw);
  });
});
