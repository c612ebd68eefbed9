/**
 * Which monitor changes are pushed (webhooks, callbacks): each time a monitor enters a new
 * {@link WebhookEventType}. Progress alone is not pushed (it is on the event stream and long polls).
 */
import type { OperationRecord } from '../operations/model.ts';
import type { WebhookEventType } from '../operations/ports/webhook-store.ts';

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
 * The body of a webhook delivery: the Standard Webhooks envelope around the monitor, which is
 * spliced in as stored (no re-serialisation).
 */
export function webhookEnvelope(type: WebhookEventType, timestamp: string, monitorJson: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(timestamp)},"data":${monitorJson}}`;
}
