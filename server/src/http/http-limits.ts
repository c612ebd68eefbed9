/**
 * Timeouts and caps of the HTTP server: how long a client may take to send its headers and its
 * request, how long an idle connection stays open, how many connections are served at once, and
 * how many long polls one tenant may hold.
 */
import { DEFAULT_MAX_HELD_POLLS_PER_TENANT } from './held-polls.ts';

/** The HTTP server's timeouts and caps. */
export interface HttpLimits {
  /** Longest time to receive a request's headers (slow-header clients are cut off). @default 20_000 */
  headersTimeoutMs: number;
  /**
   * Longest time to receive a whole request, headers and body. Answers may take longer (a long poll
   * waits up to a minute): this bounds only what the client sends. @default 30_000
   */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. @default 5_000 */
  keepAliveTimeoutMs: number;
  /** Most connections served at once; further ones are closed as they arrive. @default 10_000 */
  maxConnections: number;
  /** Most long polls (`Prefer: wait`) one tenant holds at once; more are answered at once. @default 100 */
  maxHeldPollsPerTenant: number;
}

/** The defaults of {@link HttpLimits}. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  maxHeldPollsPerTenant: DEFAULT_MAX_HELD_POLLS_PER_TENANT,
};
