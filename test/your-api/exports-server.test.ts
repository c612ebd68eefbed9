/**
 * A team's own API served by longrun: the exports spec beside this file, its stubs written by the
 * public `longrun generate`, its kinds and handlers (`exports-api.ts`) given to `createServer`, on a
 * real port, driven by `createClient<paths, AsyncKinds>()` and `waitFor` — a product that waits for a
 * manual approval, an inline result, a one-at-a-time operation — and refused at start when a handler
 * or kind is missing or does not belong to the spec.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, waitFor } from '@longrun/client';
import { createServer, type LongrunServer, SpecServerError } from '@longrun/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countRows, createExport, handlers, kinds, REBUILD_MS, startReportsServer } from './exports-api.ts';
import type { AsyncKinds, paths } from './generated/index.ts';
import { spec } from './generated/server.gen.ts';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const here = path.dirname(fileURLToPath(import.meta.url));
const longrun = fileURLToPath(new URL('../../node_modules/.bin/longrun', import.meta.url));

function run(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(longrun, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

it('the exports API runs on the stubs `longrun generate` writes, kept current with the spec', async () => {
  const checked = await run(['generate', '--spec', 'exports.yaml', '--out', 'generated', '--check']);
  expect(checked.output).toContain('Generated files match exports.yaml');
  expect(checked.code).toBe(0);
});

// Every response checked against the spec (development, tests), and production's sample, where
// ordinary polls and accepts take the direct lane instead of the whole Express chain.
describe.each([
  { checks: 'every response checked', options: {} },
  { checks: "production's response sample", options: { validateResponses: 'log', responseSample: 0 } },
] as const)('the exports API on createServer, $checks', ({ options }) => {
  let dataDir: string;
  let server: LongrunServer;
  let url: string;
  let reports: ReturnType<typeof createClient<paths, AsyncKinds>>;
  const apiKeys = [{ tenant: 'reports', key: 'team-key' }];

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-exports-'));
    server = await startReportsServer({ dataDir, apiKeys, logger: false, ...options });
    ({ url } = await server.listen(0));
    reports = createClient<paths, AsyncKinds>({ baseUrl: url, apiKey: 'team-key' });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('accepts an export, which waits for its approval step, then resolves waitFor to the export file', async () => {
    const accepted = await reports.POST('/exports', { body: { report: 'sales-2026', format: 'csv' } });
    expect(accepted.response.status).toBe(202);
    expect(accepted.response.headers.get('Location')).toBe(`/monitors/${accepted.data?.id}`);
    expect(accepted.response.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(accepted.response.headers.get('ETag')).toMatch(/^"/);
    expect(accepted.data).toMatchObject({ kind: 'export.create', state: 'queued' });
    // The export exists from acceptance on.
    const productHref = accepted.data?.links.product?.href as string;
    const exportId = productHref.split('/').at(-1) as string;
    const pending = await reports.GET('/exports/{exportId}', { params: { path: { exportId } } });
    expect(pending.data).toEqual({ id: exportId, report: 'sales-2026', format: 'csv', state: 'pending' });

    let approvals = 0;
    const file = await waitFor(reports, accepted, {
      minDelayMs: 20,
      onProgress(monitor) {
        const waiting = monitor.steps.find((step) => step.state === 'waiting');
        if (waiting?.action === undefined || approvals > 0) return;
        approvals += 1;
        expect(waiting).toMatchObject({
          name: 'approval',
          action: { method: 'POST', href: `${productHref}/approval` },
        });
        void reports
          .POST('/exports/{exportId}/approval', {
            params: { path: { exportId } },
            body: { approvedBy: 'dana@reports.example.com' },
          })
          .then((answer) => expect(answer.response.status).toBe(202));
      },
    });
    expect(approvals).toBe(1);
    expect(file).toEqual({
      id: exportId,
      report: 'sales-2026',
      format: 'csv',
      state: 'ready',
      fileUrl: `https://files.reports.example.com/${exportId}.csv?approvedBy=dana%40reports.example.com`,
    });
    // Approving again: nothing waits for it any more.
    const again = await reports.POST('/exports/{exportId}/approval', {
      params: { path: { exportId } },
      body: { approvedBy: 'dana@reports.example.com' },
    });
    expect(again.response.status).toBe(409);
  });

  it('counts rows as an inline result, with Prefer: wait answering 200 and the monitor', async () => {
    const accepted = await reports.POST('/row-counts', { body: { report: 'sales' } });
    expect(await waitFor(reports, accepted, { minDelayMs: 20 })).toEqual({ report: 'sales', rows: 5_000 });
    const waited = await fetch(`${url}/row-counts`, {
      method: 'POST',
      headers: { Authorization: 'Bearer team-key', 'Content-Type': 'application/json', Prefer: 'wait=10' },
      body: JSON.stringify({ report: 'q3' }),
    });
    expect(waited.status).toBe(200);
    expect(waited.headers.get('Preference-Applied')).toBe('wait=10');
    expect(await waited.json()).toMatchObject({ kind: 'rows.count', state: 'succeeded', result: { rows: 2_000 } });
  });

  it('replays a request with the same Idempotency-Key, and refuses the key on another body', async () => {
    const send = (report: string) =>
      fetch(`${url}/row-counts`, {
        method: 'POST',
        headers: { Authorization: 'Bearer team-key', 'Content-Type': 'application/json', 'Idempotency-Key': 'count-1' },
        body: JSON.stringify({ report }),
      });
    const first = await send('sales');
    const replay = await send('sales');
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await replay.json()).id).toBe((await first.json()).id);
    expect((await send('other')).status).toBe(422);
  });

  it('rebuilds the archive one at a time: a second request while one runs is 409 naming the first', async () => {
    const first = await reports.POST('/archive-rebuilds');
    expect(first.response.status).toBe(202);
    const second = await fetch(`${url}/archive-rebuilds`, {
      method: 'POST',
      headers: { Authorization: 'Bearer team-key' },
    });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ monitor: `/monitors/${first.data?.id}` });
    await waitFor(reports, first, { minDelayMs: 50, timeoutMs: REBUILD_MS * 10 });
    // A body the operation does not declare is neither kept nor echoed by its monitor.
    const again = await fetch(`${url}/archive-rebuilds`, {
      method: 'POST',
      headers: { Authorization: 'Bearer team-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(10_000) }),
    });
    expect(again.status).toBe(202);
    const monitor = await again.json();
    expect(monitor.request).toEqual({ method: 'POST', path: '/archive-rebuilds' });
    const read = await reports.GET('/monitors/{monitorId}', { params: { path: { monitorId: monitor.id } } });
    expect(read.data?.request).toEqual({ method: 'POST', path: '/archive-rebuilds' });
  });

  it('answers health checks at /healthz without a key, though the spec does not declare it', async () => {
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: expect.any(String) });
  });

  it('validates requests against the spec: a body it does not allow is 400', async () => {
    const invalid = await fetch(`${url}/exports`, {
      method: 'POST',
      headers: { Authorization: 'Bearer team-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ report: 'sales-2026', format: 'pdf' }),
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ errors: [expect.objectContaining({ pointer: '/body/format' })] });
  });
});

describe('the same client code against `longrun mock --spec exports.yaml --stateful`', () => {
  let mock: ChildProcess | undefined;
  afterAll(async () => {
    if (mock && mock.exitCode === null && mock.signalCode === null) {
      const exited = once(mock, 'exit');
      if (mock.pid !== undefined) process.kill(-mock.pid, 'SIGTERM');
      await exited;
    }
  });

  it('waits for the export file and the row count the mock makes from the spec', async () => {
    const port = await freePort();
    const started = spawn(
      longrun,
      ['mock', '--spec', 'exports.yaml', '--stateful', '--duration', '300', '--port', String(port)],
      {
        cwd: here,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, stopped whole: the pinned `node` bin is a shell script that runs Node
        // as its child, so a signal to the spawned process alone would leave the mock running.
        detached: true,
      },
    );
    mock = started;
    let output = '';
    started.stdout.on('data', (chunk) => {
      output += chunk;
    });
    started.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 45_000; !output.includes(`longrun mock on ${url}`); ) {
      if (started.exitCode !== null || Date.now() > deadline) throw new Error(`longrun mock did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mocked = createClient<paths, AsyncKinds>({ baseUrl: url, apiKey: 'team-key' });
    const file = await waitFor(
      mocked,
      await mocked.POST('/exports', { body: { report: 'sales-2026', format: 'csv' } }),
      {
        minDelayMs: 50,
      },
    );
    expect(file).toMatchObject({ report: expect.any(String), state: 'ready' });
    const count = await waitFor(mocked, await mocked.POST('/row-counts', { body: { report: 'sales-2026' } }), {
      minDelayMs: 50,
    });
    expect(count).toMatchObject({ rows: expect.any(Number) });
  });
});

describe('a server missing a piece of the spec does not start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-exports-refused-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  // As a JavaScript caller would, without the generated types to stop it first.
  const start = (options: { handlers: object; kinds: object }) =>
    createServer({ spec, logger: false, dataDir, handlers: options.handlers as never, kinds: options.kinds as never });

  it('names every missing handler and kind', async () => {
    const { approveExport: _approve, ...fewer } = handlers;
    const { 'rows.count': _rows, ...someKinds } = kinds;
    const refused = await start({ handlers: fewer, kinds: someKinds }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SpecServerError);
    const message = (refused as SpecServerError).message;
    expect(message).toContain('handlers missing for: approveExport (POST /exports/{exportId}/approval)');
    expect(message).toContain('add the kind "rows.count" to kinds');
  });

  it('names a handler or kind the spec does not have, and a kind under another name', async () => {
    const refused = await start({
      handlers: { ...handlers, deleteExport: handlers.getExport },
      kinds: { ...kinds, 'export.delete': createExport, 'rows.count': createExport, 'archive.rebuild': countRows },
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SpecServerError);
    expect([...(refused as SpecServerError).problems].sort()).toEqual([
      'kinds.archive.rebuild is a kind named "rows.count": use its name as the key',
      'kinds.export.delete is a kind named "export.create": use its name as the key',
      'kinds.rows.count is a kind named "export.create": use its name as the key',
    ]);
    const unknownHandler = await start({ handlers: { ...handlers, deleteExport: handlers.getExport }, kinds }).catch(
      (error: unknown) => error,
    );
    expect((unknownHandler as SpecServerError).problems).toEqual([
      'handlers for operations the spec does not have: deleteExport',
    ]);
  });
});

async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a spec that declares no cancel route and no event stream', () => {
  let dataDir: string;
  let server: LongrunServer;
  let url: string;
  let reports: ReturnType<typeof createClient<paths, AsyncKinds>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'longrun-exports-polled-'));
    // The exports spec without the two monitor routes a team may leave out.
    const document = JSON.parse(await readFile(new URL(spec.document as URL), 'utf8')) as {
      paths: Record<string, unknown>;
    };
    delete document.paths['/monitors/{monitorId}/cancel'];
    delete document.paths['/monitors/{monitorId}/events'];
    server = await createServer({
      spec: { ...spec, document },
      handlers,
      kinds,
      dataDir,
      apiKeys: [{ tenant: 'reports', key: 'team-key' }],
      logger: false,
    });
    ({ url } = await server.listen(0));
    reports = createClient<paths, AsyncKinds>({ baseUrl: url, apiKey: 'team-key' });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('links neither from its monitors, so no link leads to a 404, and waitFor resolves by polling', async () => {
    const accepted = await reports.POST('/row-counts', { body: { report: 'sales' } });
    expect(accepted.response.status).toBe(202);
    const links = accepted.data?.links ?? {};
    expect(links).toHaveProperty('self');
    expect(links).not.toHaveProperty('events');
    expect(links).not.toHaveProperty('cancel');
    const headers = { Authorization: 'Bearer team-key' };
    const events = await fetch(`${url}/monitors/${accepted.data?.id}/events`, { headers });
    expect(events.status).toBe(404);
    const polled = await fetch(`${url}/monitors/${accepted.data?.id}`, { headers });
    expect(Object.keys(((await polled.json()) as { links: object }).links)).not.toContain('events');

    await expect(waitFor(reports, accepted, { mode: 'sse', minDelayMs: 20 })).rejects.toThrow(/links no event stream/);
    expect(await waitFor(reports, accepted, { minDelayMs: 20 })).toEqual({ report: 'sales', rows: 5_000 });
  });
});
