import { describe, expect, test } from 'vitest';
import { mergePreferences, preferenceName, splitPreferences, withoutPreference } from './prefer-header.ts';

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
