import { describe, expect, test } from 'vitest';
import { findLink, formatLink, parseLinkHeader } from './link.ts';

describe('parseLinkHeader', () => {
  test('reads the target and relation of a monitor link', () => {
    expect(parseLinkHeader('</monitors/op_1>; rel="monitor"')).toEqual([
      { href: '/monitors/op_1', rel: ['monitor'], params: {} },
    ]);
  });

  test('reads several links, unquoted and multi-valued relations, and other parameters', () => {
    expect(parseLinkHeader('<https://a.test/x>; rel=next; title="Page, two", </m/1>; rel="monitor related"')).toEqual([
      { href: 'https://a.test/x', rel: ['next'], params: { title: 'Page, two' } },
      { href: '/m/1', rel: ['monitor', 'related'], params: {} },
    ]);
  });

  test('keeps commas and semicolons inside the target', () => {
    expect(parseLinkHeader('</search?q=a,b;c>; rel="next"')[0]?.href).toBe('/search?q=a,b;c');
  });

  test('lower-cases relations and parameter names, and keeps only the first rel', () => {
    expect(parseLinkHeader('</m>; REL="Monitor"; rel="next"; Title=x')).toEqual([
      { href: '/m', rel: ['monitor'], params: { title: 'x' } },
    ]);
  });

  test('unescapes quoted-pairs in quoted values', () => {
    expect(parseLinkHeader('</m>; rel="monitor"; title="say \\"hi\\""')[0]?.params.title).toBe('say "hi"');
  });

  test('gives nothing for an absent or malformed header', () => {
    expect(parseLinkHeader(null)).toEqual([]);
    expect(parseLinkHeader('')).toEqual([]);
    expect(parseLinkHeader('rel="monitor"')).toEqual([]);
    expect(parseLinkHeader('</unterminated; rel="monitor"')).toEqual([]);
  });
});

describe('findLink', () => {
  test('finds the first link with the relation, case-insensitively', () => {
    expect(findLink('</a>; rel="next", </b>; rel="monitor", </c>; rel="monitor"', 'MONITOR')).toBe('/b');
  });

  test('is undefined when no link has the relation', () => {
    expect(findLink('</a>; rel="next"', 'monitor')).toBeUndefined();
    expect(findLink(undefined, 'monitor')).toBeUndefined();
  });
});

describe('formatLink', () => {
  test('serialises one RFC 8288 link that parseLinkHeader reads back', () => {
    expect(formatLink('/monitors/op_1', 'monitor')).toBe('</monitors/op_1>; rel="monitor"');
    expect(findLink(`${formatLink('/a', 'next')}, ${formatLink('/m/1', 'monitor')}`, 'monitor')).toBe('/m/1');
  });
});
