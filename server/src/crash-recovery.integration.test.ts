/**
 * Crash recovery of the real server process: `kill -9` mid-work, restart on the same data
 * directory, and every accepted operation still reaches a terminal state, re-run by the documented
 * rule (its lease expires, it goes back to `queued` with attempts + 1). None is lost, none is left
 * running. See docs/operations.md "Crash recovery".
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyMonitor } from './http/api-types.ts';
import type { OperationRecord } from './operations/model.ts';
import { createSqliteStore } from './store/sqlite/sqlite-store.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const KEY = 'crash-test-key';
/**
 * The lease of the process that dies: its operations are free to re-run one second after the kill.
 * So short a lease can expire in the dying process itself during its cold start (the validator
 * compiles its schemas on first use, stalling the event loop), re-running an operation before the
 * kill; so what is expected after the restart is stated relative to what the kill left behind.
 */
const CRASHED_LEASE_MS = 1_000;
/**
 * The lease of the restarted process: longer, so that the event-loop stalls of its own cold start
 * (hundreds of ms, seconds on a loaded machine) cannot expire the leases it takes.
 */
const RESTARTED_LEASE_MS = 5_000;

/** A running `node server/src/main.ts` and the URL it logged. */
interface ServerProcess {
  child: ChildProcess;
  url: string;
}

/** Starts the real server process on `dataDir`; resolves once it logs that it is serving. */
async function startProcess(dataDir: string, leaseMs: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LONGRUN_DATA_DIR: dataDir,
      LONGRUN_API_KEYS: `acme:${KEY}`,
      // Half of realistic durations: a car takes 4 s, so work is mid-flight when the process dies.
      LONGRUN_SIMULATION_SCALE: '0.5',
      LONGRUN_LEASE_MS: String(leaseMs),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before serving: ${errors.join('')}`)));
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'longrun is serving' && entry.url) resolve(entry.url);
      } catch {
        // Not a log line.
      }
    });
  });
  child.removeAllListeners('exit');
  return { child, url };
}

const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };

/** The stored operations of tenant `acme`, read from the data directory while no server has it open. */
async function storedOperations(dataDir: string): Promise<OperationRecord[]> {
  const store = await createSqliteStore({ dataDir });
  try {
    return (await store.listOperations({ tenant: 'acme', limit: 100 })).items;
  } finally {
    await store.close();
  }
}

async function monitorOf(url: string, id: string, prefer?: string): Promise<{ status: number; monitor: AnyMonitor }> {
  const answer = await fetch(`${url}/monitors/${id}`, { headers: prefer ? { ...headers, Prefer: prefer } : headers });
  return { status: answer.status, monitor: (await answer.json()) as AnyMonitor };
}

const REQUESTS: [string, unknown][] = [
  ['/cars', { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' }],
  ['/cars', { brand: 'Volvo', make: 'XC40', model: 2024, color: 'Green' }],
  ['/cars', { brand: 'Fiat', make: '500', model: 2019, color: 'Red' }],
  ['/virtual-machines', { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } }],
  ['/virtual-machines', { configuration: { os: 'FreeBSD', ram: '8GB', storage: '64GB' } }],
  ['/transcodes', { source: 'https://media.example.com/a.mov', format: 'mp4', resolution: '480p' }],
  ['/transcodes', { source: 'https://media.example.com/b.mov', format: 'webm', resolution: '1080p' }],
  ['/transcodes', { source: 'https://media.example.com/c.mov', format: 'hls', resolution: '2160p' }],
  ['/reindex', { scope: 'all' }],
  ['/widget-orders', { items: [{ sku: 'WID-BLUE-01', quantity: 3 }] }],
  ['/widget-orders', { items: [{ sku: 'WID-RED-07', quantity: 1 }] }],
  ['/cars', { brand: 'Saab', make: '900', model: 1990, color: 'Black' }],
];

describe('a server process killed with SIGKILL mid-work', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
  });

  it('finishes every accepted operation after a restart on the same data directory, re-running the interrupted ones', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'longrun-crash-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));

    const first = await startProcess(dataDir, CRASHED_LEASE_MS);
    cleanup.push(async () => first.child.kill('SIGKILL'));
    const ids: string[] = [];
    for (const [path, body] of REQUESTS) {
      const answer = await fetch(`${first.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(answer.status).toBe(202);
      ids.push(((await answer.json()) as AnyMonitor).id);
    }
    // Mid-flight: the first car has made progress, none of the cars can have finished.
    let carProgress = 0;
    for (let poll = 0; poll < 100 && carProgress < 10; poll += 1) {
      carProgress = (await monitorOf(first.url, ids[0] as string, 'wait=5')).monitor.progress.percent;
    }
    expect(carProgress).toBeGreaterThanOrEqual(10);

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // What the dead process left: every accepted operation is there (a 202 is sent only once it is durable).
    const atKill = new Map((await storedOperations(dataDir)).map((record) => [record.id, record]));
    expect([...atKill.keys()].sort()).toEqual([...ids].sort());
    const interrupted = [...atKill.values()].filter((record) => record.state === 'running');
    expect(interrupted.length).toBeGreaterThan(0);
    for (const record of interrupted) expect(record.leaseOwner).not.toBeNull();

    const restartedAt = Date.now();
    const second = await startProcess(dataDir, RESTARTED_LEASE_MS);
    const servingInMs = Date.now() - restartedAt;
    cleanup.push(async () => second.child.kill('SIGKILL'));
    const terminal = new Map<string, AnyMonitor>();
    for (let round = 0; round < 200 && terminal.size < ids.length; round += 1) {
      for (const id of ids.filter((each) => !terminal.has(each))) {
        const { status, monitor } = await monitorOf(second.url, id, 'wait=2');
        expect(status, `monitor ${id} after the restart`).not.toBe(404);
        if (['succeeded', 'failed', 'cancelled'].includes(monitor.state)) terminal.set(id, monitor);
      }
    }
    const recoveredInMs = Date.now() - restartedAt;
    expect([...terminal.keys()].sort()).toEqual([...ids].sort());
    expect([...terminal.values()].map((monitor) => monitor.state)).toEqual(ids.map(() => 'succeeded'));
    const listed = (await (await fetch(`${second.url}/monitors?limit=100`, { headers })).json()) as {
      items: AnyMonitor[];
    };
    expect(listed.items.filter((monitor) => monitor.state === 'running' || monitor.state === 'queued')).toEqual([]);

    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
    const records = await storedOperations(dataDir);
    expect(records.map((record) => record.id).sort()).toEqual([...ids].sort());
    for (const record of records) {
      const before = atKill.get(record.id) as OperationRecord;
      // Running at the kill: its lease expired, it went back to the queue and ran once more
      // (attempts + 1); queued: claimed once; already finished: untouched.
      const expected = ['succeeded', 'failed', 'cancelled'].includes(before.state)
        ? before.attempts
        : before.attempts + 1;
      expect(record.attempts, `${record.kind} ${before.state} at the kill`).toBe(expected);
      expect(record.leaseOwner).toBeNull();
    }

    console.info(
      `crash recovery: ${interrupted.length} of ${ids.length} operations were interrupted; ` +
        `serving again ${servingInMs} ms and all ${ids.length} finished ${recoveredInMs} ms after the restart began ` +
        `(leases ${CRASHED_LEASE_MS} / ${RESTARTED_LEASE_MS} ms, scale 0.5: the longest operation alone takes 9 s)`,
    );
  }, 90_000);
});
