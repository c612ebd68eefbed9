/**
 * The settings of push delivery (SSE, callbacks, webhooks) and what the HTTP routes are given.
 */
import type { WebhookStore } from '../operations/ports/webhook-store.ts';
import type { RetryPolicy } from './retry-policy.ts';
import type { OutboundGuard, ResolveHost } from './ssrf-guard.ts';

/** How push delivery is set up; everything has a working default. */
export interface PushOptions {
  /**
   * Addresses, CIDR ranges and host names outbound requests may reach although they are not public
   * (e.g. `127.0.0.1` for test receivers). @default none
   * (`loadConfig` reads them from `LONGRUN_OUTBOUND_ALLOW`)
   */
  outboundAllow?: string | readonly string[] | undefined;
  /**
   * `LONGRUN_SECRET_KEY`: base64 AES-256 keys (comma- or space-separated) that encrypt signing
   * secrets at rest; the first encrypts, all decrypt. @default none: secrets are stored as they are
   * (a warning is logged at startup)
   */
  secretKey?: string | undefined;
  /** Resolves host names for the SSRF guard. @default the system resolver */
  resolve?: ResolveHost | undefined;
  /** Retries of failed deliveries. @default 5 s doubling to 1 h, 16 attempts */
  retry?: Partial<RetryPolicy> | undefined;
  /** How long one delivery attempt may take. @default 10_000 */
  timeoutMs?: number | undefined;
  /** Most delivery attempts in flight in this process. @default 16 */
  concurrency?: number | undefined;
  /** Backstop poll of the delivery queue (for deliveries queued by other processes). @default 1_000 */
  pollIntervalMs?: number | undefined;
  /** How long a claimed delivery is held. @default max(60_000, 3 × timeoutMs) */
  leaseMs?: number | undefined;
  /** How long finished deliveries stay in the log. @default 7 days */
  deliveryRetentionMs?: number | undefined;
  /** `[0, 1)` for the backoff jitter. @default Math.random */
  random?: (() => number) | undefined;
  /** How long a rotated-out secret keeps signing. @default 86_400_000 (24 h) */
  secretGraceMs?: number | undefined;
  /** Most webhook subscriptions per tenant. @default 25 */
  maxSubscriptionsPerTenant?: number | undefined;
  /** A comment on an idle event stream this often. @default 15_000 */
  keepAliveMs?: number | undefined;
  /** The `retry:` an event stream advises (reconnection delay). @default 2_000 */
  reconnectMs?: number | undefined;
  /** Most event streams open at once per tenant in this process. @default 100 */
  maxStreamsPerTenant?: number | undefined;
}

/** What the push routes are built with. */
export interface PushContext {
  webhooks: WebhookStore;
  guard: OutboundGuard;
  secretGraceMs: number;
  maxSubscriptionsPerTenant: number;
  keepAliveMs: number;
  reconnectMs: number;
  maxStreamsPerTenant: number;
}
