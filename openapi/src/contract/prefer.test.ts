import { describe, expect, test } from 'vitest';
import {
  formatPreferenceApplied,
  hasPreference,
  mergePreferences,
  parsePrefer,
  preferenceName,
  preferenceValue,
  splitPreferences,
  withoutPreference,
} from './prefer.ts';

describe('splitPreferences', () => {
  test('splits at commas, trimming, and drops empty members', () => {
    expect(splitPreferences(' respond-async ,wait=10,, code=201 ')).toEqual(['respond-async', 'wait=10', 'code=201']);
  });

  test('keeps commas inside quoted strings (and escaped quotes) as part of the value', () => {
    expect(splitPreferences('example="a, b", x="say \\"hi, there\\"", wait=5')).toEqual([
      'example="a, b"',
      'x="say \\"hi, there\\""',
      'wait=5',
    ]);
  });

  test('nothing to split', () => {
    expect(splitPreferences(null)).toEqual([]);
    expect(splitPreferences('')).toEqual([]);
  });
});

describe('preferenceName', () => {
  test('is the token before = or ;, lower-cased', () => {
    expect(preferenceName('Wait=10')).toBe('wait');
    expect(preferenceName('respond-async; x=1')).toBe('respond-async');
    expect(preferenceName(' handling = lenient')).toBe('handling');
  });
});

describe('mergePreferences', () => {
  test('joins the values into one header', () => {
    expect(mergePreferences('wait=30', 'code=201, example=succeeded')).toBe('wait=30, code=201, example=succeeded');
  });

  test('names each preference once: the first value naming it wins, whatever its case', () => {
    expect(mergePreferences('wait=30', 'WAIT=5, code=202', 'code=201, respond-async')).toBe(
      'wait=30, code=202, respond-async',
    );
  });

  test('keeps each preference as written, parameters included', () => {
    expect(mergePreferences('return=minimal; foo="a, b"', undefined, null, '')).toBe('return=minimal; foo="a, b"');
  });

  test('undefined when there is nothing to send', () => {
    expect(mergePreferences(undefined, '', ' , ')).toBeUndefined();
  });
});

describe('withoutPreference', () => {
  test('drops the named preference, any case', () => {
    expect(withoutPreference('Wait=5, code=201', 'wait')).toBe('code=201');
    expect(withoutPreference('wait=5', 'wait')).toBeUndefined();
    expect(withoutPreference(undefined, 'wait')).toBeUndefined();
  });
});

describe('preferenceValue', () => {
  test('reads a token or a quoted value, without parameters', () => {
    expect(preferenceValue('wait=10')).toBe('10');
    expect(preferenceValue('wait = "10"; x=y')).toBe('10');
    expect(preferenceValue('title="say \\"hi\\""')).toBe('say "hi"');
    expect(preferenceValue('respond-async')).toBeUndefined();
  });
});

describe('hasPreference', () => {
  test('finds a preference by name, case-insensitively, whatever its value', () => {
    expect(hasPreference('respond-async, WAIT=30', 'wait')).toBe(true);
    expect(hasPreference('example="wait=3"', 'wait')).toBe(false);
    expect(hasPreference(null, 'wait')).toBe(false);
  });
});

describe('parsePrefer', () => {
  test('reads respond-async and wait=N, in any order and case, with other preferences around them', () => {
    expect(parsePrefer('respond-async, wait=10')).toEqual({ respondAsync: true, waitSeconds: 10 });
    expect(parsePrefer('Wait=3; foo=bar, handling=lenient, RESPOND-ASYNC')).toEqual({
      respondAsync: true,
      waitSeconds: 3,
    });
    expect(parsePrefer('wait="5"')).toEqual({ respondAsync: false, waitSeconds: 5 });
  });

  test('does not split inside a quoted value, and the first wait counts', () => {
    expect(parsePrefer('example="a, wait=9", wait=2, wait=7')).toEqual({ respondAsync: false, waitSeconds: 2 });
  });

  test('clamps wait to the longest honoured wait', () => {
    expect(parsePrefer('wait=3600').waitSeconds).toBe(60);
    expect(parsePrefer('wait=3600', 5).waitSeconds).toBe(5);
  });

  test('ignores a malformed wait, as RFC 7240 asks of preferences a server cannot apply', () => {
    for (const header of ['wait=-1', 'wait=abc', 'wait=1.5', 'wait', 'wait=']) {
      expect(parsePrefer(header).waitSeconds).toBeUndefined();
    }
    expect(parsePrefer(undefined)).toEqual({ respondAsync: false, waitSeconds: undefined });
  });
});

describe('formatPreferenceApplied', () => {
  test('lists what was honoured, or nothing', () => {
    expect(formatPreferenceApplied({ respondAsync: true, waitSeconds: 5 })).toBe('respond-async, wait=5');
    expect(formatPreferenceApplied({ waitSeconds: 0 })).toBe('wait=0');
    expect(formatPreferenceApplied({})).toBeUndefined();
  });

  test('is read back by parsePrefer', () => {
    expect(parsePrefer(formatPreferenceApplied({ respondAsync: true, waitSeconds: 5 }))).toEqual({
      respondAsync: true,
      waitSeconds: 5,
    });
  });
});
