/**
 * The closed set of operation states and the transitions between them.
 *
 * `queued` → `running` → `succeeded` | `failed` | `cancelled`; a queued operation may also be
 * cancelled or failed directly, and a running one may go back to `queued` when its worker's lease
 * expires (crash recovery re-runs it).
 *
 * Contract: "The monitor" of the async contract, as openapi/openapi.yaml states it.
 */
import { LongrunServerError } from './longrun-server-error.ts';

/** Every state an operation can be in. */
export const OPERATION_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** One state of an operation. */
export type OperationState = (typeof OPERATION_STATES)[number];

/** The states an operation never leaves. */
export type TerminalState = Extract<OperationState, 'succeeded' | 'failed' | 'cancelled'>;

/** The states of work still to be done. */
export type ActiveState = Exclude<OperationState, TerminalState>;

const LEGAL_TRANSITIONS: Readonly<Record<OperationState, readonly OperationState[]>> = {
  queued: ['running', 'cancelled', 'failed'],
  // running → queued: the lease expired and the operation is handed to another worker.
  running: ['succeeded', 'failed', 'cancelled', 'queued'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

/** True when `state` is terminal: the operation is finished and never changes again. */
export function isTerminal(state: OperationState): state is TerminalState {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/** True when an operation may move from `from` to `to`. */
export function canTransition(from: OperationState, to: OperationState): boolean {
  return LEGAL_TRANSITIONS[from].includes(to);
}

/** Thrown when code asks for a transition the state machine forbids. */
export class IllegalTransitionError extends LongrunServerError {
  override readonly name = 'IllegalTransitionError';
  readonly code = 'illegal-transition';
  readonly from: OperationState;
  readonly to: OperationState;
  constructor(from: OperationState, to: OperationState) {
    super(`illegal operation transition ${from} → ${to}`);
    this.from = from;
    this.to = to;
  }
}

/** Throws {@link IllegalTransitionError} unless `from` → `to` is legal. */
export function assertTransition(from: OperationState, to: OperationState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}
