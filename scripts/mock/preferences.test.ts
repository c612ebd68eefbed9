import { describe, expect, it } from 'vitest';
import { parsePreferences, waitSeconds } from './preferences.ts';

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

  it('keeps a comma inside a quoted example name', () => {
    expect(parsePreferences('example="a, b", code=202').get('example')).toBe('a, b');
  });
});

describe('waitSeconds', () => {
  it('clamps wait=N to the bound and ignores a malformed one', () => {
    expect(waitSeconds(parsePreferences('wait=600'), 60)).toBe(60);
    expect(waitSeconds(parsePreferences('wait=soon'))).toBeUndefined();
    expect(waitSeconds(parsePreferences('respond-async'))).toBeUndefined();
  });
});
