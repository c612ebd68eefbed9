import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { memoiseValidatorRouteRegexps } from './route-regexp-cache.ts';

const pathToRegexpOfValidator = () =>
  (
    createRequire(import.meta.resolve('express-openapi-validator'))('path-to-regexp') as {
      pathToRegexp: (path: string, options?: object) => { regexp: RegExp; keys: { name: string }[] };
    }
  ).pathToRegexp;

describe('memoiseValidatorRouteRegexps', () => {
  it('makes the validator reuse one compiled route per path and options', () => {
    expect(memoiseValidatorRouteRegexps()).toBe(true);
    const pathToRegexp = pathToRegexpOfValidator();
    const first = pathToRegexp('/monitors/:monitorId', { sensitive: false, strict: false });
    expect(pathToRegexp('/monitors/:monitorId', { sensitive: false, strict: false })).toBe(first);
    expect(pathToRegexp('/monitors/:monitorId', { sensitive: true, strict: false })).not.toBe(first);
  });

  it('matches exactly as before', () => {
    memoiseValidatorRouteRegexps();
    const { regexp, keys } = pathToRegexpOfValidator()('/monitors/:monitorId', { sensitive: false, strict: false });
    expect(regexp.exec('/monitors/op_1')?.[1]).toBe('op_1');
    expect(regexp.exec('/monitors/op_1/cancel')).toBeNull();
    expect(keys.map((key) => key.name)).toEqual(['monitorId']);
  });

  it('can be called more than once', () => {
    expect(memoiseValidatorRouteRegexps()).toBe(true);
    expect(memoiseValidatorRouteRegexps()).toBe(true);
  });
});
