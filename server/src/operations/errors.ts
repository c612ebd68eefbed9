/**
 * Errors the operations layer throws at its callers (handlers and the HTTP layer).
 */
import { LongrunServerError } from './longrun-server-error.ts';

/**
 * The worker no longer holds the operation's lease (it expired and another attempt took over, or
 * the operation ended): the handler's signal aborts with this, and its further writes throw it.
 */
export class LeaseLostError extends LongrunServerError {
  override readonly name = 'LeaseLostError';
  readonly code = 'lease-lost';
  readonly operationId: string;
  constructor(operationId: string, message = `lost the lease on operation ${operationId}`) {
    super(message);
    this.operationId = operationId;
  }
}

/** The engine was asked to accept an operation of a kind nobody registered (a wiring bug). */
export class UnknownKindError extends LongrunServerError {
  override readonly name = 'UnknownKindError';
  readonly code = 'unknown-kind';
  readonly kind: string;
  constructor(kind: string) {
    super(`no operation kind named ${kind} is registered`);
    this.kind = kind;
  }
}

/** The reason a handler's signal aborts with when a client asked to cancel its operation. */
export function cancelRequestedReason(): DOMException {
  return new DOMException('cancellation of the operation was requested', 'AbortError');
}

/** The reason a handler's signal aborts with when its worker is stopping. */
export function workerStoppingReason(): DOMException {
  return new DOMException('the worker is stopping', 'AbortError');
}

/**
 * The store could not be reached or lost its connection in the middle of a request (a database
 * restart, a connection ended by the server, a transaction left idle too long). Nothing was
 * written unless the store says otherwise; the request can be retried. The HTTP layer answers
 * `503 store-unavailable` with `Retry-After`.
 */
export class StoreUnavailableError extends LongrunServerError {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store-unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
