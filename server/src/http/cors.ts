/**
 * CORS, so the SDK works in a web page on another origin: browsers may read the contract's
 * headers and send the ones it needs (both lists are the contract module's).
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import { ALLOWED_HEADERS, EXPOSED_HEADERS } from '@longrun/openapi/contract';
import type { Request, Response } from 'express';

/** Which origins may call the API: `*` or a list. @default '*' */
export type CorsOrigins = '*' | readonly string[];

/**
 * Marks the response for an allowed origin and answers a preflight; true when it answered (the
 * request goes no further). A function, not a middleware: it runs in the application's first step.
 */
export function corsHeaders(origins: CorsOrigins = '*'): (req: Request, res: Response) => boolean {
  const exposed = EXPOSED_HEADERS.join(', ');
  const allowedHeaders = ALLOWED_HEADERS.join(', ');
  return function applyCors(req: Request, res: Response): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
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
      return true;
    }
    return false;
  };
}
