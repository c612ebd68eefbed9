/**
 * Which monitor changes are pushed (webhooks, callbacks): each time a monitor enters a new
 * {@link WebhookEventType}. Progress alone is not pushed (it is on the event stream and long polls).
 */
import type { WebhookEventType } from '../operations/ports/webhook-store.ts';

// The rule of which changes are pushed belongs to the core: stores apply it when they queue.
export { eventTypeOf, isFinalEventType, pushMessageId } from '../operations/push-messages.ts';

/**
 * The body of a webhook delivery: the Standard Webhooks envelope around the monitor, which is
 * spliced in as stored (no re-serialisation).
 */
export function webhookEnvelope(type: WebhookEventType, timestamp: string, monitorJson: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(timestamp)},"data":${monitorJson}}`;
}
