import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { OutboundRequestError, postToTarget } from './outbound-post.ts';
import type { CheckedTarget } from './ssrf-guard.ts';

function target(url: string, address = '127.0.0.1'): CheckedTarget {
  const parsed = new URL(url);
  return { url: parsed, hostname: parsed.hostname, address, family: 4 };
}

describe('postToTarget', () => {
  const receivers: WebhookReceiver[] = [];
  async function receiver(): Promise<WebhookReceiver> {
    const started = await startWebhookReceiver();
    receivers.push(started);
    return started;
  }
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  it('POSTs the body with the headers and resolves with the status', async () => {
    const hooks = await receiver();
    hooks.answer(() => 202);
    const status = await postToTarget(
      target(`${hooks.origin}/hook?x=1`),
      '{"a":1}',
      { 'content-type': 'application/json' },
      { timeoutMs: 5000 },
    );
    expect(status).toBe(202);
    expect(hooks.received).toMatchObject([
      {
        method: 'POST',
        path: '/hook?x=1',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json', 'content-length': '7' },
      },
    ]);
  });

  it('connects to the checked address, whatever the name in the URL, and sends that name as Host', async () => {
    const hooks = await receiver();
    // `receiver.invalid` resolves nowhere: only the checked address makes this reach the receiver.
    const status = await postToTarget(
      target(`http://receiver.invalid:${hooks.port}/hook`),
      '{}',
      {},
      { timeoutMs: 5000 },
    );
    expect(status).toBe(204);
    expect(hooks.received[0]?.headers.host).toBe(`receiver.invalid:${hooks.port}`);
  });

  it('follows no redirect: a 302 is just an answer', async () => {
    const [hooks, elsewhere] = [await receiver(), await receiver()];
    hooks.answer(() => ({ status: 302, headers: { location: `${elsewhere.origin}/stolen` } }));
    expect(await postToTarget(target(`${hooks.origin}/hook`), '{}', {}, { timeoutMs: 5000 })).toBe(302);
    expect(elsewhere.received).toStrictEqual([]);
  });

  it('rejects when the connection is refused', async () => {
    const hooks = await receiver();
    await hooks.down();
    const error = await postToTarget(target(`${hooks.origin}/hook`), '{}', {}, { timeoutMs: 5000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OutboundRequestError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    const silent = createServer(() => {
      // Never answers.
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
      await expect(postToTarget(target(url), '{}', {}, { timeoutMs: 20 })).rejects.toThrow('no answer within 20 ms');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('stops when its signal aborts', async () => {
    const hooks = await receiver();
    const controller = new AbortController();
    controller.abort();
    await expect(
      postToTarget(target(`${hooks.origin}/hook`), '{}', {}, { timeoutMs: 5000, signal: controller.signal }),
    ).rejects.toThrow('aborted: the dispatcher is stopping');
  });
});
