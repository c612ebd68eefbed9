import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_AFTER,
  ifNoneMatchMatches,
  linkHeader,
  monitorEtag,
  parsePrefer,
  preferenceApplied,
  retryAfterFromEta,
} from './headers.ts';

const NOW = new Date('2026-11-22T10:00:00.000Z');
const inSeconds = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

describe('retryAfterFromEta', () => {
  it('is the whole seconds left until the ETA, rounded up', () => {
    expect(retryAfterFromEta(inSeconds(5), NOW)).toBe(5);
    expect(retryAfterFromEta(inSeconds(4.2), NOW)).toBe(5);
    expect(retryAfterFromEta(inSeconds(18), NOW)).toBe(18);
  });

  it('grows with the ETA: a later ETA asks for a longer wait', () => {
    expect(retryAfterFromEta(inSeconds(18), NOW)).toBeGreaterThan(retryAfterFromEta(inSeconds(5), NOW));
  });

  it('never asks for less than the minimum, also once the ETA has passed', () => {
    expect(retryAfterFromEta(inSeconds(0.1), NOW)).toBe(DEFAULT_RETRY_AFTER.min);
    expect(retryAfterFromEta(inSeconds(-30), NOW)).toBe(DEFAULT_RETRY_AFTER.min);
  });

  it('is capped, so a long operation still shows its progress', () => {
    expect(retryAfterFromEta(inSeconds(3_600), NOW)).toBe(DEFAULT_RETRY_AFTER.max);
  });

  it('uses the "unknown" value without an ETA or with an unreadable one', () => {
    expect(retryAfterFromEta(null, NOW)).toBe(DEFAULT_RETRY_AFTER.unknown);
    expect(retryAfterFromEta('not a date', NOW)).toBe(DEFAULT_RETRY_AFTER.unknown);
  });

  it('honours custom bounds', () => {
    const bounds = { min: 2, max: 10, unknown: 7 };
    expect(retryAfterFromEta(inSeconds(1), NOW, bounds)).toBe(2);
    expect(retryAfterFromEta(inSeconds(60), NOW, bounds)).toBe(10);
    expect(retryAfterFromEta(null, NOW, bounds)).toBe(7);
  });
});

describe('parsePrefer', () => {
  it('reads respond-async and wait=N, in any order and case, with other preferences around them', () => {
    expect(parsePrefer('respond-async, wait=10')).toEqual({ respondAsync: true, waitSeconds: 10 });
    expect(parsePrefer('Wait=3; foo=bar, handling=lenient, RESPOND-ASYNC')).toEqual({
      respondAsync: true,
      waitSeconds: 3,
    });
    expect(parsePrefer('wait="5"')).toEqual({ respondAsync: false, waitSeconds: 5 });
  });

  it('clamps wait to the longest honoured wait', () => {
    expect(parsePrefer('wait=3600').waitSeconds).toBe(60);
    expect(parsePrefer('wait=3600', 5).waitSeconds).toBe(5);
  });

  it('ignores a malformed wait, as RFC 7240 asks of preferences a server cannot apply', () => {
    for (const header of ['wait=-1', 'wait=abc', 'wait=1.5', 'wait', 'wait=']) {
      expect(parsePrefer(header).waitSeconds).toBeUndefined();
    }
    expect(parsePrefer(undefined)).toEqual({ respondAsync: false, waitSeconds: undefined });
  });
});

describe('preferenceApplied', () => {
  it('lists what was honoured, or nothing', () => {
    expect(preferenceApplied({ respondAsync: true, waitSeconds: 5 })).toBe('respond-async, wait=5');
    expect(preferenceApplied({ waitSeconds: 0 })).toBe('wait=0');
    expect(preferenceApplied({})).toBeUndefined();
  });
});

describe('monitor entity tags', () => {
  it('change with the version', () => {
    expect(monitorEtag({ id: 'op_1', version: 3 })).toBe('"op_1.3"');
    expect(monitorEtag({ id: 'op_1', version: 4 })).not.toBe(monitorEtag({ id: 'op_1', version: 3 }));
  });

  it('match If-None-Match by weak comparison, in a list, or with *', () => {
    const etag = '"op_1.3"';
    for (const header of ['"op_1.3"', 'W/"op_1.3"', '"a", "op_1.3"', '*', ' "op_1.3" ']) {
      expect(ifNoneMatchMatches(header, etag)).toBe(true);
    }
    for (const header of [undefined, '"op_1.4"', '"op_1"', '']) expect(ifNoneMatchMatches(header, etag)).toBe(false);
  });
});

describe('linkHeader', () => {
  it('serialises one RFC 8288 link', () => {
    expect(linkHeader('/monitors/op_1', 'monitor')).toBe('</monitors/op_1>; rel="monitor"');
  });
});
