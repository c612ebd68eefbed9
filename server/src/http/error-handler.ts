/**
 * The one error handler: every error becomes an RFC 9457 problem document from the registry.
 * Bad input is a 4xx with what was wrong; only faults of the server are 500.
 */
import type { NextFunction, Request, Response } from 'express';
import { StoreUnavailableError } from '../operations/errors.ts';
import type { OperationLogger as Logger } from '../operations/logger.ts';
import { HttpProblem, type ValidationError, validationProblem } from './problem.ts';

interface ValidatorError {
  status: number;
  path?: string;
  message: string;
  errors?: { path: string; message: string }[];
  headers?: Record<string, string>;
}

/** An `http-errors` error from body-parser; zlib failures (a body that does not decompress) carry no `type`. */
interface BodyParserError {
  type?: string;
  status: number;
  limit?: number;
  message: string;
}

function isValidatorError(error: unknown): error is ValidatorError {
  return error instanceof Error && typeof (error as Partial<ValidatorError>).status === 'number' && 'errors' in error;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    error instanceof Error &&
    'expose' in error &&
    typeof (error as Partial<BodyParserError>).status === 'number' &&
    !('errors' in error)
  );
}

/** `.body.model` or `/body/model` → `/body/model` (a JSON pointer into the request). */
export function toPointer(path: string): string {
  if (path.startsWith('/')) return path;
  return `/${path
    .replace(/^\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}

/** Turns any error into the registry's problem. */
export function toHttpProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof StoreUnavailableError) {
    // A lost database connection is the server's, not the caller's, and passes: say when to retry.
    return new HttpProblem('store-unavailable', {
      detail: 'The database did not answer; retry the request.',
      headers: { 'Retry-After': '1' },
      cause: error,
    });
  }
  if (isBodyParserError(error)) {
    switch (error.type) {
      case 'entity.too.large':
        return new HttpProblem('content-too-large', { detail: `Bodies are limited to ${error.limit} bytes.` });
      case 'entity.parse.failed':
        return validationProblem([{ pointer: '/body', message: `The body is not valid JSON: ${error.message}` }]);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return new HttpProblem('unsupported-media-type', {
          detail: error.message,
          headers: { 'Accept-Post': 'application/json' },
        });
      default:
        if (error.status === 413) return new HttpProblem('content-too-large', { detail: error.message });
        if (error.status === 415) {
          return new HttpProblem('unsupported-media-type', {
            detail: error.message,
            headers: { 'Accept-Post': 'application/json' },
          });
        }
        if (error.status < 500)
          return validationProblem([{ pointer: '/body', message: `The body could not be read: ${error.message}` }]);
    }
  }
  if (isValidatorError(error)) {
    const headers = error.headers ?? {};
    switch (error.status) {
      case 400: {
        const errors: ValidationError[] = (error.errors ?? []).map((item) => ({
          pointer: toPointer(item.path),
          message: item.message,
        }));
        return validationProblem(errors.length > 0 ? errors : [{ pointer: '/', message: error.message }]);
      }
      case 404:
        return new HttpProblem('not-found', { detail: `No resource at ${error.path ?? 'this path'}.` });
      case 405:
        return new HttpProblem('method-not-allowed', { detail: error.message, headers });
      case 406:
        return new HttpProblem('not-acceptable', { detail: error.message });
      case 413:
        return new HttpProblem('content-too-large', { detail: error.message });
      case 415:
        return new HttpProblem('unsupported-media-type', {
          detail: 'Send the body as application/json.',
          headers: { 'Accept-Post': 'application/json' },
        });
    }
  }
  return new HttpProblem('internal-error', { detail: 'The error was logged.', cause: error });
}

/** Express error middleware rendering {@link toHttpProblem}. */
export function problemHandler(logger: Logger) {
  return function renderProblem(error: unknown, req: Request, res: Response, _next: NextFunction): void {
    const problem = toHttpProblem(error);
    const requestId = res.getHeader('X-Request-Id');
    if (problem.status >= 500) {
      // A database that does not answer is one fault, already logged once when lost and once when
      // back (store-outage.ts); each request it turns into a 503 is a warning, not another error.
      const level = problem.problemName === 'store-unavailable' ? 'warn' : 'error';
      logger[level](
        { err: problem.cause ?? error, requestId, method: req.method, url: req.originalUrl },
        'request failed',
      );
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(res, problem);
  };
}

/** Writes `problem` as the answer (with its headers); a 500 names the request id it was logged with. */
export function sendProblem(res: Response, problem: HttpProblem): void {
  const requestId = res.getHeader('X-Request-Id');
  const document = problem.toDocument();
  if (problem.problemName === 'internal-error' && requestId !== undefined) {
    document.detail = `The error was logged with request id ${String(requestId)}.`;
  }
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  // Refused before its body was read (401, 413, 414, 415…): closing the connection is what stops it,
  // as keeping it alive would make Node read the whole body to get at the next request.
  if (!res.req.complete) res.setHeader('Connection', 'close');
  // Written with end(), not json(): the response validator must not re-validate its own error.
  // Node's own response methods only: the direct lane answers on a response Express never took.
  res.statusCode = problem.status;
  res.setHeader('Content-Type', 'application/problem+json');
  res.end(JSON.stringify(document));
}
