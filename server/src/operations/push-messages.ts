/**
 * Which operation changes are pushed (webhooks, callbacks), decided by the core so every store
 * queues them by the same rule in the transaction of the change itself (the outbox, see
 * docs/decisions/0012-push-outbox.md): a change is pushed when the monitor enters a new
 * {@link WebhookEventType}. Progress alone is not pushed (it is on the event stream and long polls).
 */
import type { OperationRecord } from './model.ts';
import type { WebhookEventType } from './ports/webhook-store.ts';

/** The event type an operation is in: its state, with `waiting` while a step waits for an outside action. */
export function eventTypeOf(operation: Pick<OperationRecord, 'state' | 'steps'>): WebhookEventType {
  if (operation.state === 'running' && operation.steps.some((step) => step.state === 'waiting'))
    return 'monitor.waiting';
  return `monitor.${operation.state}`;
}

/** True for the types after which an operation changes no more. */
export function isFinalEventType(type: WebhookEventType): boolean {
  return type === 'monitor.succeeded' || type === 'monitor.failed' || type === 'monitor.cancelled';
}

/**
 * The message id (`webhook-id`) of an operation's change at `version`: deterministic, so the same
 * change is queued once however often it is seen, and every retry carries the same id.
 */
export function pushMessageId(operationId: string, version: number): string {
  return `msg_${operationId.replace(/^op_/, '')}_${version}`;
}

/**
 * The event type `next` entered, when writing it over `previous` (undefined for a new operation)
 * is a change worth pushing; undefined when it is not (the same type, or no new version).
 */
export function enteredEventType(
  previous: Pick<OperationRecord, 'state' | 'steps' | 'version'> | undefined,
  next: Pick<OperationRecord, 'state' | 'steps' | 'version'>,
): WebhookEventType | undefined {
  const type = eventTypeOf(next);
  if (previous === undefined) return type;
  if (next.version === previous.version) return undefined;
  return eventTypeOf(previous) === type ? undefined : type;
}
