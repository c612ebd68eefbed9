/**
 * Combining `Prefer` headers. Several parties add preferences to one request (the caller's
 * `respond-async`, `waitFor`'s `wait=N`, a mock's `code=201`), and RFC 7240 wants them in one
 * comma-separated header, each named once, every reader ignoring what it does not know.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-2
 */

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
 * Joins `Prefer` values into one, comma-separated; when a preference is named more than once (names
 * are case-insensitive), the first value that names it wins, so list the most specific first.
 * `undefined` when there is nothing to send.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-2 "Prefer" (one preference, one value)
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
