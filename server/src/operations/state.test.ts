import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  IllegalTransitionError,
  isTerminal,
  OPERATION_STATES,
  type OperationState,
} from './state.ts';

// The whole table, written out: every pair not listed here is illegal.
const LEGAL: ReadonlyArray<readonly [OperationState, OperationState]> = [
  ['queued', 'running'],
  ['queued', 'cancelled'],
  ['queued', 'failed'],
  ['running', 'succeeded'],
  ['running', 'failed'],
  ['running', 'cancelled'],
  ['running', 'queued'],
];

const isLegal = (from: OperationState, to: OperationState): boolean =>
  LEGAL.some(([legalFrom, legalTo]) => legalFrom === from && legalTo === to);

describe('operation state machine', () => {
  const pairs = OPERATION_STATES.flatMap((from) => OPERATION_STATES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is legal exactly when the table says so', (from, to) => {
    expect(canTransition(from, to)).toBe(isLegal(from, to));
  });

  it.each(pairs)('assertTransition(%s, %s) throws exactly for illegal moves', (from, to) => {
    if (isLegal(from, to)) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
  });

  it('never stays in place: a write that keeps the state is not a transition', () => {
    for (const state of OPERATION_STATES) expect(canTransition(state, state)).toBe(false);
  });

  it('names succeeded, failed and cancelled terminal, and they lead nowhere', () => {
    expect(OPERATION_STATES.filter(isTerminal)).toEqual(['succeeded', 'failed', 'cancelled']);
    for (const terminal of OPERATION_STATES.filter(isTerminal)) {
      for (const to of OPERATION_STATES) expect(canTransition(terminal, to)).toBe(false);
    }
  });

  it('says which move was refused', () => {
    const error = (() => {
      try {
        assertTransition('succeeded', 'running');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect(error).toMatchObject({
      from: 'succeeded',
      to: 'running',
      message: 'illegal operation transition succeeded → running',
    });
  });
});
