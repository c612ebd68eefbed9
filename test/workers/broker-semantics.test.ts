/**
 * What the API does with each report an outside worker sends through a real RabbitMQ: applies it
 * to the monitor, ignores a duplicate, refuses a stale attempt's, dead-letters a malformed one
 * with the reason; dispatches a silent worker's task again and gives up with `worker-lost`; applies
 * what was sent while it was down; and carries a client's cancel to the worker's AbortSignal.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, waitFor } from '@longrun/client';
import { createWorker } from '@longrun/client/worker';
import { createServer, type LongrunServer, type ServerOptions } from '@longrun/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from '../support/rabbitmq.ts';
import { withOutsideTranscode } from './outside-transcode.ts';
import { connectScriptedWorker, type ScriptedWorker } from './scripted-worker.ts';

const KEY = 'test-key-acme';
const HEADERS = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
const VIDEO = { source: 'https://media.example.com/raw/talk.mov', format: 'mp4', resolution: '720p' };

let broker: TestBroker;
const cleanUps: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  for (const cleanUp of cleanUps.reverse()) await cleanUp();
  await broker?.stop();
});

interface Api {
  server: LongrunServer;
  url: string;
  prefix: string;
  dataDir: string;
  worker: ScriptedWorker;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function startApi(settings: { heartbeatLeaseMs: number; maxAttempts: number }): Promise<Api> {
  const prefix = broker.newPrefix();
  const dataDir = await mkdtemp(join(tmpdir(), 'longrun-broker-'));
  const options = (): ServerOptions => ({
    dataDir,
    apiKeys: `acme:${KEY}`,
    kinds: withOutsideTranscode,
    logger: false,
    engine: { leaseMs: settings.heartbeatLeaseMs, maxAttempts: settings.maxAttempts },
    broker: { url: broker.url, prefix, heartbeatLeaseMs: settings.heartbeatLeaseMs, pollIntervalMs: 50 },
  });
  const api: Api = {
    server: await createServer(options()),
    url: '',
    prefix,
    dataDir,
    worker: await connectScriptedWorker(broker.url, prefix),
    async restart() {
      await api.server.close();
      api.server = await createServer(options());
      api.url = (await api.server.listen(0)).url;
    },
    async stop() {
      await api.server.close();
    },
  };
  api.url = (await api.server.listen(0)).url;
  cleanUps.push(async () => {
    await api.server.close();
    await api.worker.close();
    await broker.cleanUp(prefix, [`${prefix}.tasks.transcode`]);
    await rm(dataDir, { recursive: true, force: true });
  });
  return api;
}

async function submit(api: Api): Promise<string> {
  const response = await fetch(`${api.url}/transcodes`, {
    method: 'POST',
    headers: HEADERS,
    body: JSON.stringify(VIDEO),
  });
  expect(response.status).toBe(202);
  const body = (await response.json()) as { id: string };
  return body.id;
}

interface Monitor {
  id: string;
  state: string;
  version?: number;
  progress: { percent: number; message?: string };
  steps: { name: string; state: string; action?: { href?: string; method?: string } }[];
  error?: { type: string; title: string };
  links?: Record<string, { href: string }>;
}

async function monitor(api: Api, id: string): Promise<Monitor> {
  const response = await fetch(`${api.url}/monitors/${id}`, { headers: HEADERS });
  return (await response.json()) as Monitor;
}

/** Polls the monitor until `predicate` holds (the test's timeout is the only clock). */
async function monitorUntil(api: Api, id: string, predicate: (m: Monitor) => boolean): Promise<Monitor> {
  for (;;) {
    const current = await monitor(api, id);
    if (predicate(current)) return current;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('reports from an outside worker', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi({ heartbeatLeaseMs: 20_000, maxAttempts: 3 });
  });

  it('are applied in order; duplicates are ignored, malformed ones dead-lettered with the reason', async () => {
    const id = await submit(api);
    const task = await api.worker.takeTask();
    expect(task).toMatchObject({ operationId: id, kind: 'transcode', input: VIDEO, attempt: 1 });
    expect(Date.parse(task.deadline)).toBeGreaterThan(Date.now());

    await api.worker.report(task, 0, { type: 'started' });
    await api.worker.report(task, 1, { type: 'step', step: 'probe', state: 'running' });
    await api.worker.report(task, 2, { type: 'progress', percent: 30, message: 'Probing', step: 'probe' });
    // At-least-once delivery: the same report again, and an older one late.
    await api.worker.report(task, 2, { type: 'progress', percent: 30, message: 'Probing', step: 'probe' });
    await api.worker.report(task, 1, { type: 'progress', percent: 99 });
    await api.worker.sendRaw('{"type": "progress", "percent": 1');
    await api.worker.report(task, 3, { type: 'progress', percent: 250 });
    await api.worker.report(task, 4, { type: 'started', token: 'not-issued-by-longrun' });
    await api.worker.report(task, 5, {
      type: 'waiting',
      step: 'encode',
      action: { name: 'approval', method: 'POST', path: `/approvals/${id}` },
    });
    const waiting = await monitorUntil(api, id, (m) => m.steps.some((s) => s.state === 'waiting'));
    expect(waiting.state).toBe('running');
    expect(waiting.progress).toEqual({ percent: 30, message: 'Probing' });
    expect(waiting.steps.map((s) => [s.name, s.state])).toEqual([
      ['probe', 'running'],
      ['encode', 'waiting'],
      ['package', 'pending'],
    ]);

    const productId = `prd_${id.slice(3)}`;
    const body = { ...VIDEO, id: productId, sizeBytes: 1, durationSeconds: 1, createdAt: new Date().toISOString() };
    const product = {
      collection: 'products',
      id: productId,
      href: `/products/${productId}`,
      body: { ...body, links: { self: { href: `/products/${productId}` } } },
    };
    await api.worker.report(task, 6, { type: 'succeeded', product });
    const done = await monitorUntil(api, id, (m) => m.state === 'succeeded');
    expect(done.progress.percent).toBe(100);
    const stored = await fetch(`${api.url}/products/${productId}`, { headers: HEADERS });
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ id: productId, source: VIDEO.source });

    // A second ending of the same attempt changes nothing.
    await api.worker.report(task, 7, { type: 'failed', problem: { type: 'about:blank', title: 'late', status: 500 } });
    await api.worker.sendRaw('not json at all');
    const dead = await waitForDeadLetters(api.worker, 4);
    expect((await monitor(api, id)).state).toBe('succeeded');
    expect(dead.map((letter) => letter.reason)).toEqual([
      expect.stringMatching(/^not JSON/),
      expect.stringMatching(/\/percent must be <= 100/),
      'the token was not issued by this API',
      expect.stringMatching(/^not JSON/),
    ]);
    expect(dead[3]?.body).toBe('not json at all');
  });

  it('sent while the API is down are applied when it is back', async () => {
    const id = await submit(api);
    const task = await api.worker.takeTask();
    await api.worker.report(task, 0, { type: 'started' });
    await monitorUntil(api, id, (m) => m.state === 'running');
    await api.stop();
    await api.worker.report(task, 1, { type: 'step', step: 'probe', state: 'succeeded' });
    await api.worker.report(task, 2, { type: 'succeeded', result: undefined });
    await api.restart();
    const done = await monitorUntil(api, id, (m) => m.state === 'succeeded');
    // Steps the worker never reported were never run.
    expect(done.steps.map((s) => s.state)).toEqual(['succeeded', 'skipped', 'skipped']);
  });
});

