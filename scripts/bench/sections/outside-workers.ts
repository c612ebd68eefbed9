/**
 * Outside workers: how soon a client waiting with `waitFor` (event stream) learns that an outside
 * worker reported `succeeded`, and how many operations per second go through API → RabbitMQ →
 * worker → RabbitMQ → API. The API, the worker and the clients (this process) are three processes
 * on one machine, so their clocks agree. Needs a RabbitMQ: `BENCH_AMQP_URL`, default the local one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type AcceptedResponse, createClient, waitFor } from '@longrun/client';
import { connect } from 'amqplib';
import { BENCH_KEY, freshDataDir, longrunEnv, TRANSCODE_JSON } from '../longrun-env.ts';
import { startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { quantile, type Summary, summarise } from '../stats.ts';

/** What the section measured. */
export interface OutsideWorkersResult {
  operationsPerRound: number;
  /** Per round: p50 and p99 of worker's `succeeded` → `waitFor` resolved, in ms. */
  latencyP50Ms: Summary;
  latencyP99Ms: Summary;
  /** Per round: operations from the first request to the last resolution, per second. */
  operationsPerSecond: Summary;
}

const WORKER = fileURLToPath(new URL('../outside-worker.ts', import.meta.url));

/** Runs the section. */
export async function benchOutsideWorkers(
  settings: BenchSettings,
  log: (line: string) => void,
): Promise<OutsideWorkersResult> {
  const amqpUrl = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const prefix = `longrun-bench-${randomUUID().slice(0, 8)}`;
  const brokerEnv = { BENCH_AMQP_URL: amqpUrl, BENCH_BROKER_PREFIX: prefix };
  const server = await startServer({
    name: 'longrun (outside transcode)',
    entry: 'longrun',
    env: longrunEnv(await freshDataDir('workers'), { BENCH_KINDS: 'outside', ...brokerEnv }),
  });
  const succeededAt = new Map<string, number>();
  const worker: ChildProcess = spawn(process.execPath, [WORKER], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...brokerEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('exit', (code) => reject(new Error(`the worker exited with ${code}`)));
      createInterface({ input: worker.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        if (line === 'ready') return resolve();
        const { operationId, succeededAt: at } = JSON.parse(line) as { operationId: string; succeededAt: number };
        succeededAt.set(operationId, at);
      });
    });
    const client = createClient({ baseUrl: server.url, apiKey: BENCH_KEY });
    const now = () => performance.timeOrigin + performance.now();
    const p50: number[] = [];
    const p99: number[] = [];
    const rates: number[] = [];
    // Round 0 warms up the connections, the JIT and the queues; it is not counted.
    for (let round = 0; round <= settings.rounds; round += 1) {
      const started = now();
      const waits: Promise<{ id: string; at: number }>[] = [];
      // 20 requests at a time, each followed by its client's `waitFor` at once.
      for (let index = 0; index < settings.outsideOperations; index += 20) {
        const batch = Math.min(20, settings.outsideOperations - index);
        const answers = await Promise.all(
          Array.from({ length: batch }, () => client.POST('/transcodes', { body: JSON.parse(TRANSCODE_JSON) })),
        );
        for (const accepted of answers) {
          const id = (accepted.data as { id: string }).id;
          waits.push(
            waitFor(client, accepted as AcceptedResponse as never, { mode: 'sse' }).then(() => ({ id, at: now() })),
          );
        }
      }
      const resolved = await Promise.all(waits);
      const finished = Math.max(...resolved.map((entry) => entry.at));
      const latencies = resolved
        .map((entry) => entry.at - (succeededAt.get(entry.id) ?? Number.NaN))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      if (round === 0) continue;
      p50.push(quantile(latencies, 0.5));
      p99.push(quantile(latencies, 0.99));
      rates.push(settings.outsideOperations / ((finished - started) / 1000));
      log(
        `  round ${round}: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, ${rates.at(-1)?.toFixed(0)} ops/s`,
      );
    }
    return {
      operationsPerRound: settings.outsideOperations,
      latencyP50Ms: summarise(p50),
      latencyP99Ms: summarise(p99),
      operationsPerSecond: summarise(rates),
    };
  } finally {
    worker.kill('SIGTERM');
    await server.stop();
    await deleteQueues(amqpUrl, prefix);
  }
}

/** Leaves the broker as it was: the run's queues and exchange go. */
async function deleteQueues(url: string, prefix: string): Promise<void> {
  const connection = await connect(url);
  const channel = await connection.createChannel();
  for (const queue of ['events', 'dead-letter', 'tasks.transcode']) await channel.deleteQueue(`${prefix}.${queue}`);
  await channel.deleteExchange(`${prefix}.control`);
  await connection.close();
}
