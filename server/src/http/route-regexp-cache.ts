/**
 * Keeps express-openapi-validator from compiling its route table on every request.
 *
 * To find the spec operation of a request, the validator (5.6) walks every path of the spec and
 * calls path-to-regexp's `pathToRegexp(route, options)` for each until one matches: a dozen regular
 * expressions built per request, the largest single cost of a monitor `GET` after the response
 * validation. The result depends only on its arguments, so memoising the function the validator
 * calls (on the path-to-regexp instance the validator resolves) gives the same matches at the cost
 * of a Map lookup. Idempotent; the cache holds one entry per spec path and option set.
 */
import { createRequire } from 'node:module';

interface PathToRegexpModule {
  pathToRegexp: ((path: string, options?: Record<string, unknown>) => unknown) & { memoised?: true };
}

/** The path-to-regexp module the validator uses (its own dependency, resolved from it). */
function validatorPathToRegexp(): PathToRegexpModule {
  const fromValidator = createRequire(import.meta.resolve('express-openapi-validator'));
  return fromValidator('path-to-regexp') as PathToRegexpModule;
}

/** Memoises `pathToRegexp` for the validator; returns false when its shape is not the one expected. */
export function memoiseValidatorRouteRegexps(): boolean {
  const module = validatorPathToRegexp();
  const original = module.pathToRegexp;
  if (typeof original !== 'function') return false;
  if (original.memoised) return true;
  const cache = new Map<string, unknown>();
  const memoised = Object.assign(
    (path: string, options?: Record<string, unknown>) => {
      // Only string paths with primitive options are cached; anything else goes straight through.
      if (typeof path !== 'string') return original(path, options);
      let key = path;
      for (const name in options) {
        const value = options[name];
        if (typeof value === 'object' || typeof value === 'function') return original(path, options);
        key += `\u0000${name}=${String(value)}`;
      }
      let compiled = cache.get(key);
      if (compiled === undefined) {
        compiled = original(path, options);
        cache.set(key, compiled);
      }
      return compiled;
    },
    { memoised: true as const },
  );
  module.pathToRegexp = memoised;
  return true;
}
