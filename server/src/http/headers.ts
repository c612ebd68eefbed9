/**
 * The contract's headers: `Retry-After`, `Link`, `ETag`, `Prefer` / `Preference-Applied`.
 *
 * Pure functions, so each rule is tested on its own.
 */
import type { OperationRecord } from '../operations/model.ts';
import { isTerminal } from '../operations/state.ts';

/** Bounds of the `Retry-After` the server advertises, in whole seconds. */
export interface RetryAfterBounds {
  /** @default 1 */
  min: number;
  /** @default 30 */
  max: number;
  /** When there is no ETA. @default 2 */
  unknown: number;
}

/** The defaults for {@link RetryAfterBounds}. */
export const DEFAULT_RETRY_AFTER: RetryAfterBounds = { min: 1, max: 30, unknown: 2 };

/**
 * Whole seconds until a poll is worth it, from the operation's estimated completion time.
 *
 * The remaining time to the ETA, rounded up and clamped to `[min, max]`; an overdue ETA gives
 * `min`, no (or an unreadable) ETA gives `unknown`. Capped so a long operation still shows its progress.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 Retry-After
 */
export function retryAfterFromEta(
  estimatedCompletionAt: string | null,
  now: Date,
  bounds: RetryAfterBounds = DEFAULT_RETRY_AFTER,
): number {
  const remainingMs = estimatedCompletionAt === null ? Number.NaN : Date.parse(estimatedCompletionAt) - now.getTime();
  if (Number.isNaN(remainingMs)) return bounds.unknown;
  if (remainingMs <= 0) return bounds.min;
  return Math.min(bounds.max, Math.max(bounds.min, Math.ceil(remainingMs / 1000)));
}

/**
 * A `Link` header value for one target.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3 Link serialisation
 * @see https://www.rfc-editor.org/rfc/rfc5989#section-6 the `monitor` relation
 * @example linkHeader('/monitors/op_1', 'monitor') // '</monitors/op_1>; rel="monitor"'
 */
export function linkHeader(href: string, rel: string): string {
  return `<${href}>; rel="${rel}"`;
}

/**
 * The strong entity tag of an operation's monitor at its current version.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3 ETag
 */
export function monitorEtag(operation: Pick<OperationRecord, 'id' | 'version'>): string {
  return `"${operation.id}.${operation.version}"`;
}

/**
 * True when an `If-None-Match` value matches `etag` (weak comparison, `*` matches anything).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2 If-None-Match
 */
export function ifNoneMatchMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const value = ifNoneMatch.trim();
  if (value === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return value.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/** The preferences of a `Prefer` header this server understands. */
export interface Preferences {
  respondAsync: boolean;
  /** Seconds the client is willing to wait, clamped to `[0, maxWaitSeconds]`; undefined if absent. */
  waitSeconds: number | undefined;
}

/** Longest `Prefer: wait` honoured, in seconds. @default 60 */
export const MAX_WAIT_SECONDS = 60;

/**
 * Parses `Prefer` (RFC 7240): `respond-async` and `wait=N`; other preferences are ignored, and a
 * malformed `wait` is ignored too, as the RFC asks of preferences a server cannot apply.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-2 Prefer
 */
export function parsePrefer(header: string | undefined, maxWaitSeconds = MAX_WAIT_SECONDS): Preferences {
  const preferences: Preferences = { respondAsync: false, waitSeconds: undefined };
  if (!header) return preferences;
  for (const part of header.split(',')) {
    const [token = '', rawValue] = part.split(';')[0]?.split('=') ?? [];
    const name = token.trim().toLowerCase();
    const value = rawValue?.trim().replace(/^"(.*)"$/, '$1');
    if (name === 'respond-async') preferences.respondAsync = true;
    if (name === 'wait' && value !== undefined && /^\d{1,9}$/.test(value)) {
      preferences.waitSeconds = Math.min(Number(value), maxWaitSeconds);
    }
  }
  return preferences;
}

/**
 * The `Preference-Applied` value for what was honoured, or undefined when nothing was.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-3 Preference-Applied
 */
export function preferenceApplied(applied: {
  respondAsync?: boolean;
  waitSeconds?: number | undefined;
}): string | undefined {
  const parts: string[] = [];
  if (applied.respondAsync) parts.push('respond-async');
  if (applied.waitSeconds !== undefined) parts.push(`wait=${applied.waitSeconds}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** True while the operation may still change: polls should use `Retry-After`. */
export function isPending(operation: Pick<OperationRecord, 'state'>): boolean {
  return !isTerminal(operation.state);
}
