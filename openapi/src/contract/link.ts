/**
 * `Link` (RFC 8288): how an accepted request names its monitor (`rel="monitor"`, RFC 5989) and a
 * list its next page (`rel="next"`). Parsing is `http-link-header`'s (quoted strings, `rel` lists,
 * RFC 8187 extended values); this module gives it the contract's shape.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 */
import LinkHeader from 'http-link-header';

/** The link relations of the contract. */
export const LinkRelation = {
  /** The monitor of an accepted request. @see https://www.rfc-editor.org/rfc/rfc5989#section-6 */
  monitor: 'monitor',
  /** The next page of a list. */
  next: 'next',
} as const;

/** One link of a `Link` header. */
export interface LinkValue {
  /** The target, as written (a URI reference; resolve it against the response URL). */
  href: string;
  /** The relation types, lower-cased (`rel` may list several, separated by spaces). */
  rel: string[];
  /** Every other parameter, keyed by lower-cased name, unquoted. */
  params: Record<string, string>;
}

/**
 * Parses a `Link` header into its links. A header that does not parse gives no links (never a
 * throw): a client then falls back to `Location`.
 *
 * @example
 * parseLinkHeader('</monitors/op_1>; rel="monitor"')
 * // [{ href: '/monitors/op_1', rel: ['monitor'], params: {} }]
 */
export function parseLinkHeader(header: string | null | undefined): LinkValue[] {
  if (!header) return [];
  let refs: LinkHeader.Reference[];
  try {
    refs = LinkHeader.parse(header).refs;
  } catch {
    return [];
  }
  // The library gives one reference per relation of a multi-valued `rel`: join them back per link.
  const links: LinkValue[] = [];
  for (const { uri, rel, ...rest } of refs) {
    const relation = String(rel ?? '').toLowerCase();
    const params = Object.fromEntries(
      Object.entries(rest).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : String((value as { value?: unknown }).value ?? ''),
      ]),
    );
    const previous = links.at(-1);
    if (previous?.href === uri && JSON.stringify(previous.params) === JSON.stringify(params)) {
      previous.rel.push(relation);
    } else {
      links.push({ href: uri, rel: relation === '' ? [] : [relation], params });
    }
  }
  return links;
}

/**
 * The target of the first link with relation `rel` (compared case-insensitively), if any.
 *
 * @example findLink(response.headers.get('Link'), 'monitor') // '/monitors/op_1'
 */
export function findLink(header: string | null | undefined, rel: string): string | undefined {
  const wanted = rel.toLowerCase();
  return parseLinkHeader(header).find((link) => link.rel.includes(wanted))?.href;
}

/**
 * A `Link` header value for one target.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 * @example formatLink('/monitors/op_1', 'monitor') // '</monitors/op_1>; rel="monitor"'
 */
export function formatLink(href: string, rel: string): string {
  return `<${href}>; rel="${rel}"`;
}
