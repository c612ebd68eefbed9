/**
 * The header contract (`Link`, `Retry-After`, `Prefer`) as `longrun conform` reads it: the same parsers
 * the client SDK follows operations with, so the checker and the SDK never disagree about a header.
 * Every conform module imports them from here, so moving them to their shared home is a change of
 * this one file.
 */
export { findLink, parseLinkHeader } from '../../client/src/link-header.ts';
export { preferenceName, splitPreferences } from '../../client/src/prefer-header.ts';
export { parseRetryAfter } from '../../client/src/retry-after.ts';
