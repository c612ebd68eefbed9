/**
 * CORS, so the SDK works in a web page on another origin: browsers may read the contract's
 * headers and send the ones it needs.
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import type { NextFunction, Request, Response } from 'express';

/** Response headers a page on another origin may read. */
export const EXPOSED_HEADERS = [
  'Location',
  'Content-Location',
  'Retry-After',
  'Link',
  'ETag',
  'Preference-Applied',
  'RateLimit',
  'RateLimit-Policy',
  'X-Request-Id',
] as const;

/** Request headers a page on another origin may send. */
export const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Prefer',
  'Idempotency-Key',
  'If-None-Match',
  'Last-Event-ID',
  'Callback-Url',
  'X-Request-Id',
] as const;

/** Which origins may call the API: `*` or a list. @default '*' */
export type CorsOrigins = '*' | readonly string[];

/** Express middleware answering preflights and marking responses for allowed origins. */
export function cors(origins: CorsOrigins = '*') {
  const exposed = EXPOSED_HEADERS.join(', ');
  const allowedHeaders = ALLOWED_HEADERS.join(', ');
  return function corsMiddleware(req: Request, res: Response, next: NextFunction): void {
    const origin = req.headers.origin;
    if (origin === undefined) {
      next();
      return;
    }
    const allowed = origins === '*' || origins.includes(origin);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origins === '*' ? '*' : origin);
      res.setHeader('Access-Control-Expose-Headers', exposed);
      if (origins !== '*') res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      if (allowed) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
