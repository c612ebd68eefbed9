import { describe, expect, test } from 'vitest';
import { ifNoneMatchMatches, sameEntityTag } from './etag.ts';

describe('ifNoneMatchMatches', () => {
  test('matches by weak comparison, in a list, or with *', () => {
    const etag = '"op_1.3"';
    for (const header of ['"op_1.3"', 'W/"op_1.3"', '"a", "op_1.3"', '*', ' "op_1.3" ', '"a,b", W/"op_1.3"']) {
      expect(ifNoneMatchMatches(header, etag), header).toBe(true);
    }
    for (const header of [undefined, null, '"op_1.4"', '"op_1"', '', 'op_1.3']) {
      expect(ifNoneMatchMatches(header, etag), String(header)).toBe(false);
    }
  });

  test('compares a weak server tag too', () => {
    expect(ifNoneMatchMatches('"v1"', 'W/"v1"')).toBe(true);
  });
});

describe('sameEntityTag', () => {
  test('is true for the same opaque tag, strong or weak, and false for another or none', () => {
    expect(sameEntityTag('W/"x"', '"x"')).toBe(true);
    expect(sameEntityTag('"x"', '"y"')).toBe(false);
    expect(sameEntityTag(null, '"x"')).toBe(false);
  });
});
