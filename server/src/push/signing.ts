/**
 * Standard Webhooks signing: `webhook-id`, `webhook-timestamp` and `webhook-signature` headers,
 * made with the reference library, so any Standard Webhooks verifier accepts them.
 *
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { SigningSecrets } from '../operations/ports/webhook-store.ts';

/** The prefix of a Standard Webhooks secret. */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 32 random bytes in base64 (a 256-bit HMAC-SHA256 key). */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The secrets that sign at `now`: the current one, and the previous one until it expires (so a
 * receiver can move to a rotated secret at its own pace).
 */
export function activeSecrets(secrets: SigningSecrets, now: Date): string[] {
  const active = [secrets.current];
  if (
    secrets.previous !== null &&
    secrets.previousExpiresAt !== null &&
    Date.parse(secrets.previousExpiresAt) > now.getTime()
  ) {
    active.push(secrets.previous);
  }
  return active;
}

/**
 * The signature headers of one attempt: the message id (the same on every retry), the attempt's
 * time, and one `v1,<base64>` signature per active secret, space-separated.
 */
export function signatureHeaders(
  secrets: SigningSecrets,
  messageId: string,
  body: string,
  now: Date,
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  const signature = activeSecrets(secrets, now)
    .map((secret) => new Webhook(secret).sign(messageId, now, body))
    .join(' ');
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
