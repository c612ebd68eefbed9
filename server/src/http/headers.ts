/**
 * The contract's headers as the server writes them. Reading and writing `Prefer`,
 * `Preference-Applied`, `Link`, `If-None-Match` and `Retry-After` is the contract module's
 * (`@longrun/openapi/contract`, shared with the client and the mock); here is only what depends on
 * the server's own records.
 */
import {
  DEFAULT_RETRY_AFTER,
  formatLink,
  formatPreferenceApplied,
  ifNoneMatchMatches,
  MAX_WAIT_SECONDS,
  parsePrefer,
  type RetryAfterBounds,
  retryAfterFromEta,
} from '@longrun/openapi/contract';
import type { OperationRecord } from '../operations/model.ts';

export {
  DEFAULT_RETRY_AFTER,
  formatLink as linkHeader,
  formatPreferenceApplied as preferenceApplied,
  ifNoneMatchMatches,
  MAX_WAIT_SECONDS,
  parsePrefer,
  type RetryAfterBounds,
  retryAfterFromEta,
};

/**
 * The strong entity tag of an operation's monitor at its current version.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3 ETag
 */
export function monitorEtag(operation: Pick<OperationRecord, 'id' | 'version'>): string {
  return `"${operation.id}.${operation.version}"`;
}
