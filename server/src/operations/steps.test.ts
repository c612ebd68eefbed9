import { describe, expect, it } from 'vitest';
import type { StoredStep } from './model.ts';
import { closeOpenSteps, initialSteps, withStep } from './steps.ts';

const action = { name: 'confirm', method: 'POST', path: '/orders/1/confirm' };

describe('initialSteps', () => {
  it('starts every declared step pending, keeping titles', () => {
    expect(initialSteps([{ name: 'chassis', title: 'Build the chassis' }, { name: 'paint' }])).toEqual([
      { name: 'chassis', state: 'pending', title: 'Build the chassis' },
      { name: 'paint', state: 'pending' },
    ]);
  });

  it('is empty for a kind without steps', () => {
    expect(initialSteps(undefined)).toEqual([]);
  });
});

describe('withStep', () => {
  const steps: StoredStep[] = [
    { name: 'chassis', state: 'pending', title: 'Build the chassis' },
    { name: 'paint', state: 'pending' },
  ];

  it('changes one step and leaves the list it was given alone', () => {
    const next = withStep(steps, 'chassis', 'running');
    expect(next).toEqual([
      { name: 'chassis', state: 'running', title: 'Build the chassis' },
      { name: 'paint', state: 'pending' },
    ]);
    expect(steps[0]?.state).toBe('pending');
  });

  it('appends a step the kind did not declare', () => {
    expect(withStep(steps, 'polish', 'running', { title: 'Polish' }).at(-1)).toEqual({
      name: 'polish',
      state: 'running',
      title: 'Polish',
    });
  });

  it('keeps an action link only while the step is waiting', () => {
    const waiting = withStep(steps, 'paint', 'waiting', { action });
    expect(waiting[1]).toEqual({ name: 'paint', state: 'waiting', action });
    expect(withStep(waiting, 'paint', 'running')[1]).toEqual({ name: 'paint', state: 'running' });
  });

  it('refuses a state that does not exist', () => {
    expect(() => withStep(steps, 'paint', 'done' as never)).toThrow(RangeError);
  });
});

describe('closeOpenSteps', () => {
  const open: StoredStep[] = [
    { name: 'a', state: 'succeeded' },
    { name: 'b', state: 'running' },
    { name: 'c', state: 'waiting', action },
    { name: 'd', state: 'pending' },
    { name: 'e', state: 'failed' },
    { name: 'f', state: 'skipped' },
  ];
  const states = (steps: StoredStep[]) => steps.map((step) => step.state);

  it('on success: running succeeded, waiting and pending skipped', () => {
    expect(states(closeOpenSteps(open, 'succeeded'))).toEqual([
      'succeeded',
      'succeeded',
      'skipped',
      'skipped',
      'failed',
      'skipped',
    ]);
  });

  it('on failure: running and waiting failed, pending skipped', () => {
    expect(states(closeOpenSteps(open, 'failed'))).toEqual([
      'succeeded',
      'failed',
      'failed',
      'skipped',
      'failed',
      'skipped',
    ]);
  });

  it('on cancel: everything open skipped', () => {
    expect(states(closeOpenSteps(open, 'cancelled'))).toEqual([
      'succeeded',
      'skipped',
      'skipped',
      'skipped',
      'failed',
      'skipped',
    ]);
  });

  it('drops action links, so a finished monitor offers no action', () => {
    expect(closeOpenSteps(open, 'cancelled').some((step) => step.action !== undefined)).toBe(false);
  });
});
