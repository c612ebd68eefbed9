/**
 * Entity tags (`ETag`) and `If-None-Match`: how a poll learns that a monitor has not changed.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3 ETag
 */

/** The opaque part of an entity tag: without the weakness marker and surrounding space. */
function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/**
 * Whether two entity tags name the same version, by weak comparison (`W/"x"` matches `"x"`), as
 * `If-None-Match` compares them.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3.2
 */
export function sameEntityTag(a: string | null | undefined, b: string | null | undefined): boolean {
  return a !== null && a !== undefined && b !== null && b !== undefined && opaqueTag(a) === opaqueTag(b);
}

/**
 * Whether an `If-None-Match` value matches `etag`: weak comparison against each listed tag, and `*`
 * matches any current representation. An origin server evaluates it whatever `Cache-Control` says.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2 If-None-Match
 * @example ifNoneMatchMatches('"other", W/"op_1.3"', '"op_1.3"') // true
 */
export function ifNoneMatchMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (ifNoneMatch === null || ifNoneMatch === undefined) return false;
  const value = ifNoneMatch.trim();
  if (value === '*') return true;
  return entityTagList(value).some((candidate) => sameEntityTag(candidate, etag));
}

/** The entity tags of a list (`"a", W/"b,c"`): commas inside a quoted tag do not split it. */
function entityTagList(value: string): string[] {
  return value.match(/(?:W\/)?"[^"]*"/g) ?? [];
}
