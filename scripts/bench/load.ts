/**
 * Runs the load generator (autocannon) in its own child process and reads its result.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One load run: a route, a rate of connections, and a bound in time or in requests. */
export interface LoadOptions {
  /** `http://127.0.0.1:<port>`: loopback only. */
  url: string;
  method: 'GET' | 'POST';
  /** Path; `{id}` is replaced by the next of `ids`, round robin. */
  path: string;
  ids?: string[];
  headers: Record<string, string>;
  body?: string;
  connections: number;
  /** Run this long… */
  durationSeconds: number;
  /** …or until this many requests were answered. */
  amount?: number;
}

/** What one load run measured. */
export interface LoadResult {
  requests: number;
  /** Answers below 400. */
  ok: number;
  /** Errors, timeouts and 4xx/5xx answers. */
  failed: number;
  elapsedSeconds: number;
  /** `ok / elapsedSeconds`. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Runs one bounded load in a child process. @throws when the generator fails or answers fail. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-load-'));
  const file = join(dir, 'options.json');
  await writeFile(file, JSON.stringify(options));
  try {
    const child = spawn(process.execPath, [WORKER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the load generator exited with ${code}`);
    const result = JSON.parse(output.trim().split('\n').at(-1) as string) as LoadResult;
    if (result.failed > 0) {
      throw new Error(
        `${result.failed} of ${result.requests} requests failed (${options.method} ${options.path} on ${options.url})`,
      );
    }
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
