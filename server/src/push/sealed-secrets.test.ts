import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWebhookStoreConformance } from '@longrun/server/testing';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { providesWebhookStore } from '../operations/ports/webhook-store.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { startTestServer } from '../testing/test-server.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';
import { parseSecretKeys, SecretBox, SecretKeyError, sealedWebhookStore } from './sealed-secrets.ts';

const OLD = 'q2Vd0cHc4Q0Yc3Q1dWVhZ3N0cnVnZ2xlZmlzaGJvd2w=';
const NEW = 'bmV3IGtleSBmb3Igc2lnbmluZyBzZWNyZXRzIGF0IHI=';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// The wrapped store still behaves as the port says, on a real store.
describeWebhookStoreConformance('sqlite, secrets sealed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-sealed-webhooks-'));
  const store = await createSqliteStore({ dataDir: dir });
  return {
    store: sealedWebhookStore(store.webhooks, new SecretBox(parseSecretKeys(NEW))),
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SecretBox', () => {
  it('seals with a fresh IV each time and opens what it sealed', () => {
    const box = new SecretBox(parseSecretKeys(NEW));
    const a = box.seal(SECRET);
    const b = box.seal(SECRET);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET.slice(6));
    expect(a).toMatch(/^lrsec1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(box.open(a)).toBe(SECRET);
    expect(box.isCurrent(a)).toBe(true);
  });

  it('rotates: a new key first seals, the old one still opens, and dropping it is refused loudly', () => {
    const before = new SecretBox(parseSecretKeys(OLD)).seal(SECRET);
    const during = new SecretBox(parseSecretKeys(`${NEW}, ${OLD}`));
    expect(during.open(before)).toBe(SECRET);
    expect(during.isCurrent(before)).toBe(false);
    expect(during.isCurrent(during.seal(SECRET))).toBe(true);
    expect(() => new SecretBox(parseSecretKeys(NEW)).open(before)).toThrow(SecretKeyError);
  });

  it('refuses an altered value and reads a secret stored before encryption as it is', () => {
    const box = new SecretBox(parseSecretKeys(NEW));
    const sealed = box.seal(SECRET);
    const last = sealed.at(-2) === 'A' ? 'B' : 'A';
    expect(() => box.open(`${sealed.slice(0, -2)}${last}${sealed.at(-1)}`)).toThrow(SecretKeyError);
    expect(box.open(SECRET)).toBe(SECRET);
  });

  it('takes only 32-byte base64 keys', () => {
    expect(() => parseSecretKeys('c2hvcnQ=')).toThrow(/not 32/);
    expect(parseSecretKeys(` ${NEW},${OLD} `)).toHaveLength(2);
    expect(parseSecretKeys('')).toHaveLength(0);
  });
});

describe('sealedWebhookStore on SQLite', () => {
  it('keeps only ciphertext in the store and hands out the secrets to sign with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-sealed-'));
    const store = await createSqliteStore({ dataDir: dir });
    try {
      const sealed = sealedWebhookStore(store.webhooks, new SecretBox(parseSecretKeys(NEW)));
      const now = new Date('2026-01-01T00:00:00.000Z');
      const made = await sealed.createSubscription(
        {
          id: 'whs_01',
          tenant: 'acme',
          url: 'https://example.com/hooks',
          description: null,
          eventTypes: ['monitor.succeeded'],
          secret: SECRET,
          createdAt: now.toISOString(),
        },
        25,
      );
      expect(made !== 'limit-reached' && made.secrets.current).toBe(SECRET);
      const raw = await store.webhooks.getSubscription('acme', 'whs_01');
      expect(raw?.secrets.current).toMatch(/^lrsec1\./);
      expect(raw?.secrets.current).not.toContain(SECRET.slice(6));

      const rotated = await sealed.rotateSubscriptionSecret(
        'acme',
        'whs_01',
        'whsec_second',
        '2026-01-02T00:00:00.000Z',
        now,
      );
      expect(rotated?.secrets).toMatchObject({ current: 'whsec_second', previous: SECRET });
      const rawRotated = await store.webhooks.getSubscription('acme', 'whs_01');
      expect(rawRotated?.secrets.previous).toMatch(/^lrsec1\./);

      const callback = await sealed.ensureCallbackSecrets('acme', 'whsec_callback', now);
      expect(callback.current).toBe('whsec_callback');
      expect((await store.webhooks.getCallbackSecrets('acme'))?.current).toMatch(/^lrsec1\./);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a server with LONGRUN_SECRET_KEY', { timeout: 30_000 }, () => {
  it('signs deliveries with the secret it showed, while the store holds it sealed', async () => {
    const hooks = await startWebhookReceiver();
    const t = await startTestServer({ push: { outboundAllow: '127.0.0.1', secretKey: `${NEW},${OLD}` } });
    try {
      const made = await fetch(`${t.url}/webhook-subscriptions`, {
        method: 'POST',
        headers: t.headers(),
        body: JSON.stringify({ url: `${hooks.origin}/sealed`, eventTypes: ['monitor.queued'] }),
      });
      expect(made.status).toBe(201);
      const { id, secret } = (await made.json()) as { id: string; secret: string };
      const car = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
      expect(
        (await fetch(`${t.url}/cars`, { method: 'POST', headers: t.headers(), body: JSON.stringify(car) })).status,
      ).toBe(202);
      const received = await hooks.waitFor((all) => all.some((request) => request.path === '/sealed'));
      const delivery = received.find((request) => request.path === '/sealed');
      expect(() =>
        new Webhook(secret).verify(delivery?.body ?? '', delivery?.headers as Record<string, string>),
      ).not.toThrow();

      const store = t.server.store;
      if (!providesWebhookStore(store)) throw new Error('the SQLite store keeps webhook data');
      const raw = await store.webhooks.getSubscription('acme', id);
      expect(raw?.secrets.current).toMatch(/^lrsec1\./);
    } finally {
      await t.stop();
      await hooks.close();
    }
  });
});
