/**
 * What is refused before a request is read: a target longer than a monitor can echo (414), a path
 * that does not percent-decode (400), a body in a charset other than UTF-8 (415), and a body over
 * the limit (413), answered as soon as it is known — on `Content-Length` before a byte of the body
 * is read, and for a chunked body at the chunk that crosses the limit — and the connection closed
 * after it, so an oversized body is never read to its end.
 */
import { MIMEType } from 'node:util';
import express, { type NextFunction, type Request, type Response } from 'express';
import { type AnswerBounds, uriTooLong } from './answer-bounds.ts';
import { sendProblem } from './error-handler.ts';
import { HttpProblem, validationProblem } from './problem.ts';
import { pathOf } from './request-path.ts';

/** Media types whose bodies are parsed as JSON. */
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * Refuses a request target the server cannot echo or decode: a function that throws its refusal,
 * run in the application's first step.
 *
 * @throws {HttpProblem} 414 `uri-too-long`; 400 `validation-failed` pointing at `/path`.
 */
export function targetCheck(bounds: AnswerBounds): (req: Request) => void {
  return function checkTarget(req: Request): void {
    if (req.originalUrl.length > bounds.requestPath) throw uriTooLong(req.originalUrl.length, bounds);
    try {
      decodeURIComponent(pathOf(req));
    } catch {
      throw validationProblem([
        { pointer: '/path', message: 'has a "%" that does not start a percent-encoded UTF-8 character' },
      ]);
    }
  };
}

function unsupported(detail: string): HttpProblem {
  return new HttpProblem('unsupported-media-type', { detail, headers: { 'Accept-Post': 'application/json' } });
}

/** Whether a `Content-Type` names a charset other than UTF-8 (see {@link refuseUnsupportedCharsets}). */
export function namesOtherCharset(contentType: string | undefined): boolean {
  // What nearly every JSON client sends, answered without parsing it.
  if (contentType === 'application/json' || contentType === 'application/json; charset=utf-8') return false;
  const charset = charsetOf(contentType);
  return charset !== null && charset.toLowerCase() !== 'utf-8';
}

/** JSON is UTF-8 on the wire (RFC 8259 §8.1): any other `charset` is refused, not guessed at. */
export function refuseUnsupportedCharsets(req: Request, _res: Response, next: NextFunction): void {
  if (namesOtherCharset(req.headers['content-type'])) {
    const charset = charsetOf(req.headers['content-type']) as string;
    throw unsupported(`Bodies are read as UTF-8; charset "${charset.slice(0, 64)}" is not supported.`);
  }
  next();
}

/** The `charset` parameter of a media type; null without one, or when it is no media type at all (the validator answers 415 for those). */
function charsetOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  try {
    return new MIMEType(header).params.get('charset');
  } catch {
    return null;
  }
}

/** The 413 of a body over `limit`; the connection is closed after it, so the rest is never read. */
function tooLarge(limit: number): HttpProblem {
  return new HttpProblem('content-too-large', {
    detail: `Bodies are limited to ${limit} bytes.`,
    headers: { Connection: 'close' },
  });
}

/**
 * Parses JSON bodies of at most `limit` bytes (body-parser), answering 413 the moment a body is
 * known to be larger: body-parser would read the rest of it to the end before answering.
 */
export function jsonBodyWithin(limit: number) {
  const parseJson = express.json({ limit, type: JSON_TYPES });
  return function readJsonBody(req: Request, res: Response, next: NextFunction): void {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
    parseJson(req, res, next);
    // Not being read (no body, another type): nothing to count.
    if (req.readableFlowing !== true || req.readableEnded) return;
    let received = 0;
    const count = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= limit) return;
      req.off('data', count);
      // body-parser has stopped at the limit and drains the rest before it answers; answer now.
      if (!res.headersSent) sendProblem(res, tooLarge(limit));
      req.pause();
    };
    req.on('data', count);
    req.once('end', () => req.off('data', count));
  };
}