describe('a worker that goes silent', () => {
  it('loses its task to the next attempt, whose reports alone count, and after the last the operation fails worker-lost', async () => {
    const api = await startApi({ heartbeatLeaseMs: 600, maxAttempts: 2 });
    const id = await submit(api);
    const first = await api.worker.takeTask();
    await api.worker.report(first, 0, { type: 'started' });
    await api.worker.report(first, 1, { type: 'progress', percent: 10 });
    // No heartbeat: the lease runs out and the task is dispatched again.
    const second = await api.worker.takeTask();
    expect(second).toMatchObject({ operationId: id, attempt: 2 });
    expect(second.token).not.toBe(first.token);
    await api.worker.report(second, 0, { type: 'started' });
    // The first worker wakes up: its reports are fenced off; the second's arrive after them.
    await api.worker.report(first, 2, { type: 'progress', percent: 77, message: 'stale' });
    await api.worker.report(second, 1, { type: 'progress', percent: 20, message: 'second' });
    const seen = await monitorUntil(api, id, (m) => m.progress.percent === 20);
    expect(seen.progress).toEqual({ percent: 20, message: 'second' });
    // The second worker goes silent too: two attempts were all it had.
    const failed = await monitorUntil(api, id, (m) => m.state === 'failed');
    expect(failed.error).toMatchObject({ type: 'https://longrun.dev/problems/worker-lost' });
    await api.worker.report(first, 3, { type: 'succeeded' });
    await api.worker.report(second, 2, { type: 'succeeded' });
    expect((await monitor(api, id)).state).toBe('failed');
    expect(await api.worker.deadLetters()).toEqual([]);
  });
});

describe('cancel', () => {
  it('reaches the worker running the task: its signal aborts and the operation ends cancelled', async () => {
    const api = await startApi({ heartbeatLeaseMs: 3_000, maxAttempts: 3 });
    const reasons: unknown[] = [];
    const worker = createWorker({
      broker: { url: broker.url, prefix: api.prefix },
      kinds: {
        transcode: {
          async run(_input, ctx) {
            await ctx.step('probe', 'running');
            await ctx.progress(5, 'Probing', 'probe');
            await new Promise((_resolve, reject) => {
              ctx.signal.addEventListener('abort', () => {
                reasons.push(ctx.signal.reason);
                reject(ctx.signal.reason);
              });
            });
          },
        },
      },
    });
    await worker.start();
    cleanUps.push(() => worker.stop());
    const client = createClient({ baseUrl: api.url, apiKey: KEY });
    const accepted = await client.POST('/transcodes', { body: VIDEO as never });
    const id = (accepted.data as { id: string }).id;
    await monitorUntil(api, id, (m) => m.progress.percent === 5);
    const response = await fetch(`${api.url}/monitors/${id}/cancel`, { method: 'POST', headers: HEADERS });
    expect(response.status).toBe(202);
    const error = await waitFor(client, accepted as never).catch((reason: unknown) => reason);
    expect((error as Error).name).toBe('OperationCancelledError');
    expect(reasons).toHaveLength(1);
    expect((reasons[0] as DOMException).name).toBe('AbortError');
    // The worker's last report ended it; the task is then let go.
    while (worker.running > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

async function waitForDeadLetters(worker: ScriptedWorker, count: number) {
  const found = [];
  while (found.length < count) {
    found.push(...(await worker.deadLetters()));
    if (found.length < count) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return found;
}
