import { describe, expect, test } from 'vitest';
import {
  ApiError,
  apiErrorFrom,
  isProblem,
  LongrunError,
  OperationCancelledError,
  OperationFailedError,
  WaitTimeoutError,
} from './errors.ts';
import { json, monitor } from './testing/fake-api.ts';

const problem = { type: 'https://longrun.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No car.' };

describe('every error', () => {
  const errors = [
    new ApiError('refused', { status: 404, problem, url: 'https://api.test/cars/x', method: 'GET' }),
    new WaitTimeoutError(1000, { monitor: monitor(), monitorUrl: 'https://api.test/monitors/op', status: 202 }),
    new OperationFailedError(monitor({ state: 'failed', error: { ...problem, status: 500 } })),
    new OperationCancelledError(monitor({ state: 'cancelled' }), 200),
  ];

  test('is a LongrunError and an Error with its class name as name', () => {
    for (const error of errors) {
      expect(error).toBeInstanceOf(LongrunError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  test('carries a status', () => {
    expect(errors.map((error) => error.status)).toEqual([404, 202, 500, 200]);
  });
});

describe('ApiError', () => {
  test('keeps the cause', () => {
    const cause = new TypeError('fetch failed');
    expect(new ApiError('no answer', { cause }).cause).toBe(cause);
  });
});

describe('apiErrorFrom', () => {
  test('takes status, problem and URL from a problem answer', async () => {
    const error = apiErrorFrom(
      json(404, problem),
      problem,
      'Reading the car failed',
      undefined,
      'https://api.test/cars/x',
    );
    expect(error).toMatchObject({ status: 404, problem, url: 'https://api.test/cars/x' });
    expect(error.message).toBe('Reading the car failed (404): Not found: No car.');
  });

  test('has no problem for a body that is none', () => {
    const error = apiErrorFrom(new Response('<html>', { status: 502 }), undefined, 'Polling failed');
    expect(error).toMatchObject({ status: 502, problem: undefined });
    expect(error.message).toBe('Polling failed (502): HTTP 502');
  });

  test('names the network error when no answer came', () => {
    const cause = new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    const error = apiErrorFrom(undefined, undefined, 'Polling failed', cause);
    expect(error).toMatchObject({ status: undefined, cause });
    expect(error.message).toBe('Polling failed (no response): fetch failed (ECONNREFUSED)');
  });

  test('takes an Error passed as body (a hey-api error value) as the cause', () => {
    const failure = new TypeError('fetch failed');
    expect(apiErrorFrom(undefined, failure, 'Submitting failed').cause).toBe(failure);
  });
});

describe('isProblem', () => {
  test('needs type, title and status', () => {
    expect(isProblem(problem)).toBe(true);
    expect(isProblem({ title: 'x', status: 400 })).toBe(false);
    expect(isProblem({ type: 'about:blank', title: 'x', status: '400' })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });
});
