/**
 * Runs a typed route's handler for a request and writes what it returns: the one place a handler's
 * `{ status, headers, body }` becomes an HTTP response, whichever way the request came in (the
 * Express chain, or the direct lane of `direct-answers.ts`).
 */
import type { Request, Response } from 'express';
import type { OperationLogger } from '../operations/logger.ts';
import { isEventStream, writeEventStream } from './event-stream.ts';
import { ifNoneMatchMatches } from './headers.ts';
import type { RouteDefinition } from './typed-route.ts';

/** The parts of a request a route's handler gets besides the raw request. */
export interface RouteInput {
  tenant: string;
  params: unknown;
  query: unknown;
  body: unknown;
}

/**
 * Calls `route`'s handler and answers with its result. `checked` says whether the response goes
 * through the spec validator's response step (which sees only `res.json`); otherwise the JSON is
 * written as `res.json` would write it, without its per-response media-type and charset work.
 */
export async function answerRoute(
  route: RouteDefinition,
  input: RouteInput,
  req: Request,
  res: Response,
  logger: OperationLogger,
  checked: boolean,
): Promise<void> {
  let controller: AbortController | undefined;
  const result = await route.handler({
    tenant: input.tenant,
    params: input.params as never,
    query: input.query as never,
    body: input.body as never,
    path: req.originalUrl,
    header: (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    get signal() {
      // Made on first use: only long polls need to learn that the client went away.
      if (controller === undefined) {
        const created = new AbortController();
        controller = created;
        res.once('close', () => created.abort());
      }
      return controller.signal;
    },
  });
  const headers = result.headers;
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) res.setHeader(name, String(value));
  }
  res.statusCode = result.status;
  const body = result.body;
  if (body === undefined) res.end();
  else if (isEventStream(body)) await writeEventStream(res, body, logger);
  else if (holdsCurrent(req, result.status, headers?.ETag)) notModified(res);
  // Through Express: the validator's response step hooks `res.json`.
  else if (checked) res.json(body);
  else sendJson(res, result.status, body);
}

/**
 * Whether the client already holds this answer: a `GET` (or `HEAD`) answered 2xx whose `ETag` its
 * `If-None-Match` lists (RFC 9110 §13.1.2, by the contract's own reading of the header).
 */
function holdsCurrent(req: Request, status: number, etag: unknown): boolean {
  return (
    typeof etag === 'string' &&
    status >= 200 &&
    status < 300 &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    ifNoneMatchMatches(req.headers['if-none-match'], etag)
  );
}

/** 304 Not Modified: the headers set so far, without the body's own. */
function notModified(res: Response): void {
  res.statusCode = 304;
  res.removeHeader('Content-Type');
  res.removeHeader('Content-Length');
  res.removeHeader('Transfer-Encoding');
  res.end();
}

/** Writes `body` as JSON, with the headers `res.json` gives it. */
function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // What Express's `send` does for bodiless statuses; routes do not answer these with a body.
  if (status === 204 || status === 304) {
    res.removeHeader('Content-Type');
    res.end();
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
