import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { HttpProblem } from '../http/problem.ts';
import { SchemaTooNewError } from '../store/sql/migration-plan.ts';
import { LeaseLostError } from './errors.ts';
import { LongrunServerError } from './longrun-server-error.ts';
import { OperationProblemError } from './problems.ts';
import { assertTransition, IllegalTransitionError } from './state.ts';

/** The error `run` throws. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('LongrunServerError', () => {
  it('is the base of the errors the server throws, each with a stable code', () => {
    const errors = [
      thrown(() => loadConfig({ LONGRUN_API_KEYS: 'a:k', LONGRUN_ROLE: 'everything' })),
      thrown(() => assertTransition('succeeded', 'running')),
      new HttpProblem('not-found'),
      new OperationProblemError({ type: 'fulfilment-rejected', title: 'Rejected' }),
      new LeaseLostError('op_1'),
      new SchemaTooNewError(9, 3),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(LongrunServerError);
    expect(errors.map((error) => [(error as LongrunServerError).name, (error as LongrunServerError).code])).toEqual([
      ['ConfigError', 'config-invalid'],
      ['IllegalTransitionError', 'illegal-transition'],
      ['HttpProblem', 'not-found'],
      ['OperationProblemError', 'operation-problem'],
      ['LeaseLostError', 'lease-lost'],
      ['SchemaTooNewError', 'schema-too-new'],
    ]);
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect(errors[1]).toBeInstanceOf(IllegalTransitionError);
  });

  it('gives an HTTP problem the code of its problem name', () => {
    const problem = new HttpProblem('idempotency-key-reused', { detail: 'another body' });
    expect(problem.code).toBe('idempotency-key-reused');
    expect(problem.toDocument()).toMatchObject({ status: 422, detail: 'another body' });
  });
});
