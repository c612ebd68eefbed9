import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { activeSecrets, newSigningSecret, signatureHeaders } from './signing.ts';

const BODY = '{"type":"monitor.succeeded","timestamp":"2031-05-06T07:08:09.000Z","data":{"id":"op_1"}}';

describe('newSigningSecret', () => {
  it('makes a Standard Webhooks secret of 32 random bytes, different each time', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newSigningSecret()).not.toBe(secret);
  });
});

describe('signatureHeaders', () => {
  it('signs so that the reference library verifies the body', () => {
    const secret = newSigningSecret();
    const now = new Date();
    const headers = signatureHeaders(
      { current: secret, previous: null, previousExpiresAt: null },
      'msg_abc_1',
      BODY,
      now,
    );
    expect(headers['webhook-id']).toBe('msg_abc_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(new Webhook(secret).verify(BODY, headers)).toStrictEqual(JSON.parse(BODY));
  });

  it('is refused by the reference library for another body, id or secret', () => {
    const secret = newSigningSecret();
    const headers = signatureHeaders(
      { current: secret, previous: null, previousExpiresAt: null },
      'msg_abc_1',
      BODY,
      new Date(),
    );
    expect(() => new Webhook(secret).verify(`${BODY} `, headers)).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(BODY, { ...headers, 'webhook-id': 'msg_abc_2' })).toThrow(
      'No matching signature found',
    );
    expect(() => new Webhook(newSigningSecret()).verify(BODY, headers)).toThrow('No matching signature found');
  });

  it('signs with the old and the new secret while a rotated-out secret is still valid', () => {
    const [old, fresh] = [newSigningSecret(), newSigningSecret()];
    const now = new Date();
    const secrets = { current: fresh, previous: old, previousExpiresAt: new Date(now.getTime() + 1000).toISOString() };
    const headers = signatureHeaders(secrets, 'msg_abc_1', BODY, now);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(fresh).verify(BODY, headers)).toBeTruthy();
    expect(new Webhook(old).verify(BODY, headers)).toBeTruthy();
  });
});

describe('activeSecrets', () => {
  it('drops the previous secret once it expired', () => {
    const now = new Date('2031-05-06T07:08:09.000Z');
    expect(
      activeSecrets({ current: 'a', previous: 'b', previousExpiresAt: '2031-05-06T07:08:09.000Z' }, now),
    ).toStrictEqual(['a']);
    expect(
      activeSecrets({ current: 'a', previous: 'b', previousExpiresAt: '2031-05-06T07:08:09.001Z' }, now),
    ).toStrictEqual(['a', 'b']);
    expect(activeSecrets({ current: 'a', previous: null, previousExpiresAt: null }, now)).toStrictEqual(['a']);
  });
});
