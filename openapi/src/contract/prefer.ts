/**
 * `Prefer` and `Preference-Applied` (RFC 7240): the one reader and writer of both headers for the
 * server, the client and the mock. Several parties add preferences to one request (a caller's
 * `respond-async`, `waitFor`'s `wait=N`, a mock's `code=201`), and the RFC wants them in one
 * comma-separated header, each named once, every reader ignoring what it does not know.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240
 */

/** Longest `Prefer: wait` a longrun server honours, in seconds. */
export const MAX_WAIT_SECONDS = 60;

/**
 * The preferences of `Prefer` values, in order, each as written (with its value and parameters);
 * commas inside quoted strings are part of the value, not separators. Empty members are dropped.
 *
 * @example splitPreferences('wait=10, example="a, b"') // ['wait=10', 'example="a, b"']
 */
export function splitPreferences(header: string | null | undefined): string[] {
  if (!header) return [];
  const preferences: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < header.length; index++) {
    const char = header[index];
    if (quoted && char === '\\')
      index++; // a quoted-pair: the next character is literal
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      preferences.push(header.slice(start, index));
      start = index + 1;
    }
  }
  preferences.push(header.slice(start));
  return preferences.map((preference) => preference.trim()).filter((preference) => preference !== '');
}

/** The lower-cased name of one preference (`Wait=10; x` → `wait`). */
export function preferenceName(preference: string): string {
  return (preference.split(/[=;]/, 1)[0] ?? '').trim().toLowerCase();
}

/**
 * The value of one preference, unquoted (`wait = "10"; x` → `10`); `undefined` when it has none.
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-2 (`preference = token [ BWS "=" BWS word ]`)
 */
export function preferenceValue(preference: string): string | undefined {
  const head = preference.split(';', 1)[0] ?? '';
  const equals = head.indexOf('=');
  if (equals === -1) return undefined;
  const value = head.slice(equals + 1).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/**
 * Joins `Prefer` values into one, comma-separated; when a preference is named more than once (names
 * are case-insensitive), the first value that names it wins, so list the most specific first.
 * `undefined` when there is nothing to send.
 *
 * @example mergePreferences('wait=30', 'code=201, example=succeeded, wait=5') // 'wait=30, code=201, example=succeeded'
 */
export function mergePreferences(...values: (string | null | undefined)[]): string | undefined {
  const names = new Set<string>();
  const merged: string[] = [];
  for (const value of values) {
    for (const preference of splitPreferences(value)) {
      const name = preferenceName(preference);
      if (name === '' || names.has(name)) continue;
      names.add(name);
      merged.push(preference);
    }
  }
  return merged.length === 0 ? undefined : merged.join(', ');
}

/** `header` without the preferences named `name` (e.g. a caller's `wait`, which `waitFor` owns). */
export function withoutPreference(header: string | null | undefined, name: string): string | undefined {
  const kept = splitPreferences(header).filter((preference) => preferenceName(preference) !== name.toLowerCase());
  return kept.length === 0 ? undefined : kept.join(', ');
}

/** Whether a `Prefer` or `Preference-Applied` value names preference `name` (case-insensitively). */
export function hasPreference(header: string | null | undefined, name: string): boolean {
  const wanted = name.toLowerCase();
  return splitPreferences(header).some((preference) => preferenceName(preference) === wanted);
}

/** The asynchronous-processing preferences of a `Prefer` header. */
export interface AsyncPreferences {
  /** `respond-async`: answer 202 + monitor even where the answer could come at once. */
  respondAsync: boolean;
  /** `wait=N` in seconds, clamped to `[0, maxWaitSeconds]`; `undefined` when absent or malformed. */
  waitSeconds: number | undefined;
}

/**
 * Reads `respond-async` and `wait=N` from `Prefer`; other preferences are ignored, and so is a
 * malformed `wait`, as the RFC asks of preferences that cannot be applied. The first `wait` counts.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-4.1 respond-async
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-4.3 wait
 * @example parsePrefer('respond-async, wait=100') // { respondAsync: true, waitSeconds: 60 }
 */
export function parsePrefer(header: string | null | undefined, maxWaitSeconds = MAX_WAIT_SECONDS): AsyncPreferences {
  const preferences: AsyncPreferences = { respondAsync: false, waitSeconds: undefined };
  for (const preference of splitPreferences(header)) {
    const name = preferenceName(preference);
    if (name === 'respond-async') preferences.respondAsync = true;
    if (name !== 'wait' || preferences.waitSeconds !== undefined) continue;
    const value = preferenceValue(preference);
    if (value !== undefined && /^\d{1,9}$/.test(value))
      preferences.waitSeconds = Math.min(Number(value), maxWaitSeconds);
  }
  return preferences;
}

/**
 * The `Preference-Applied` value for what was honoured, or `undefined` when nothing was.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-3 Preference-Applied
 * @example formatPreferenceApplied({ respondAsync: true, waitSeconds: 30 }) // 'respond-async, wait=30'
 */
export function formatPreferenceApplied(applied: {
  respondAsync?: boolean;
  waitSeconds?: number | undefined;
}): string | undefined {
  const parts: string[] = [];
  if (applied.respondAsync) parts.push('respond-async');
  if (applied.waitSeconds !== undefined) parts.push(`wait=${applied.waitSeconds}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}
