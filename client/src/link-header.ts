/**
 * Reading the `Link` header: how an accepted request names its monitor (`rel="monitor"`) and a list
 * its next page (`rel="next"`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3 Link serialisation
 */

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
 * Parses a `Link` header into its links; malformed links are skipped, never thrown on.
 *
 * Commas and semicolons inside `<…>` and quoted strings are part of the value, not separators.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 * @example
 * parseLinkHeader('</monitors/op_1>; rel="monitor"')
 * // [{ href: '/monitors/op_1', rel: ['monitor'], params: {} }]
 */
export function parseLinkHeader(header: string | null | undefined): LinkValue[] {
  if (!header) return [];
  const links: LinkValue[] = [];
  let index = 0;
  while (index < header.length) {
    const open = header.indexOf('<', index);
    if (open === -1) break;
    const close = header.indexOf('>', open + 1);
    if (close === -1) break;
    const href = header.slice(open + 1, close).trim();
    const { params, end } = readParams(header, close + 1);
    const { rel = '', ...rest } = params;
    links.push({ href, rel: rel.toLowerCase().split(/\s+/).filter(Boolean), params: rest });
    index = end;
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

/** Reads `; name=value; name="quoted, value"` up to the comma that ends the link. */
function readParams(header: string, start: number): { params: Record<string, string>; end: number } {
  const params: Record<string, string> = {};
  let index = start;
  while (index < header.length) {
    const char = header[index];
    if (char === ',') return { params, end: index + 1 };
    if (char !== ';') {
      index++;
      continue;
    }
    index++;
    const nameMatch = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*/.exec(header.slice(index));
    if (!nameMatch?.[1]) continue;
    const name = nameMatch[1].toLowerCase();
    index += nameMatch[0].length;
    let value = '';
    if (header[index] === '=') {
      index++;
      while (header[index] === ' ' || header[index] === '\t') index++;
      if (header[index] === '"') {
        index++;
        while (index < header.length && header[index] !== '"') {
          if (header[index] === '\\') index++;
          value += header[index] ?? '';
          index++;
        }
        index++;
      } else {
        const tokenMatch = /^[^;,]*/.exec(header.slice(index));
        value = (tokenMatch?.[0] ?? '').trim();
        index += tokenMatch?.[0].length ?? 0;
      }
    }
    // RFC 8288 §3.3: only the first occurrence of `rel` counts.
    if (!(name in params)) params[name] = value;
  }
  return { params, end: index };
}
