/**
 * Keeps Node from walking the call stack on every `url.parse()` the validator makes.
 *
 * express-openapi-validator (5.6) calls the legacy `url.parse(req.originalUrl)` on every request.
 * Since Node 22 `url.parse()` checks whether its caller is inside `node_modules` to decide whether
 * to emit its deprecation warning (DEP0169) — a walk of up to 100 stack frames — and keeps checking
 * on every call for as long as the warning has not been emitted, which it never is when only
 * dependencies call it. That walk was the largest single cost of a monitor `GET` (14% of the
 * server's CPU time under load). One call from the server's own code marks the warning as emitted,
 * so later calls skip the walk; the warning itself is suppressed for that one call, since it is
 * about our dependency, not about the application.
 *
 * @see https://github.com/nodejs/node/pull/60991
 */
import { parse } from 'node:url';

let latched = false;

/** Marks DEP0169 as already emitted for this process, without printing it. Idempotent. */
export function latchUrlParseWarning(): void {
  if (latched) return;
  latched = true;
  const previous = process.noDeprecation;
  process.noDeprecation = true;
  try {
    parse('/');
  } finally {
    process.noDeprecation = previous;
  }
}
