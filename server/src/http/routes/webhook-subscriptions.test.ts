import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../testing/webhook-receiver.ts';

const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

/** Outbound URLs no request may make the server call, when the operator allows nothing. */
const HOSTILE_URLS = [
  'http://127.0.0.1/hook',
  'http://localhost:8080/hook',
  'http://[::1]/hook',
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://2130706433/',
  'http://0x7f.1/',
  'http://017700000001/',
  'http://[::ffff:127.0.0.1]/',
  'http://10.0.0.1/',
  'http://192.168.1.1/',
  'http://172.16.0.1/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://[fe80::1]/',
  'http://0.0.0.0:3000/',
  'file:///etc/passwd',
  'ftp://files.example.com/x',
  'http://user:secret@hooks.example.com/',
];

describe('/webhook-subscriptions', { timeout: 30_000 }, () => {
  let t: TestServer;
  let hooks: WebhookReceiver;
  beforeAll(async () => {
    hooks = await startWebhookReceiver();
    t = await startTestServer({ push: { outboundAllow: '127.0.0.1', maxSubscriptionsPerTenant: 4 } });
  });
  afterAll(async () => {
    await t.stop();
    await hooks.close();
  });

  const create = (body: unknown, tenant: 'acme' | 'globex' = 'acme') =>
    fetch(`${t.url}/webhook-subscriptions`, { method: 'POST', headers: t.headers(tenant), body: JSON.stringify(body) });

  it('subscribes an endpoint, shows the secret once, and never again', async () => {
    const response = await create({
      url: `${hooks.origin}/one`,
      description: 'orders',
      eventTypes: ['monitor.succeeded'],
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(response.headers.get('location')).toBe(`/webhook-subscriptions/${created.id}`);
    expect(created).toStrictEqual({
      id: expect.stringMatching(/^whs_[0-9a-z]{26}$/),
      url: `${hooks.origin}/one`,
      description: 'orders',
      eventTypes: ['monitor.succeeded'],
      state: 'enabled',
      disabledReason: null,
      previousSecretExpiresAt: null,
      createdAt: expect.any(String),
      updatedAt: created.createdAt,
      links: {
        self: { href: `/webhook-subscriptions/${created.id}` },
        deliveries: { href: `/webhook-subscriptions/${created.id}/deliveries` },
      },
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const read = await (await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { headers: t.headers() })).json();
    const { secret: _, ...withoutSecret } = created;
    expect(read).toStrictEqual(withoutSecret);
    await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { method: 'DELETE', headers: t.headers() });
  });

  it('receives every event type unless told otherwise', async () => {
    const created = await (await create({ url: `${hooks.origin}/all` })).json();
    expect(created.eventTypes).toStrictEqual([
      'monitor.queued',
      'monitor.running',
      'monitor.waiting',
      'monitor.succeeded',
      'monitor.failed',
      'monitor.cancelled',
    ]);
    await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { method: 'DELETE', headers: t.headers() });
  });

  it('lists newest first with cursor pages, per tenant, without secrets', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1) made.push((await (await create({ url: `${hooks.origin}/list/${i}` })).json()).id);
    const first = await fetch(`${t.url}/webhook-subscriptions?limit=2`, { headers: t.headers() });
    const page = await first.json();
    expect(page.items.map((item: { id: string }) => item.id)).toStrictEqual([made[2], made[1]]);
    expect(page.items.some((item: object) => 'secret' in item)).toBe(false);
    expect(first.headers.get('link')).toBe(`<${page.next}>; rel="next"`);
    const second = await (await fetch(`${t.url}${page.next}`, { headers: t.headers() })).json();
    expect(second).toMatchObject({ items: [{ id: made[0] }], next: null });
    expect(
      (await (await fetch(`${t.url}/webhook-subscriptions`, { headers: t.headers('globex') })).json()).items,
    ).toStrictEqual([]);
    const bad = await fetch(`${t.url}/webhook-subscriptions?cursor=bm9wZQ`, { headers: t.headers() });
    expect(bad.status).toBe(400);
    for (const id of made)
      await fetch(`${t.url}/webhook-subscriptions/${id}`, { method: 'DELETE', headers: t.headers() });
  });

  it("deletes a subscription; another tenant's does not exist for the caller", async () => {
    const created = await (await create({ url: `${hooks.origin}/delete-me` })).json();
    for (const [method, path] of [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['GET', '/deliveries'],
    ] as const) {
      const foreign = await fetch(`${t.url}/webhook-subscriptions/${created.id}${path}`, {
        method,
        headers: t.headers('globex'),
      });
      expect(foreign.status, `${method} ${path}`).toBe(404);
    }
    const deleted = await fetch(`${t.url}/webhook-subscriptions/${created.id}`, {
      method: 'DELETE',
      headers: t.headers(),
    });
    expect(deleted.status).toBe(204);
    expect((await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { headers: t.headers() })).status).toBe(404);
    expect(
      (await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { method: 'DELETE', headers: t.headers() })).status,
    ).toBe(404);
  });

  it('rotates the secret: a new one, shown once, the old one valid until previousSecretExpiresAt', async () => {
    const created = await (await create({ url: `${hooks.origin}/rotate` })).json();
    const response = await fetch(`${t.url}/webhook-subscriptions/${created.id}/rotate-secret`, {
      method: 'POST',
      headers: t.headers(),
    });
    expect(response.status).toBe(200);
    const rotated = await response.json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.previousSecretExpiresAt) - Date.parse(rotated.updatedAt)).toBe(24 * 60 * 60 * 1000);
    await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { method: 'DELETE', headers: t.headers() });
  });

  it('refuses more subscriptions than a tenant may have', async () => {
    const made: string[] = [];
    for (let i = 0; i < 4; i += 1) made.push((await (await create({ url: `${hooks.origin}/limit/${i}` })).json()).id);
    const refused = await create({ url: `${hooks.origin}/limit/5` });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      type: 'https://longrun.dev/problems/webhook-subscription-limit',
      status: 409,
    });
    expect((await create({ url: `${hooks.origin}/limit/other` }, 'globex')).status).toBe(201);
    for (const id of made)
      await fetch(`${t.url}/webhook-subscriptions/${id}`, { method: 'DELETE', headers: t.headers() });
  });

  it('validates the request against the spec', async () => {
    const unknownType = await create({ url: `${hooks.origin}/x`, eventTypes: ['monitor.exploded'] });
    expect(unknownType.status).toBe(400);
    const extra = await create({ url: `${hooks.origin}/x`, secret: 'mine' });
    expect(extra.status).toBe(400);
    const noUrl = await create({ description: 'no url' });
    expect(noUrl.status).toBe(400);
  });

  it('refuses a URL, for a subscription or a callback, that normalising makes longer than an answer may show', async () => {
    // 1,000 characters as sent, 6,000 once percent-encoded: it would break every read of it.
    const url = `${hooks.origin}/${'ä'.repeat(1000)}`;
    const subscription = await create({ url });
    expect(subscription.status).toBe(400);
    expect((await subscription.json()).errors).toEqual([
      { pointer: '/body/url', message: expect.stringContaining('once normalised') },
    ]);
    const order = await fetch(`${t.url}/widget-orders`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ items: [{ sku: 'WID-BLUE-01', quantity: 1 }], callbackUrl: url }),
    });
    expect(order.status).toBe(400);
    expect((await order.json()).errors).toEqual([
      { pointer: '/body/callbackUrl', message: expect.stringContaining('once normalised') },
    ]);
    const listed = await fetch(`${t.url}/webhook-subscriptions`, { headers: t.headers() });
    expect(listed.status).toBe(200);
  });

  it('shows its delivery log', async () => {
    const created = await (await create({ url: `${hooks.origin}/log`, eventTypes: ['monitor.queued'] })).json();
    const car = await (
      await fetch(`${t.url}/cars`, { method: 'POST', headers: t.headers(), body: JSON.stringify(CAR) })
    ).json();
    await hooks.waitFor((all) => all.some((request) => request.path === '/log'));
    let items: { state: string }[] = [];
    while (items[0]?.state !== 'succeeded') {
      items = (await (await fetch(`${t.url}${created.links.deliveries.href}`, { headers: t.headers() })).json()).items;
    }
    expect(items).toStrictEqual([
      {
        id: expect.stringMatching(/^dlv_/),
        messageId: `msg_${car.id.slice(3)}_1`,
        eventType: 'monitor.queued',
        monitorId: car.id,
        monitorVersion: 1,
        state: 'succeeded',
        attempts: 1,
        nextAttemptAt: null,
        lastAttemptAt: expect.any(String),
        lastStatus: 204,
        lastError: null,
        createdAt: car.createdAt,
        finishedAt: expect.any(String),
      },
    ]);
    await fetch(`${t.url}/webhook-subscriptions/${created.id}`, { method: 'DELETE', headers: t.headers() });
  });

  it('lets browsers send Callback-Url and DELETE', async () => {
    const preflight = await fetch(`${t.url}/webhook-subscriptions/whs_01jabcdef0123456789abcdefg`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'DELETE',
        'Access-Control-Request-Headers': 'callback-url',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Callback-Url');
  });
});

