/**
 * Callbacks (an order readable during and after fulfilment): a request names a URL, and the monitor is POSTed there each time it enters
 * a new state. This module checks such a URL when the request arrives and keeps the tenant's
 * callback signing secret; the delivery itself is the dispatcher's.
 *
 * @see ../../../docs/decisions/0002-push-sse-callbacks-webhooks.md
 */
import type { SigningSecrets, WebhookStore } from '../operations/ports/webhook-store.ts';
import { newSigningSecret } from './signing.ts';
import type { OutboundGuard } from './ssrf-guard.ts';

/** How long a rotated-out secret keeps signing: 24 hours. */
export const DEFAULT_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/**
 * Checks a callback URL with the SSRF guard and returns it normalised (as it will be requested).
 *
 * @throws OutboundRefusedError saying why the URL is refused.
 */
export async function checkCallbackUrl(guard: OutboundGuard, url: string): Promise<string> {
  return (await guard.check(url)).url.href;
}

/** The tenant's callback signing secrets, made on first use. */
export async function callbackSecrets(store: WebhookStore, tenant: string, now: Date): Promise<SigningSecrets> {
  return (await store.getCallbackSecrets(tenant)) ?? store.ensureCallbackSecrets(tenant, newSigningSecret(), now);
}

/** Gives the tenant's callbacks a new secret; the old one keeps signing for `graceMs`. */
export function rotateCallbackSecrets(
  store: WebhookStore,
  tenant: string,
  now: Date,
  graceMs: number,
): Promise<SigningSecrets> {
  return store.rotateCallbackSecrets(tenant, newSigningSecret(), new Date(now.getTime() + graceMs).toISOString(), now);
}
