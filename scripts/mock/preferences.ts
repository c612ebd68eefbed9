/**
 * `Prefer` as the mock reads it: the contract's preferences (`respond-async`, `wait=N`) and Prism's
 * directives (`code`, `example`, `dynamic`, `seed`) share one header, and each side ignores what it
 * does not know (RFC 7240 §2). The header is split and read by the contract module; this only keys
 * the preferences by name for the mock's look-ups.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240
 */
import { preferenceName, preferenceValue, splitPreferences } from '@longrun/openapi/contract';

/** The preferences of one `Prefer` header, by lower-case name; a bare token maps to `true`. */
export type Preferences = Map<string, string | true>;

/** Reads `Prefer`: `respond-async, wait=10, code=201, example="succeeded"`; the first of a name counts. */
export function parsePreferences(header: string | readonly string[] | undefined): Preferences {
  const preferences: Preferences = new Map();
  const joined = header === undefined ? undefined : typeof header === 'string' ? header : header.join(', ');
  for (const preference of splitPreferences(joined)) {
    const name = preferenceName(preference);
    if (name === '' || preferences.has(name)) continue;
    preferences.set(name, preferenceValue(preference) ?? true);
  }
  return preferences;
}

/** Seconds of `wait=N` (clamped to `[0, max]`), or undefined when absent or malformed. */
export function waitSeconds(preferences: Preferences, max = 60): number | undefined {
  const value = preferences.get('wait');
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Math.min(Number(value), max);
}
