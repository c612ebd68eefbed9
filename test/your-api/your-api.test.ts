/**
 * A team's own API, of another domain, through the public `longrun` command only: the exports spec
 * beside this file (a product, an inline result, a one-at-a-time operation, a manual step) lints
 * clean, generates, and mocks with `--stateful`; a spec that breaks the contract is refused with a
 * fix for each problem.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The installed `longrun` bin, as `pnpm exec longrun` runs it. */
const longrun = fileURLToPath(new URL('../../node_modules/.bin/longrun', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(longrun, args, { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

interface LintResult {
  code: string;
  severity: number;
  message: string;
  path: string[];
}

async function lint(spec: string): Promise<{ code: number; results: LintResult[] }> {
  const result = await run(['lint', spec, '--format', 'json']);
  // Spectral prints the JSON report, then (when nothing failed) a line of its own.
  const json = result.stdout.slice(result.stdout.indexOf('['), result.stdout.lastIndexOf(']') + 1);
  return { code: result.code, results: JSON.parse(json) as LintResult[] };
}

describe('longrun lint', () => {
  it('passes the exports spec, whose monitor paths and components are $refs into the contract file', async () => {
    const { code, results } = await lint('exports.yaml');
    expect(results).toEqual([]);
    expect(code).toBe(0);
  });

  it('refuses a spec that breaks the contract, saying for each problem how to fix it', async () => {
    const { code, results } = await lint('lint/broken-exports.yaml');
    expect(code).toBe(1);
    const errors = results.filter((result) => result.severity === 0);
    const found = (rule: string, where: string) =>
      errors.find((result) => result.code === rule && result.path.join('.').startsWith(where));
    expect(found('longrun-async-accepted', 'paths./exports.post')?.message).toMatch(/Retry-After.*add/);
    expect(found('longrun-async-accepted', 'paths./row-counts.post')?.message).toMatch(/no 202: add/);
    expect(found('longrun-async-monitor', 'paths./archive-rebuilds.put')?.message).toMatch(/schemas\/Monitor/);
    expect(found('longrun-one-at-a-time', 'paths./archive-rebuilds.put')?.message).toMatch(/OperationPending/);
    expect(found('longrun-idempotency-key', 'paths./exports.post')?.message).toMatch(/IdempotencyKey/);
    expect(found('longrun-problem-json', 'paths./exports.post.responses.400')?.message).toMatch(/problem\+json/);
    expect(found('longrun-async-extension', 'paths./exports.post.x-longrun-async.colour')).toBeDefined();
    expect(found('longrun-operation-id', 'paths./exports/{exportId}.get')?.message).toMatch(/operationId.*handler/);
    expect(found('longrun-async-extension', 'paths./row-counts.post.x-longrun-async.result')).toBeDefined();
    // The structural check still runs (on the resolved document), and still catches a response without a description.
    expect(found('longrun-oas3-schema', 'paths./archive-rebuilds.put.responses.429')?.message).toMatch(/description/);
    const warnings = results.filter((result) => result.severity === 1).map((result) => result.message);
    expect(warnings).toContainEqual(
      expect.stringMatching(/kind "report.export", but the operation's kind is "export.create"/),
    );
    // The contract's own Monitor leaves `kind` open: waitFor could not type the outcome.
    expect(warnings).toContainEqual(
      expect.stringMatching(/202 monitor of export.create leaves `kind` open.*const: export.create/),
    );
    // A path item that is a $ref into the contract file is not mistaken for an invalid one.
    expect(results.filter((result) => result.code === 'oas3-schema')).toEqual([]);
  });
});

describe('longrun generate', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(path.join(tmpdir(), 'longrun-your-api-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes the types, the AsyncKinds map and the SDK of the spec into one folder, and checks it', async () => {
    const generated = await run(['generate', '--spec', 'exports.yaml', '--out', out]);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const kinds = await readFile(path.join(out, 'async-operations.gen.ts'), 'utf8');
    expect(kinds).toContain("product: components['schemas']['Export'];");
    expect(kinds).toContain("result: components['schemas']['RowCount'];");
    expect(kinds).toMatch(/'archive\.rebuild': \{[^}]*oneAtATime: true;/);
    expect(kinds).toContain("steps: readonly ['query', 'approval', 'write'];");
    const types = await readFile(path.join(out, 'schema.gen.ts'), 'utf8');
    expect(types).toContain("'/monitors/{monitorId}': {");
    expect(await readFile(path.join(out, 'sdk', 'sdk.gen.ts'), 'utf8')).toContain('export const createExport');
    expect(await readFile(path.join(out, 'index.ts'), 'utf8')).toContain('AsyncKinds');
    expect((await run(['generate', '--spec', 'exports.yaml', '--out', out, '--check'])).code).toBe(0);
  });
});

describe('longrun mock', () => {
  let mock: ChildProcess | undefined;
  afterEach(async () => {
    if (mock && mock.exitCode === null && mock.signalCode === null) {
      const exited = once(mock, 'exit');
      if (mock.pid !== undefined) process.kill(-mock.pid, 'SIGTERM');
      await exited;
    }
    mock = undefined;
  });

  async function start(args: string[]): Promise<string> {
    const port = await freePort();
    mock = spawn(longrun, ['mock', '--spec', 'exports.yaml', '--port', String(port), ...args], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, stopped whole: the pinned `node` bin is a shell script that runs Node
      // as its child, so a signal to the spawned process alone would leave the mock running.
      detached: true,
    });
    let output = '';
    mock.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    mock.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 45_000; Date.now() < deadline; ) {
      if (mock.exitCode !== null) throw new Error(`longrun mock exited:\n${output}`);
      if (output.includes(`longrun mock on ${url}`)) return url;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`longrun mock did not start:\n${output}`);
  }

  const headers = { Authorization: 'Bearer team-key', 'Content-Type': 'application/json' };
  const exportBody = JSON.stringify({ report: 'sales-2026', format: 'csv' });

  it('--stateful runs each operation to its outcome, validated against the spec', async () => {
    const url = await start(['--stateful', '--duration', '300']);
    const accepted = await fetch(`${url}/exports`, { method: 'POST', headers, body: exportBody });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('Retry-After')).toMatch(/^\d+$/);
    const monitorUrl = `${url}${accepted.headers.get('Location')}`;
    expect(monitorUrl).toMatch(/\/monitors\/op_/);

    const created = await fetch(`${url}/exports`, {
      method: 'POST',
      headers: { ...headers, Prefer: 'wait=10' },
      body: exportBody,
    });
    expect(created.status).toBe(201);
    const product = created.headers.get('Location');
    expect(product).toMatch(/^\/exports\/exp_/);
    const file = await fetch(`${url}${product}`, { headers });
    expect(await file.json()).toMatchObject({ id: product?.split('/').at(-1), state: 'ready' });

    const counted = await fetch(`${url}/row-counts`, {
      method: 'POST',
      headers: { ...headers, Prefer: 'wait=10' },
      body: JSON.stringify({ report: 'sales-2026' }),
    });
    expect(counted.status).toBe(200);
    expect(await counted.json()).toMatchObject({ kind: 'rows.count', state: 'succeeded', result: { rows: 18250 } });

    const first = await fetch(`${url}/archive-rebuilds`, { method: 'POST', headers });
    expect(first.status).toBe(202);
    const second = await fetch(`${url}/archive-rebuilds`, { method: 'POST', headers });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ monitor: first.headers.get('Location') });

    const invalid = await fetch(`${url}/exports`, { method: 'POST', headers, body: '{"report":"sales-2026"}' });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ errors: [expect.objectContaining({ pointer: '/body/format' })] });
    for (const answer of [accepted, created, counted, first, second])
      expect(answer.headers.get('sl-violations')).toBeNull();
  });

  it('answers a plain request that starts an operation with 202, Location and Retry-After (Prism)', async () => {
    const url = await start([]);
    const accepted = await fetch(`${url}/exports`, { method: 'POST', headers, body: exportBody });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('Location')).toMatch(/^\/monitors\/op_/);
    expect(accepted.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await accepted.json()).toMatchObject({ kind: 'export.create', state: 'queued' });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
