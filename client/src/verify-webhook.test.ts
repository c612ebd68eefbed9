import { Webhook } from 'standardwebhooks';
import { describe, expect, test } from 'vitest';
import { LongrunError } from './errors.ts';
import { verifyCallback, verifyWebhook, WebhookVerificationError } from './verify-webhook.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw8z1QTdY+h1U=';
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

const MONITOR = {
  id: 'op_01jabcdef0123456789abcdefg',
  kind: 'car.create',
  state: 'succeeded',
  progress: { percent: 100 },
  estimatedCompletionAt: null,
  steps: [],
  request: { method: 'POST', path: '/cars' },
  cancelRequested: false,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:09.000Z',
  startedAt: '2026-11-22T10:00:00.010Z',
  finishedAt: '2026-11-22T10:00:09.000Z',
  links: { self: { href: '/monitors/op_01jabcdef0123456789abcdefg' } },
};
const EVENT = { type: 'monitor.succeeded', timestamp: '2026-11-22T10:00:09.000Z', data: MONITOR };

/** Headers as a longrun server sends them, signed by the reference library. */
function signed(body: string, secrets: readonly string[] = [SECRET], at = new Date()): Record<string, string> {
  return {
    'webhook-id': 'msg_01jabcdef0123456789abcdefg_4',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets
      .map((secret) => new Webhook(secret).sign('msg_01jabcdef0123456789abcdefg_4', at, body))
      .join(' '),
  };
}

function failure(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

describe('verifyWebhook', () => {
  const body = JSON.stringify(EVENT);

  test('returns the typed event of an authentic delivery', () => {
    const event = verifyWebhook(body, signed(body), SECRET);
    expect(event).toStrictEqual(EVENT);
    expect(event.type).toBe('monitor.succeeded');
    expect(event.data.id).toBe(MONITOR.id);
  });

  test('takes fetch Headers, Node headers in any case, and the body as bytes', () => {
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(signed(body)), SECRET)).toStrictEqual(EVENT);
    const shouting = Object.fromEntries(
      Object.entries(signed(body)).map(([name, value]) => [name.toUpperCase(), [value]]),
    );
    expect(verifyWebhook(body, shouting, SECRET)).toStrictEqual(EVENT);
  });

  test('accepts either secret during a rotation, and a delivery signed with both', () => {
    expect(verifyWebhook(body, signed(body, [OTHER]), [SECRET, OTHER])).toStrictEqual(EVENT);
    expect(verifyWebhook(body, signed(body, [OTHER, SECRET]), SECRET)).toStrictEqual(EVENT);
  });

  test('refuses a body changed after signing, another secret, and missing headers', () => {
    const headers = signed(body);
    expect(failure(() => verifyWebhook(body.replace('succeeded', 'failed'), headers, SECRET)).message).toBe(
      'The delivery could not be verified: No matching signature found.',
    );
    expect(failure(() => verifyWebhook(body, headers, OTHER)).message).toMatch(/No matching signature/);
    expect(failure(() => verifyWebhook(body, { 'webhook-id': headers['webhook-id'] ?? '' }, SECRET)).message).toMatch(
      /Missing required headers/,
    );
    expect(failure(() => verifyWebhook(body, headers, []))).toBeInstanceOf(LongrunError);
  });

  test('refuses a replay: a timestamp more than five minutes old', () => {
    const old = new Date(Date.now() - 10 * 60 * 1000);
    expect(failure(() => verifyWebhook(body, signed(body, [SECRET], old), SECRET)).message).toMatch(
      /timestamp too old/,
    );
  });

  test('refuses an authentic body that is not a monitor event', () => {
    const notAnEvent = JSON.stringify({ type: 'invoice.paid', timestamp: EVENT.timestamp, data: MONITOR });
    expect(failure(() => verifyWebhook(notAnEvent, signed(notAnEvent), SECRET)).message).toBe(
      'The signed body is not a monitor event.',
    );
    const bare = JSON.stringify(MONITOR);
    expect(() => verifyWebhook(bare, signed(bare), SECRET)).toThrow(WebhookVerificationError);
  });
});

describe('verifyCallback', () => {
  test('returns the monitor a callback carries', () => {
    const body = JSON.stringify(MONITOR);
    expect(verifyCallback(body, signed(body), SECRET)).toStrictEqual(MONITOR);
  });

  test('refuses a webhook envelope, which is not a monitor', () => {
    const body = JSON.stringify({ hello: 'world' });
    expect(failure(() => verifyCallback(body, signed(body), SECRET)).message).toBe('The signed body is not a monitor.');
  });
});
