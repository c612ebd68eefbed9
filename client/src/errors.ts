/**
 * The errors `waitFor` and `cancel` throw. The request functions (openapi-fetch, the hey-api SDK)
 * return HTTP errors as values; these are thrown only where the caller asked for an outcome.
 *
 * Every error carries `name` (stable, survives minification), `status`, `cause` and, where there
 * is one, the RFC 9457 `problem`.
 */
import type { AnyMonitor, Problem } from './types.ts';

/** Options every longrun error accepts. */
export interface LongrunErrorOptions {
  /** The HTTP status behind the error, if a response was received. */
  status?: number | undefined;
  /** The RFC 9457 problem document behind the error, if there is one. */
  problem?: Problem | undefined;
  /** The underlying error (a network failure, an abort). */
  cause?: unknown;
}

/**
 * Base class of every error the client throws: catch this to handle them all.
 *
 * @example
 * try { await waitFor(client, accepted); } catch (error) { if (error instanceof LongrunError) console.error(error.problem); }
 */
export class LongrunError extends Error {
  /** The HTTP status behind the error; see each subclass for which response it is. */
  readonly status: number | undefined;
  /** The RFC 9457 problem document behind the error. @see https://www.rfc-editor.org/rfc/rfc9457 */
  readonly problem: Problem | undefined;

  constructor(message: string, options: LongrunErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LongrunError';
    this.status = options.status;
    this.problem = options.problem;
  }
}

/** Where a failed request went. */
export interface ApiErrorOptions extends LongrunErrorOptions {
  /** The URL requested. */
  url?: string | undefined;
  /** The request method. */
  method?: string | undefined;
}

/**
 * A request was refused (4xx, or 5xx/429 after the retries ran out), the server could not be
 * reached, or it answered something that is not in the contract.
 *
 * `status` is the response's status, `undefined` when no response came (then `cause` is the
 * network error); `problem` the response's problem document, when it sent one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 * @example
 * catch (error) { if (error instanceof ApiError && error.status === 404) forgetStoredMonitor(); }
 */
export class ApiError extends LongrunError {
  /** The URL requested. */
  readonly url: string | undefined;
  /** The request method. */
  readonly method: string | undefined;

  constructor(message: string, options: ApiErrorOptions = {}) {
    super(message, options);
    this.name = 'ApiError';
    this.url = options.url;
    this.method = options.method;
  }
}

/**
 * The wait ran out (`timeoutMs`) before the operation finished. The operation itself goes on; wait
 * again from `monitorUrl`, or `cancel()` it.
 *
 * `status` is the status of the last monitor answer (202 while it ran), `monitor` the last monitor seen.
 *
 * @example
 * catch (error) { if (error instanceof WaitTimeoutError) localStorage.setItem('pending', error.monitorUrl ?? ''); }
 */
export class WaitTimeoutError extends LongrunError {
  /** The last monitor seen, if any was read. */
  readonly monitor: AnyMonitor | undefined;
  /** The monitor's URL, to resume the wait. */
  readonly monitorUrl: string | undefined;
  /** The timeout that ran out. */
  readonly timeoutMs: number;

  constructor(
    timeoutMs: number,
    details: { monitor?: AnyMonitor | undefined; monitorUrl?: string | undefined; status?: number | undefined },
  ) {
    const where = details.monitor
      ? ` (last state: ${details.monitor.state}, ${details.monitor.progress.percent}%)`
      : '';
    super(`The operation did not finish within ${timeoutMs} ms${where}.`, { status: details.status });
    this.name = 'WaitTimeoutError';
    this.timeoutMs = timeoutMs;
    this.monitor = details.monitor;
    this.monitorUrl = details.monitorUrl;
  }
}

/**
 * The operation ended `failed`. `problem` is the monitor's `error`, `status` that problem's status
 * (the operation's failure, not the status of the monitor answer, which was a 200).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 * @example
 * catch (error) { if (error instanceof OperationFailedError) showProblem(error.problem); }
 */
export class OperationFailedError extends LongrunError {
  /** The final monitor. */
  readonly monitor: AnyMonitor;

  constructor(monitor: AnyMonitor) {
    const problem = monitor.error;
    const why = problem ? `: ${problem.detail ?? problem.title}` : '';
    super(`Operation ${monitor.id} (${monitor.kind}) failed${why}`, { status: problem?.status, problem });
    this.name = 'OperationFailedError';
    this.monitor = monitor;
  }
}

/**
 * The operation ended `cancelled` (someone asked the server to cancel it). `status` is the status of
 * the final monitor answer.
 *
 * @example
 * catch (error) { if (error instanceof OperationCancelledError) console.log(`${error.monitor.id} was cancelled`); }
 */
export class OperationCancelledError extends LongrunError {
  /** The final monitor. */
  readonly monitor: AnyMonitor;

  constructor(monitor: AnyMonitor, status?: number) {
    super(`Operation ${monitor.id} (${monitor.kind}) was cancelled.`, { status, problem: monitor.error });
    this.name = 'OperationCancelledError';
    this.monitor = monitor;
  }
}

/**
 * True for an RFC 9457 problem document: an object with string `type` and `title` and a numeric
 * `status`. (The spec requires all three.)
 */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const { type, title, status } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof title === 'string' && typeof status === 'number';
}

/**
 * An {@link ApiError} for a refused or failed request, with the problem document when the body is one.
 *
 * @param response the answer, or undefined when none came (then `cause` is the network error)
 * @param body the parsed body (or the error value a request function returned)
 * @param what what was being done, for the message
 */
export function apiErrorFrom(
  response: Response | undefined,
  body: unknown,
  what: string,
  cause?: unknown,
  url?: string,
): ApiError {
  const problem = isProblem(body) ? body : undefined;
  const status = response?.status;
  let why: string;
  if (problem) why = `${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`;
  else if (status !== undefined) why = `HTTP ${status}`;
  else why = describe(cause ?? body);
  return new ApiError(`${what} (${status ?? 'no response'}): ${why}`, {
    status,
    problem,
    cause: cause ?? (body instanceof Error ? body : undefined),
    url: response?.url || url,
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return 'the request failed';
}
