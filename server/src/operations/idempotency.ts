/**
 * Request fingerprints for `Idempotency-Key`: a retry with the same key must carry the same
 * request, which is compared by fingerprint (method, path and body; key order in the body does not
 * matter).
 *
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/ (section 2.4)
 */
import { createHash } from 'node:crypto';
import type { StoredRequest } from './model.ts';

/** Default time an idempotency key is remembered: 24 hours, the contract's minimum. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * `sha256:<hex>` of the method (upper-cased), path and canonical JSON body of `request`, and of the
 * callback URL when one was given: the same request told to call another URL back is another request.
 * Without a callback the fingerprint is what it always was, so keys remembered across an upgrade
 * still match their retries.
 */
export function fingerprintRequest(request: StoredRequest, callbackUrl?: string | null): string {
  const parts: unknown[] = [request.method.toUpperCase(), request.path, request.body ?? null];
  if (callbackUrl) parts.push({ callbackUrl });
  const canonical = canonicalJson(parts);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

/** JSON text of `value` with object keys sorted at every depth (undefined members dropped, as JSON does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, member: unknown) => {
    if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(member).sort()) sorted[key] = (member as Record<string, unknown>)[key];
    return sorted;
  });
}
