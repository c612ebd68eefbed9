import { describe, expect, it } from 'vitest';
import { eventTypeOf, isFinalEventType, pushMessageId, webhookEnvelope } from './push-events.ts';

describe('eventTypeOf', () => {
  it('is the state, or waiting while a running step waits for an outside action', () => {
    expect(eventTypeOf({ state: 'queued', steps: [] })).toBe('monitor.queued');
    expect(eventTypeOf({ state: 'running', steps: [{ name: 'a', state: 'running' }] })).toBe('monitor.running');
    expect(
      eventTypeOf({
        state: 'running',
        steps: [
          { name: 'a', state: 'succeeded' },
          { name: 'b', state: 'waiting' },
        ],
      }),
    ).toBe('monitor.waiting');
    expect(eventTypeOf({ state: 'succeeded', steps: [] })).toBe('monitor.succeeded');
    expect(eventTypeOf({ state: 'cancelled', steps: [{ name: 'b', state: 'waiting' }] })).toBe('monitor.cancelled');
  });

  it('marks only the ends as final', () => {
    expect(
      ['monitor.succeeded', 'monitor.failed', 'monitor.cancelled'].every((type) => isFinalEventType(type as never)),
    ).toBe(true);
    expect(isFinalEventType('monitor.waiting')).toBe(false);
  });
});

describe('pushMessageId', () => {
  it('is the same for the same change and fits the spec pattern', () => {
    expect(pushMessageId('op_01jabcdef0123456789abcdefg', 4)).toBe('msg_01jabcdef0123456789abcdefg_4');
    expect(pushMessageId('op_01jabcdef0123456789abcdefg', 4)).toMatch(/^msg_[0-9A-Za-z_]{10,80}$/);
  });
});

describe('webhookEnvelope', () => {
  it('wraps the stored monitor JSON as the Standard Webhooks payload', () => {
    const body = webhookEnvelope('monitor.running', '2031-05-06T07:08:09.000Z', '{"id":"op_1","state":"running"}');
    expect(JSON.parse(body)).toStrictEqual({
      type: 'monitor.running',
      timestamp: '2031-05-06T07:08:09.000Z',
      data: { id: 'op_1', state: 'running' },
    });
  });
});
