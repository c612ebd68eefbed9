/**
 * Bearer API keys: each key belongs to one tenant.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1 Authorization request header field
 */
import * as crypto from 'node:crypto';
import { HttpProblem } from './problem.ts';

/** An API key and the tenant it belongs to. */
export interface ApiKey {
  tenant: string;
  key: string;
}

/**
 * Parses `LONGRUN_API_KEYS`: comma-separated `tenant:key` pairs.
 *
 * @example parseApiKeys('acme:k1,globex:k2') // [{ tenant: 'acme', key: 'k1' }, { tenant: 'globex', key: 'k2' }]
 */
export function parseApiKeys(value: string): ApiKey[] {
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '')
    .map((pair) => {
      const colon = pair.indexOf(':');
      const tenant = pair.slice(0, colon).trim();
      const key = pair.slice(colon + 1).trim();
      if (colon <= 0 || tenant === '' || key === '') {
        throw new RangeError(`LONGRUN_API_KEYS entries must be tenant:key, got "${pair}"`);
      }
      return { tenant, key };
    });
}

// One call per request: the one-shot hash (Node 20.12+) costs a third of a Hash object's.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;
const digest =
  oneShot === undefined
    ? (key: string): string => crypto.createHash('sha256').update(key).digest('base64url')
    : (key: string): string => oneShot('sha256', key, 'base64url');

/** Finds the tenant of a bearer key; keys are held hashed so lookups leak no timing about them. */
export class TenantDirectory {
  readonly #tenantByKeyDigest = new Map<string, string>();

  constructor(keys: readonly ApiKey[]) {
    for (const { tenant, key } of keys) this.#tenantByKeyDigest.set(digest(key), tenant);
  }

  /**
   * The tenant of an `Authorization` header value.
   *
   * @throws {HttpProblem} `unauthorized` (401, with `WWW-Authenticate`) when absent or unknown.
   */
  authenticate(authorization: string | undefined): string {
    const match = authorization ? /^Bearer\s+([\x21-\x7E]+)\s*$/i.exec(authorization) : null;
    const tenant = match?.[1] ? this.#tenantByKeyDigest.get(digest(match[1])) : undefined;
    if (tenant !== undefined) return tenant;
    throw new HttpProblem('unauthorized', {
      detail: authorization ? 'The API key is not valid.' : 'Send an API key as "Authorization: Bearer <key>".',
      headers: {
        'WWW-Authenticate': authorization ? 'Bearer realm="longrun", error="invalid_token"' : 'Bearer realm="longrun"',
      },
    });
  }
}
