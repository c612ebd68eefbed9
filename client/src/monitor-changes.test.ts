import { describe, expect, test } from 'vitest';
import { currentStep, isMonitor, isTerminal, progressSignature, trackProgress } from './monitor-changes.ts';
import { monitor } from './testing/fake-api.ts';

describe('isTerminal', () => {
  test('is true for succeeded, failed and cancelled only', () => {
    expect(
      ['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((state) => isTerminal({ state } as never)),
    ).toEqual([false, false, true, true, true]);
  });
});

describe('isMonitor', () => {
  test('accepts a monitor', () => {
    expect(isMonitor(monitor())).toBe(true);
  });

  test('rejects an embedded-status resource, a problem and non-objects', () => {
    expect(isMonitor({ id: 'vm_1', status: 'provisioning', links: {} })).toBe(false);
    expect(isMonitor({ id: 'op_1', kind: 'car.create', state: 'exploded' })).toBe(false);
    expect(isMonitor({ type: 'about:blank', title: 'Not found', status: 404 })).toBe(false);
    expect(isMonitor(null)).toBe(false);
    expect(isMonitor('op_1')).toBe(false);
  });
});

describe('currentStep', () => {
  test('is the running or waiting step', () => {
    const m = monitor({
      steps: [
        { name: 'reserve', state: 'succeeded' },
        { name: 'fulfilment', state: 'waiting' },
        { name: 'invoice', state: 'pending' },
      ],
    });
    expect(currentStep(m)?.name).toBe('fulfilment');
  });

  test('is the failed step once it failed, and none before any started or after all finished', () => {
    expect(
      currentStep(
        monitor({
          steps: [
            { name: 'a', state: 'failed' },
            { name: 'b', state: 'skipped' },
          ],
        }),
      )?.name,
    ).toBe('a');
    expect(currentStep(monitor({ steps: [{ name: 'a', state: 'pending' }] }))).toBeUndefined();
    expect(currentStep(monitor({ steps: [{ name: 'a', state: 'succeeded' }] }))).toBeUndefined();
  });
});

describe('progressSignature and trackProgress', () => {
  test('a new ETA or timestamp is no change', () => {
    const before = monitor({ percent: 10, estimatedCompletionAt: '2026-11-22T10:00:10.000Z' });
    const after = {
      ...monitor({ percent: 10, estimatedCompletionAt: '2026-11-22T10:00:12.000Z' }),
      updatedAt: 'later',
    };
    expect(progressSignature(after)).toBe(progressSignature(before));
  });

  test('state, percent, message and each step are changes', () => {
    const base = monitor({ percent: 10, steps: [{ name: 'a', state: 'running' }] });
    const variants = [
      monitor({ state: 'queued', percent: 10, steps: [{ name: 'a', state: 'running' }] }),
      monitor({ percent: 11, steps: [{ name: 'a', state: 'running' }] }),
      monitor({ percent: 10, message: 'x', steps: [{ name: 'a', state: 'running' }] }),
      monitor({ percent: 10, steps: [{ name: 'a', state: 'waiting' }] }),
    ];
    for (const variant of variants) expect(progressSignature(variant)).not.toBe(progressSignature(base));
  });

  test('reports the first monitor, then only changes', () => {
    const changes = trackProgress();
    expect([10, 10, 20, 20, 10].map((percent) => changes.isNew(monitor({ percent })))).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
  });
});
