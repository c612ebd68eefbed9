/**
 * The one registry of HTTP errors and the one handler that renders them as problem+json.
 *
 * Each entry has a stable `type` URI (`https://longrun.dev/problems/<name>`), a status and a
 * title; `docs/problems.md` documents every entry and a test keeps the two in step.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457 Problem Details for HTTP APIs
 */

import { LongrunServerError } from '../operations/longrun-server-error.ts';
import type { StoredProblem } from '../operations/model.ts';
import { problemType } from '../operations/problems.ts';

/** Every error the HTTP layer answers with, by name. */
export const HTTP_PROBLEMS = {
  'validation-failed': { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication required' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'operation-finished': { status: 409, title: 'The operation already finished' },
  'operation-pending': { status: 409, title: 'A request has already been accepted' },
  'idempotency-key-in-flight': { status: 409, title: 'A request with this Idempotency-Key is in progress' },
  'not-waiting': { status: 409, title: 'Nothing is waiting for this action' },
  'webhook-subscription-limit': { status: 409, title: 'Too many webhook subscriptions' },
  'content-too-large': { status: 413, title: 'The request body is too large' },
  'uri-too-long': { status: 414, title: 'The request URI is too long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used for another request' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'service-unavailable': { status: 503, title: 'The service is shutting down' },
  'store-unavailable': { status: 503, title: 'The database is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

/** The name of one registered HTTP problem. */
export type HttpProblemName = keyof typeof HTTP_PROBLEMS;

/** One invalid part of a request: a JSON pointer into it and what is wrong. */
export interface ValidationError {
  pointer: string;
  message: string;
}

/** What an {@link HttpProblem} carries besides its name. */
export interface HttpProblemOptions {
  detail?: string;
  /** Extension members of the problem document (`errors`, `monitor`…). */
  extensions?: Record<string, unknown>;
  /** Response headers to send with it (`Retry-After`, `Link`, `WWW-Authenticate`…). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * Thrown anywhere in the HTTP layer to answer with a registered problem.
 *
 * @example
 * throw new HttpProblem('not-found', { detail: `No monitor ${id}.` });
 */
export class HttpProblem extends LongrunServerError {
  override readonly name = 'HttpProblem';
  /** The problem's name in {@link HTTP_PROBLEMS}: the stable code of this error. */
  readonly code: HttpProblemName;
  readonly problemName: HttpProblemName;
  readonly status: number;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly detail: string | undefined;
  constructor(problemName: HttpProblemName, options: HttpProblemOptions = {}) {
    super(options.detail ?? HTTP_PROBLEMS[problemName].title, { cause: options.cause });
    this.problemName = problemName;
    this.code = problemName;
    this.status = HTTP_PROBLEMS[problemName].status;
    this.detail = options.detail;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  /** The RFC 9457 document of this problem. */
  toDocument(): StoredProblem {
    const { title, status } = HTTP_PROBLEMS[this.problemName];
    return {
      type: problemType(this.problemName),
      title,
      status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...this.extensions,
    };
  }
}

/** A 400 listing each invalid part of the request. */
export function validationProblem(errors: readonly ValidationError[]): HttpProblem {
  const count = errors.length;
  return new HttpProblem('validation-failed', {
    detail: count === 1 ? (errors[0]?.message ?? 'The request is not valid.') : `${count} problems in the request.`,
    extensions: { errors },
  });
}
