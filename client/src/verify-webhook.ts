/**
 * For receivers: checks the Standard Webhooks signature of a webhook delivery or a callback and
 * returns its typed payload. Pass the body exactly as received (the raw text or bytes, not JSON
 * parsed and serialised again), the request's headers, and the secret: the subscription's (shown
 * when it was made or its secret rotated) for webhooks, `GET /callback-secret` for callbacks.
 *
 * Runs in browsers, Node, Deno, Bun and edge runtimes (no Node module).
 *
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
import { Webhook } from 'standardwebhooks';
import { LongrunError } from './errors.ts';
import type { AnyMonitor, components } from './types.ts';

/** The body of a webhook delivery: what happened (`type`), when, and the monitor at that moment. */
export type MonitorEvent = components['schemas']['MonitorEvent'];

/** What happened to a monitor: `monitor.queued`, `monitor.running`, `monitor.waiting` or one of its ends. */
export type WebhookEventType = components['schemas']['WebhookEventType'];

/** Request headers as a `Headers` object (fetch, edge runtimes) or a plain object (Node's `req.headers`). */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** A secret, or several while a rotation is under way (any one that matches will do). */
export type WebhookSecret = string | readonly string[];

const EVENT_TYPES: ReadonlySet<string> = new Set<WebhookEventType>([
  'monitor.queued',
  'monitor.running',
  'monitor.waiting',
  'monitor.succeeded',
  'monitor.failed',
  'monitor.cancelled',
]);

/**
 * A delivery failed verification: a signature header is missing, no signature matches any of the
 * secrets, the timestamp is more than 5 minutes off (a replay), or the body is not what a longrun
 * server sends. Answer such a request with 400 or 401 and do not act on it.
 */
export class WebhookVerificationError extends LongrunError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'WebhookVerificationError';
  }
}

/**
 * Verifies a webhook delivery and returns its event, typed.
 *
 * @throws WebhookVerificationError when the delivery is not authentic or not a monitor event.
 * @example
 * // Express, with the raw body: app.post('/hooks', express.text({ type: 'application/json' }), …)
 * const event = verifyWebhook(req.body, req.headers, process.env.LONGRUN_WEBHOOK_SECRET);
 * if (event.type === 'monitor.succeeded') await ship(event.data);
 */
export function verifyWebhook(body: string | Uint8Array, headers: WebhookHeaders, secret: WebhookSecret): MonitorEvent {
  const payload = verifiedPayload(body, headers, secret);
  if (!isMonitorEvent(payload)) throw new WebhookVerificationError('The signed body is not a monitor event.');
  return payload;
}

/**
 * Verifies a callback (the monitor POSTed to a request's `Callback-Url`) and returns the monitor.
 *
 * @throws WebhookVerificationError when the callback is not authentic or not a monitor.
 * @example
 * const monitor = verifyCallback(await request.text(), request.headers, callbackSecret);
 */
export function verifyCallback(body: string | Uint8Array, headers: WebhookHeaders, secret: WebhookSecret): AnyMonitor {
  const payload = verifiedPayload(body, headers, secret);
  if (!isMonitor(payload)) throw new WebhookVerificationError('The signed body is not a monitor.');
  return payload;
}

function verifiedPayload(body: string | Uint8Array, headers: WebhookHeaders, secret: WebhookSecret): unknown {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const signed = {
    'webhook-id': header(headers, 'webhook-id'),
    'webhook-timestamp': header(headers, 'webhook-timestamp'),
    'webhook-signature': header(headers, 'webhook-signature'),
  };
  const secrets = typeof secret === 'string' ? [secret] : [...secret];
  if (secrets.length === 0) throw new WebhookVerificationError('No secret to verify the delivery with.');
  let failure: unknown;
  for (const candidate of secrets) {
    try {
      return new Webhook(candidate).verify(text, signed);
    } catch (error) {
      failure = error;
    }
  }
  const reason = failure instanceof Error ? failure.message : String(failure);
  throw new WebhookVerificationError(`The delivery could not be verified: ${reason}.`, { cause: failure });
}

function header(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? '';
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

function isMonitor(value: unknown): value is AnyMonitor {
  if (typeof value !== 'object' || value === null) return false;
  const monitor = value as Record<string, unknown>;
  return typeof monitor.id === 'string' && typeof monitor.kind === 'string' && typeof monitor.state === 'string';
}

function isMonitorEvent(value: unknown): value is MonitorEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.type === 'string' &&
    EVENT_TYPES.has(event.type) &&
    typeof event.timestamp === 'string' &&
    isMonitor(event.data)
  );
}
