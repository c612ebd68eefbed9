/**
 * CORS, so the SDK works in a web page on another origin: browsers may read the contract's
 * headers and send the ones it needs (both lists are the contract module's).
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { ALLOWED_HEADERS, EXPOSED_HEADERS } from '@longrun/openapi/contract';
import type { NextFunction, Request, Response } from 'express';

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
