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
  // The library splits a multi-valued rel into one reference per relation: join them back.
  const links: LinkValue[] = [];
  let previous: { ref: LinkHeader.Reference; link: LinkValue } | undefined;
  for (const ref of refs) {
    const { uri, rel, ...rest } = ref;
    const relation = String(rel ?? '').toLowerCase();
    if (previous !== undefined && sameLinkParams(previous.ref, ref)) {
      previous.link.rel.push(relation);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(rest)) {
      params[name] = typeof value === 'string' ? value : String((value as { value?: unknown }).value ?? '');
    }
    const link: LinkValue = { href: uri, rel: relation === '' ? [] : [relation], params };
    links.push(link);
    previous = { ref, link };
  }
  return links;
}

/** Whether two references came from one link value (same target and parameters, another `rel`). */
function sameLinkParams(a: LinkHeader.Reference, b: LinkHeader.Reference): boolean {
  const { rel: _a, ...restA } = a;
  const { rel: _b, ...restB } = b;
  const keysA = Object.keys(restA);
  return (
    keysA.length === Object.keys(restB).length &&
    keysA.every((key) => (restA as Record<string, unknown>)[key] === (restB as Record<string, unknown>)[key])
  );
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
