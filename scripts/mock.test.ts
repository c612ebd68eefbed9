import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './mock/free-port.ts';

const cli = fileURLToPath(new URL('./mock.ts', import.meta.url));
let running: ChildProcess | undefined;

afterEach(async () => {
  if (running && running.exitCode === null && running.signalCode === null) {
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  }
  running = undefined;
});

/** Starts `pnpm mock …` (this file's Node running scripts/mock.ts) and waits until its port answers. */
async function startCli(args: string[]): Promise<{ url: string; output: () => string }> {
  const port = await freePort();
  let output = '';
  running = spawn(process.execPath, [cli, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  running.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    if (running.exitCode !== null) throw new Error(`pnpm mock exited early:\n${output}`);
    if (output.includes(`on ${url}`)) return { url, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pnpm mock did not start:\n${output}`);
}

const headers = { Authorization: 'Bearer any', 'Content-Type': 'application/json' };
const car = JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' });

describe('pnpm mock', () => {
  it('runs Prism on the spec by default, answering examples and Prefer directives', async () => {
    const { url } = await startCli([]);
    const accepted = await fetch(`${url}/cars`, {
      method: 'POST',
      headers: { ...headers, Prefer: 'code=202' },
      body: car,
    });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ id: 'op_01JABCDEF0123456789ABCDEFG', state: 'queued' });
    // A client that sends no directive gets what the real server gives: 202, not a finished monitor.
    const plain = await fetch(`${url}/cars`, { method: 'POST', headers, body: car });
    expect(plain.status).toBe(202);
    expect(plain.headers.get('Location')).toMatch(/^\/monitors\/op_/);
    expect(plain.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await plain.json()).toMatchObject({ kind: 'car.create', state: 'queued' });
    const finished = await fetch(`${url}/cars`, {
      method: 'POST',
      headers: { ...headers, Prefer: 'code=200, example=failed' },
      body: car,
    });
    expect(finished.status).toBe(200);
    expect(await finished.json()).toMatchObject({ state: 'failed' });
    const running = await fetch(`${url}/monitors/op_01JABCDEF0123456789ABCDEFG`, {
      headers: { ...headers, Prefer: 'code=202, example=running' },
    });
    expect(await running.json()).toMatchObject({ state: 'running' });
  });

  it('runs the stateful mock with --stateful, validating requests, its operations taking --duration ms', async () => {
    const { url } = await startCli(['--stateful', '--duration', '200']);
    const done = await fetch(`${url}/cars`, { method: 'POST', headers: { ...headers, Prefer: 'wait=10' }, body: car });
    expect(done.status).toBe(201);
    expect(done.headers.get('Location')).toMatch(/^\/cars\/car_[0-9A-Z]{26}$/);
    // What breaks the spec is refused with the contract's validation problem, as by the server.
    const invalid = await fetch(`${url}/cars`, { method: 'POST', headers, body: '{"brand":"Ford"}' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('Content-Type')).toMatch(/^application\/problem\+json/);
    expect(await invalid.json()).toMatchObject({
      status: 400,
      errors: expect.arrayContaining([expect.objectContaining({ pointer: '/body/make' })]),
    });
  });

  it('runs the stateful mock behind prism proxy with --stateful --proxy', async () => {
    const { url } = await startCli(['--stateful', '--proxy', '--duration', '200']);
    const done = await fetch(`${url}/cars`, { method: 'POST', headers: { ...headers, Prefer: 'wait=10' }, body: car });
    expect(done.status).toBe(201);
    // Prism in front refuses what breaks the spec.
    const invalid = await fetch(`${url}/cars`, { method: 'POST', headers, body: '{"brand":"Ford"}' });
    expect(invalid.status).toBe(422);
  });

  it('stops its children and exits cleanly on SIGTERM', async () => {
    const { url } = await startCli(['--stateful', '--bare']);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const exited = once(running as ChildProcess, 'exit');
    running?.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
