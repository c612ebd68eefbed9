/**
 * What every route module is built with.
 */

import type { OperationEngine } from '../operations/engine.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { Clock } from '../operations/ports/clock.ts';
import type { OutboundGuard } from '../push/ssrf-guard.ts';
import type { AnswerBounds } from './answer-bounds.ts';
import type { AnyMonitor } from './api-types.ts';
import type { RetryAfterBounds } from './headers.ts';
import type { HeldPolls } from './held-polls.ts';

/** Shared dependencies and settings of the routes. */
export interface HttpContext {
  engine: OperationEngine;
  clock: Clock;
  retryAfter: RetryAfterBounds;
  /** Longest `Prefer: wait` honoured, in seconds. @default 60 */
  maxWaitSeconds: number;
  /** Checks callback URLs (`Callback-Url`, `callbackUrl`); without it, a request naming one is refused. */
  outboundGuard?: OutboundGuard | undefined;
  /** How long stored values may be, so every answer that shows them keeps to the spec. */
  bounds: AnswerBounds;
  /** The long polls (`Prefer: wait`) each tenant holds open, capped per tenant. */
  heldPolls: HeldPolls;
  /** Renders an operation as its monitor, linking only the monitor routes this server serves. */
  toMonitor: (operation: OperationRecord) => AnyMonitor;
}
