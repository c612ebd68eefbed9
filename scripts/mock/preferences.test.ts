import { describe, expect, it } from 'vitest';
import { mergePreferences, parsePreferences, waitSeconds } from './preferences.ts';

describe('parsePreferences', () => {
  it('reads the contract’s preferences and Prism’s directives from one header', () => {
    const preferences = parsePreferences('respond-async, wait=10, code=201, example="succeeded"');
    expect(Object.fromEntries(preferences)).toEqual({
      'respond-async': true,
      wait: '10',
      code: '201',
      example: 'succeeded',
    });
  });

  it('keeps the first of a repeated preference and drops parameters, as RFC 7240 §2 asks', () => {
    expect(Object.fromEntries(parsePreferences(['wait=5; foo=bar', 'WAIT=9']))).toEqual({ wait: '5' });
  });
});

describe('mergePreferences', () => {
  it('adds directives to what the caller asked for, without overriding it', () => {
    expect(mergePreferences('wait=30', 'wait=1, code=201, example=succeeded')).toBe(
      'wait=30, code=201, example=succeeded',
    );
  });

  it('quotes a value that is not a token, and gives nothing for nothing', () => {
    expect(mergePreferences(undefined, 'example=a b')).toBe('example="a b"');
    expect(mergePreferences(undefined, '', null)).toBeUndefined();
  });
});

describe('waitSeconds', () => {
  it('clamps wait=N to the bound and ignores a malformed one', () => {
    expect(waitSeconds(parsePreferences('wait=600'), 60)).toBe(60);
    expect(waitSeconds(parsePreferences('wait=soon'))).toBeUndefined();
    expect(waitSeconds(parsePreferences('respond-async'))).toBeUndefined();
  });
});
