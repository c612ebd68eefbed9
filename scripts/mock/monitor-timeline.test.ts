import { describe, expect, it } from 'vitest';
import { type MockOperation, monitorAt } from './monitor-timeline.ts';

const acceptedAt = Date.parse('2026-11-22T10:00:00.000Z');

/** A car order accepted at 10:00:00 that queues 1 s and takes 4 s in all: 3 steps of 1 s each. */
function carOrder(overrides: Partial<MockOperation> = {}): MockOperation {
  const steps = [
    { name: 'chassis', title: 'Weld the chassis', state: 'pending' },
    { name: 'paint', title: 'Paint the body', state: 'pending' },
    { name: 'inspection', title: 'Final inspection', state: 'pending' },
  ];
  return {
    id: 'op_NEW0000000000000000000001',
    tenant: 'acme',
    kind: 'car.create',
    acceptedAt,
    durationMs: 4000,
    queuedMs: 1000,
    request: { method: 'POST', path: '/cars', body: { brand: 'Ford' } },
    queued: { id: 'op_NEW0000000000000000000001', state: 'queued', progress: { percent: 0 }, steps },
    outcome: {
      state: 'succeeded',
      progress: { percent: 100, message: 'Car built' },
      steps: steps.map((step) => ({ ...step, state: 'succeeded' })),
      links: { self: { href: '/monitors/op_NEW0000000000000000000001' }, product: { href: '/cars/car_NEW1' } },
    },
    productHref: '/cars/car_NEW1',
    productFromStart: false,
    ...overrides,
  };
}

const at = (ms: number) => acceptedAt + ms;

describe('monitorAt', () => {
  it('is queued until work starts, with every step pending and the ETA as estimatedCompletionAt', () => {
    const { state, monitor, version, nextChangeAt } = monitorAt(carOrder(), at(500));
    expect(state).toBe('queued');
    expect(version).toBe(1);
    expect(nextChangeAt).toBe(at(1000));
    expect(monitor).toMatchObject({
      state: 'queued',
      progress: { percent: 0 },
      estimatedCompletionAt: '2026-11-22T10:00:04.000Z',
      startedAt: null,
      finishedAt: null,
      cancelRequested: false,
      request: { method: 'POST', path: '/cars', body: { brand: 'Ford' } },
      links: {
        self: { href: '/monitors/op_NEW0000000000000000000001' },
        cancel: { href: '/monitors/op_NEW0000000000000000000001/cancel' },
      },
    });
    expect((monitor.steps as { state: string }[]).map((step) => step.state)).toEqual(['pending', 'pending', 'pending']);
  });

  it('runs through the steps one by one, each a new version with more progress', () => {
    const snapshots = [1000, 2000, 3000].map((ms) => monitorAt(carOrder(), at(ms)));
    expect(snapshots.map((snapshot) => snapshot.state)).toEqual(['running', 'running', 'running']);
    expect(snapshots.map((snapshot) => snapshot.version)).toEqual([2, 3, 4]);
    expect(snapshots.map((snapshot) => (snapshot.monitor.progress as { percent: number }).percent)).toEqual([
      25, 50, 75,
    ]);
    const halfway = snapshots[1]?.monitor ?? {};
    expect(halfway.progress).toEqual({ percent: 50, message: 'Paint the body' });
    expect((halfway.steps as { state: string }[]).map((step) => step.state)).toEqual([
      'succeeded',
      'running',
      'pending',
    ]);
    expect(halfway.startedAt).toBe('2026-11-22T10:00:01.000Z');
    expect(halfway.updatedAt).toBe('2026-11-22T10:00:02.000Z');
  });

  it('ends in the outcome example at the ETA, linking the product and no longer cancellable', () => {
    const { state, monitor, nextChangeAt, estimatedCompletionAt } = monitorAt(carOrder(), at(4000));
    expect(state).toBe('succeeded');
    expect(nextChangeAt).toBeUndefined();
    expect(estimatedCompletionAt).toBeUndefined();
    expect(monitor).toMatchObject({
      state: 'succeeded',
      progress: { percent: 100, message: 'Car built' },
      estimatedCompletionAt: null,
      finishedAt: '2026-11-22T10:00:04.000Z',
      links: { self: { href: '/monitors/op_NEW0000000000000000000001' }, product: { href: '/cars/car_NEW1' } },
    });
    expect(monitor.links).not.toHaveProperty('cancel');
  });

  it('keeps a failed outcome’s error and links no product', () => {
    const failed = carOrder({
      outcome: {
        state: 'failed',
        progress: { percent: 50 },
        steps: [],
        error: { type: 'https://longrun.dev/problems/operation-failed', title: 'Failed', status: 500 },
      },
    });
    const { monitor } = monitorAt(failed, at(5000));
    expect(monitor).toMatchObject({ state: 'failed', error: { status: 500 } });
    expect(monitor.links).toEqual({ self: { href: '/monitors/op_NEW0000000000000000000001' } });
  });

  it('links a product that exists from acceptance while the operation runs', () => {
    const { monitor } = monitorAt(carOrder({ productFromStart: true }), at(0));
    expect(monitor.links).toHaveProperty('product', { href: '/cars/car_NEW1' });
  });

  it('cancels queued work at once', () => {
    const { state, monitor, version } = monitorAt(carOrder({ cancelRequestedAt: at(500) }), at(500));
    expect(state).toBe('cancelled');
    expect(version).toBe(2);
    expect(monitor).toMatchObject({
      cancelRequested: true,
      startedAt: null,
      finishedAt: '2026-11-22T10:00:00.500Z',
      progress: { percent: 0 },
    });
    expect((monitor.steps as { state: string }[]).every((step) => step.state === 'skipped')).toBe(true);
  });

  it('lets running work finish its current step, then ends it cancelled with the rest skipped', () => {
    const operation = carOrder({ cancelRequestedAt: at(2500) });
    const requested = monitorAt(operation, at(2500));
    expect(requested).toMatchObject({ state: 'running', version: 4, nextChangeAt: at(3000) });
    expect(requested.monitor.cancelRequested).toBe(true);
    expect(requested.monitor.links).not.toHaveProperty('cancel');

    const cancelled = monitorAt(operation, at(3000));
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.version).toBe(5);
    expect((cancelled.monitor.steps as { state: string }[]).map((step) => step.state)).toEqual([
      'succeeded',
      'skipped',
      'skipped',
    ]);
    // Never succeeds afterwards.
    expect(monitorAt(operation, at(10_000)).state).toBe('cancelled');
  });

  it('gives a kind without steps one running phase', () => {
    const read = carOrder({ queued: { state: 'queued', progress: { percent: 0 }, steps: [] } });
    expect(monitorAt(read, at(1000))).toMatchObject({ state: 'running', version: 2, nextChangeAt: at(4000) });
    expect(monitorAt(read, at(1000)).monitor.progress).toEqual({ percent: 50 });
  });
});
