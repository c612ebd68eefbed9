/**
 * `@longrun/openapi/contract`: the contract's headers and event names in code, one reader and
 * writer of each, shared by the server, the client and the mock. Browser-safe: nothing here imports
 * a Node module.
 * @packageDocumentation
 */
export { ALLOWED_HEADERS, EXPOSED_HEADERS } from './cors.ts';
export { ifNoneMatchMatches, sameEntityTag } from './etag.ts';
export { EVENT_STREAM_MEDIA_TYPE, MonitorEventType } from './events.ts';
export { findLink, formatLink, LinkRelation, type LinkValue, parseLinkHeader } from './link.ts';
export {
  type AsyncPreferences,
  formatPreferenceApplied,
  hasPreference,
  MAX_WAIT_SECONDS,
  mergePreferences,
  parsePrefer,
  preferenceName,
  preferenceValue,
  splitPreferences,
  withoutPreference,
} from './prefer.ts';
export {
  clampDelay,
  DEFAULT_RETRY_AFTER,
  type DelayBounds,
  MAX_TIMER_DELAY_MS,
  parseRetryAfter,
  type RetryAfterBounds,
  responseTime,
  retryAfterFromEta,
} from './retry-after.ts';
