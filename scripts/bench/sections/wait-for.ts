/**
 * How soon a caller learns that its operation finished, and at what cost in requests: the client
 * SDK's `waitFor` in each mode, next to Azure's `@azure/core-lro` poller with its defaults, all on
 * the same server. Each operation sleeps a random 0.5–1.5 s on the server (so completions fall at
 * random points of a poll interval); its `Retry-After` follows the ETA, as it does in production.
 * The clients run in their own process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_KEY, freshDataDir, longrunEnv } from '../longrun-env.ts';
import { startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { quantile, type Summary, summarise } from '../stats.ts';
import type { WaitWorkerOptions, WaitWorkerResult } from '../wait-worker.ts';

/** The clients and modes compared, in the order of each round. */
export const WAIT_CLIENTS: readonly { client: WaitWorkerOptions['client']; mode: WaitWorkerOptions['mode'] }[] = [
  { client: 'longrun', mode: 'poll' },
  { client: 'longrun', mode: 'long-poll' },
  { client: 'longrun', mode: 'sse' },
  { client: 'azure', mode: 'defaults' },
];

/** One client and mode. */
export interface WaitForMode {
  client: string;
  mode: string;
  skipped?: string;
  /** Per round: the p50 and p90 of completion → resolution over its operations. */
  latencyP50Ms: Summary;
  latencyP90Ms: Summary;
  /** Per round: mean requests per operation. */
  requestsPerOperation: Summary;
  /** Every operation of every round: completion → resolution p50. */
  pooledLatencyP50Ms: number;
}

/** What the section measured. */
export interface WaitForResult {
  modes: WaitForMode[];
}

const WORKER = fileURLToPath(new URL('../wait-worker.ts', import.meta.url));

async function runWorker(options: WaitWorkerOptions): Promise<WaitWorkerResult> {
  const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-wait-'));
  try {
    const file = join(dir, 'options.json');
    await writeFile(file, JSON.stringify(options));
    const child = spawn(process.execPath, [WORKER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) return { error: `the client process exited with ${code}` };
    return JSON.parse(output.trim().split('\n').at(-1) as string) as WaitWorkerResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the section. */
export async function benchWaitFor(settings: BenchSettings, log: (line: string) => void): Promise<WaitForResult> {
  const server = await startServer({
    name: 'longrun (sleeping handler)',
    entry: 'longrun',
    // Enough handler slots that no operation waits in the queue.
    env: longrunEnv(await freshDataDir('waitfor'), { BENCH_KINDS: 'sleep', LONGRUN_CONCURRENCY: '200' }),
  });
  try {
    const job = (entry: (typeof WAIT_CLIENTS)[number], operations: number): WaitWorkerOptions => ({
      url: server.url,
      apiKey: BENCH_KEY,
      client: entry.client,
      mode: entry.mode,
      operations,
      minMs: 500,
      maxMs: 1_500,
    });
    const skipped = new Map<string, string>();
    const key = (entry: (typeof WAIT_CLIENTS)[number]) => `${entry.client} ${entry.mode}`;
    for (const entry of WAIT_CLIENTS) {
      log(`  warm-up ${key(entry)}`);
      const warm = await runWorker(job(entry, 2));
      if ('error' in warm) skipped.set(key(entry), warm.error);
    }
    const rounds = new Map<string, { samples: { latencyMs: number; requests: number }[] }[]>();
    for (let round = 1; round <= settings.rounds; round++) {
      for (const entry of WAIT_CLIENTS) {
        if (skipped.has(key(entry))) continue;
        const result = await runWorker(job(entry, settings.waitOperations));
        if ('error' in result) {
          skipped.set(key(entry), result.error);
          continue;
        }
        rounds.set(key(entry), [...(rounds.get(key(entry)) ?? []), result]);
        const latencies = result.samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
        log(`  round ${round} ${key(entry)}: p50 ${quantile(latencies, 0.5).toFixed(1)} ms`);
      }
    }
    return {
      modes: WAIT_CLIENTS.map((entry) => {
        const results = rounds.get(key(entry)) ?? [];
        const sorted = (samples: { latencyMs: number }[]) =>
          samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
        const all = sorted(results.flatMap((result) => result.samples));
        const reason = skipped.get(key(entry));
        return {
          client: entry.client === 'azure' ? '@azure/core-lro 3 createHttpPoller' : '@longrun/client waitFor',
          mode: entry.mode,
          ...(reason === undefined ? {} : { skipped: reason }),
          latencyP50Ms: summarise(results.map((result) => quantile(sorted(result.samples), 0.5))),
          latencyP90Ms: summarise(results.map((result) => quantile(sorted(result.samples), 0.9))),
          requestsPerOperation: summarise(
            results.map(
              (result) => result.samples.reduce((sum, sample) => sum + sample.requests, 0) / result.samples.length,
            ),
          ),
          pooledLatencyP50Ms: quantile(all, 0.5),
        };
      }),
    };
  } finally {
    await server.stop();
  }
}
