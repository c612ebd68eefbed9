/**
 * Instants as both SQL adapters bind them: `Date#toISOString()` text, so stored instants compare
 * correctly as strings (SQLite) and round-trip unchanged (PostgreSQL).
 */

/** `value` as `Date#toISOString()` text. @throws RangeError naming `what` when it is no instant. */
export function instant(value: string, what: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new RangeError(`${what} is not an ISO 8601 instant: ${value}`);
  return new Date(time).toISOString();
}

/** `value`, which must already be in `Date#toISOString()` form (it orders the queue and is echoed as is). */
export function canonicalInstant(value: string, what: string): string {
  const normalized = instant(value, what);
  if (normalized !== value) throw new RangeError(`${what} must be in Date#toISOString() form: ${value}`);
  return normalized;
}
