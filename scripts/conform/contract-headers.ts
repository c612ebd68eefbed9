/**
 * The header contract (`Link`, `Retry-After`, `Prefer`) as `longrun conform` reads it: the contract
 * module the server, the client SDK and the mock share, so the checker and the SDK never disagree
 * about a header. Every conform module imports them from here.
 */
export {
  findLink,
  parseLinkHeader,
  parseRetryAfter,
  preferenceName,
  splitPreferences,
} from '@longrun/openapi/contract';
