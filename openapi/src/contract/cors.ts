/**
 * The headers a page on another origin needs to use the contract (CORS): the response headers it
 * must read and the request headers it sends.
 *
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */

/** Response headers a browser page on another origin may read (`Access-Control-Expose-Headers`). */
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

/** Request headers a browser page on another origin may send (`Access-Control-Allow-Headers`). */
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
