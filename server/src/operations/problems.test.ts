import { describe, expect, it } from 'vitest';
import {
  OPERATION_PROBLEMS,
  OperationProblemError,
  PROBLEM_TYPE_BASE,
  problemFromError,
  problemType,
  workerLostProblem,
} from './problems.ts';

describe('problem types', () => {
  it('are https://longrun.dev/problems/<kebab-case name>', () => {
    expect(problemType('operation-failed')).toBe('https://longrun.dev/problems/operation-failed');
    for (const problem of Object.values(OPERATION_PROBLEMS)) {
      expect(problem.type).toMatch(/^https:\/\/longrun\.dev\/problems\/[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  it('refuses a name that is not kebab-case', () => {
    for (const name of ['OperationFailed', 'operation_failed', '', 'a/b', '-x'])
      expect(() => problemType(name)).toThrow(RangeError);
  });

  it('are distinct', () => {
    const types = Object.values(OPERATION_PROBLEMS).map((problem) => problem.type);
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('problemFromError', () => {
  it('makes a thrown error operation-failed, its message the detail', () => {
    expect(problemFromError(new Error('the paint shop is on fire'))).toEqual({
      type: `${PROBLEM_TYPE_BASE}operation-failed`,
      title: 'The operation failed',
      status: 500,
      detail: 'the paint shop is on fire',
    });
  });

  it('copes with things thrown that are not errors', () => {
    expect(problemFromError('nope')).toMatchObject({ type: OPERATION_PROBLEMS.operationFailed.type, detail: 'nope' });
    expect(problemFromError(42)).toEqual({ ...OPERATION_PROBLEMS.operationFailed });
  });

  it("keeps a kind's own problem, resolving a short type name", () => {
    const error = new OperationProblemError({ type: 'fulfilment-rejected', title: 'Refused', status: 422, sku: 'w-1' });
    expect(problemFromError(error)).toEqual({
      type: `${PROBLEM_TYPE_BASE}fulfilment-rejected`,
      title: 'Refused',
      status: 422,
      sku: 'w-1',
    });
    expect(new OperationProblemError({ type: 'urn:acme:late', title: 'Late' }).problem).toEqual({
      type: 'urn:acme:late',
      title: 'Late',
      status: 500,
    });
  });
});

describe('workerLostProblem', () => {
  it('is worker-lost and says how many attempts were made', () => {
    expect(workerLostProblem(3)).toMatchObject({ type: `${PROBLEM_TYPE_BASE}worker-lost`, status: 500 });
    expect(workerLostProblem(3).detail).toContain('3 times');
  });
});
