/**
 * The stored shape of an operation: what the engine persists and every adapter round-trips.
 *
 * This is the engine's own model, independent of HTTP; `http/monitor-view.ts` renders it as the
 * spec's `Monitor`.
 */
import type { OperationState } from './state.ts';

/** An RFC 9457 problem document, as stored on a failed operation. */
export interface StoredProblem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

/** The state of one named workflow step. */
export type StepState = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

/** The outside request that completes a `waiting` step (an order's manual fulfilment). */
export interface StepAction {
  /** The action's name, as passed to `deliverAction` (absent on steps stored before it was added). */
  name?: string;
  method: string;
  path: string;
}

/** One named workflow step of an operation (a task's `workflow`). */
export interface StoredStep {
  name: string;
  state: StepState;
  title?: string;
  /** When `waiting`: the outside action that completes it (an order's manual fulfilment). */
  action?: StepAction | undefined;
}

/** A link from an operation to a resource it produced. */
export interface StoredLink {
  rel: string;
  href: string;
  title?: string;
}

/** The request that started an operation, echoed on its monitor (a task with workflow steps). */
export interface StoredRequest {
  method: string;
  path: string;
  body?: unknown;
  /**
   * The W3C trace context of the accepting request (`traceparent`, `tracestate`), so whatever
   * runs the operation later, here or in another process, can continue its trace. Not shown on
   * the monitor, not part of the idempotency fingerprint.
   */
  traceparent?: string;
  tracestate?: string;
}

/** Everything stored about one operation. */
export interface OperationRecord {
  /** Opaque, URL-safe, time-sortable id (`op_…`). */
  id: string;
  /** The tenant that owns it; other tenants never see it. */
  tenant: string;
  /** The registered kind that runs it, e.g. `car.create`. */
  kind: string;
  state: OperationState;
  /** Grows by one on every change; the monitor's ETag and SSE event id. */
  version: number;
  /** Handler input. */
  input: unknown;
  request: StoredRequest;
  progress: { percent: number; message?: string | undefined };
  steps: StoredStep[];
  /** Estimated completion (ISO 8601) or null when unknown. */
  estimatedCompletionAt: string | null;
  /** Inline result, when the outcome is data rather than a resource. */
  result: unknown;
  /** The created resource, when the operation created one (monitor answers 201 → it). */
  product: StoredLink | null;
  /** Further resources the operation produced (an order's widgets and invoice). */
  related: StoredLink[];
  error: StoredProblem | null;
  /** Set when a client asked to cancel; the handler's AbortSignal fires. */
  cancelRequested: boolean;
  /** One-at-a-time key: at most one active operation per (tenant, lockKey). */
  lockKey: string | null;
  /** Callback URL notified of every state change, or null. */
  callbackUrl: string | null;
  /** Outside actions delivered to a waiting step, by name. */
  actions: Record<string, unknown>;
  /** How many times a worker claimed it; > 1 after crash recovery. */
  attempts: number;
  /** Worker currently holding it, and until when (ISO 8601). */
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
