/**
 * The problem types an operation can end with, in one registry.
 *
 * Every problem type is the URI `https://longrun.dev/problems/<name>`, `<name>` in kebab-case and
 * stable once released (clients switch on it); the HTTP layer uses the same scheme for its own
 * errors. Kinds may end an operation with their own problem by throwing
 * {@link OperationProblemError}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457#section-3.1.1 (type)
 */

import { LongrunServerError } from './longrun-server-error.ts';
import type { StoredProblem } from './model.ts';

/** Every problem type URI starts with this. */
export const PROBLEM_TYPE_BASE = 'https://longrun.dev/problems/';

const PROBLEM_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The problem type URI for `name` (`operation-failed` → `https://longrun.dev/problems/operation-failed`). */
export function problemType(name: string): string {
  if (!PROBLEM_NAME.test(name)) throw new RangeError(`problem name must be kebab-case: ${name}`);
  return `${PROBLEM_TYPE_BASE}${name}`;
}

/** The problems the operations layer itself ends an operation with. */
export const OPERATION_PROBLEMS = {
  /** The handler threw; `detail` is the error's message. */
  operationFailed: {
    type: problemType('operation-failed'),
    title: 'The operation failed',
    status: 500,
  },
  /** The handler returned something that is not a valid outcome (a bug in the kind). */
  invalidOutcome: {
    type: problemType('invalid-outcome'),
    title: 'The operation handler returned an invalid outcome',
    status: 500,
  },
  /** Crash recovery gave up: the worker running it stopped renewing its lease `maxAttempts` times. */
  workerLost: {
    type: problemType('worker-lost'),
    title: 'The worker running the operation was lost',
    status: 500,
  },
} as const satisfies Record<string, StoredProblem>;

/** What a kind passes to {@link OperationProblemError}: `type` may be a name or a full URI. */
export interface OperationProblemInit {
  /** A problem name (`fulfilment-rejected`, made a URI by {@link problemType}) or an absolute URI. */
  type: string;
  title: string;
  /** @default 500 */
  status?: number;
  detail?: string;
  [extension: string]: unknown;
}

/**
 * Thrown by a handler to end its operation `failed` with this exact problem (instead of the
 * generic `operation-failed`).
 *
 * @example
 * throw new OperationProblemError({ type: 'fulfilment-rejected', title: 'The warehouse refused the order', status: 422 });
 */
export class OperationProblemError extends LongrunServerError {
  override readonly name = 'OperationProblemError';
  readonly code = 'operation-problem';
  readonly problem: StoredProblem;
  constructor(init: OperationProblemInit) {
    super(init.detail ?? init.title);
    const type = init.type.includes(':') ? init.type : problemType(init.type);
    this.problem = { ...init, type, status: init.status ?? 500 };
  }
}

/**
 * The problem a failed operation shows for `error`: the kind's own problem for an
 * {@link OperationProblemError}, else `operation-failed` with the error's message as `detail`.
 */
export function problemFromError(error: unknown): StoredProblem {
  if (error instanceof OperationProblemError) return { ...error.problem };
  const detail = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return detail ? { ...OPERATION_PROBLEMS.operationFailed, detail } : { ...OPERATION_PROBLEMS.operationFailed };
}

/** The problem crash recovery ends an operation with once `maxAttempts` workers were lost. */
export function workerLostProblem(maxAttempts: number): StoredProblem {
  return {
    ...OPERATION_PROBLEMS.workerLost,
    detail: `The worker running this operation stopped responding ${maxAttempts} times; it was not retried again.`,
  };
}