describe('outbound URLs when the operator allows nothing', { timeout: 30_000 }, () => {
  let t: TestServer;
  let redirecting: WebhookReceiver;
  beforeAll(async () => {
    redirecting = await startWebhookReceiver();
    redirecting.answer(() => ({ status: 302, headers: { location: 'http://169.254.169.254/' } }));
    // An explicit empty list: the LONGRUN_OUTBOUND_ALLOW of whoever runs the tests does not apply.
    t = await startTestServer({ push: { outboundAllow: [] } });
  });
  afterAll(async () => {
    await t.stop();
    await redirecting.close();
  });

  it.each([...HOSTILE_URLS, 'REDIRECTING'])('refuses %s as a webhook endpoint and as a callback', async (given) => {
    const url = given === 'REDIRECTING' ? `${redirecting.origin}/hook` : given;
    const subscription = await fetch(`${t.url}/webhook-subscriptions`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ url }),
    });
    expect(subscription.status).toBe(400);
    expect((await subscription.json()).errors).toMatchObject([
      { pointer: '/body/url', message: expect.stringMatching(/^refused: /) },
    ]);

    const callback = await fetch(`${t.url}/cars`, {
      method: 'POST',
      headers: t.headers('acme', { 'Callback-Url': url }),
      body: JSON.stringify(CAR),
    });
    expect(callback.status).toBe(400);
    expect((await callback.json()).errors).toMatchObject([
      { pointer: '/headers/callback-url', message: expect.stringMatching(/^refused: /) },
    ]);

    const inBody = await fetch(`${t.url}/widget-orders`, {
      method: 'POST',
      headers: t.headers(),
      body: JSON.stringify({ items: [{ sku: 'WID-BLUE-01', quantity: 1 }], callbackUrl: url }),
    });
    expect(inBody.status).toBe(400);
    expect((await inBody.json()).errors).toMatchObject([{ pointer: '/body/callbackUrl' }]);
    expect(redirecting.received).toStrictEqual([]);
  });

  it('accepted nothing for any of them', async () => {
    const monitors = await (await fetch(`${t.url}/monitors`, { headers: t.headers() })).json();
    expect(monitors.items).toStrictEqual([]);
  });

  it('refuses a Callback-Url that differs from the body callbackUrl', async () => {
    const response = await fetch(`${t.url}/widget-orders`, {
      method: 'POST',
      headers: t.headers('acme', { 'Callback-Url': 'https://a.example.com/cb' }),
      body: JSON.stringify({ items: [{ sku: 'WID-BLUE-01', quantity: 1 }], callbackUrl: 'https://b.example.com/cb' }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toMatchObject([{ pointer: '/headers/callback-url' }]);
  });
});
