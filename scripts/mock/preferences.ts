/**
 * `Prefer` (RFC 7240) as both the contract and Prism read it. The contract's preferences are
 * `respond-async` and `wait=N`; Prism's directives are `code`, `example`, `dynamic` and `seed`. Both
 * live in one header, and each side ignores the preferences it does not know (RFC 7240 §2).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240
 * @see https://github.com/stoplightio/prism/blob/master/docs/guides/01-mocking.md Prism's `Prefer` directives
 */

/** The preferences of one `Prefer` header, by lower-case name; a bare token maps to `true`. */
export type Preferences = Map<string, string | true>;

/** Parses `Prefer`: `respond-async, wait=10, code=201, example="succeeded"`. Parameters after `;` are dropped. */
export function parsePreferences(header: string | readonly string[] | undefined): Preferences {
  const preferences: Preferences = new Map();
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  for (const value of values) {
    for (const part of value.split(',')) {
      const [token = '', ...rest] = (part.split(';')[0] ?? '').split('=');
      const name = token.trim().toLowerCase();
      if (name === '' || preferences.has(name)) continue;
      const raw = rest.join('=').trim();
      preferences.set(name, rest.length === 0 ? true : raw.replace(/^"(.*)"$/, '$1'));
    }
  }
  return preferences;
}

/**
 * Joins preferences into one `Prefer` value, the first holder of a name winning: so a caller's
 * `wait=30` is kept and a mock directive only adds what is missing.
 * @example mergePreferences('wait=30', 'code=201, example=succeeded') // 'wait=30, code=201, example=succeeded'
 */
export function mergePreferences(...values: (string | null | undefined)[]): string | undefined {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const value of values) {
    if (!value) continue;
    for (const [name, setting] of parsePreferences(value)) {
      if (seen.has(name)) continue;
      seen.add(name);
      parts.push(
        setting === true ? name : `${name}=${/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(setting) ? setting : `"${setting}"`}`,
      );
    }
  }
  return parts.length === 0 ? undefined : parts.join(', ');
}

/** Seconds of `wait=N` (clamped to `[0, max]`), or undefined when absent or malformed. */
export function waitSeconds(preferences: Preferences, max = 60): number | undefined {
  const value = preferences.get('wait');
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Math.min(Number(value), max);
}
