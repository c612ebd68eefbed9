/**
 * Memory per waiting client: the server's RSS while it holds N concurrent long polls
 * (`Prefer: wait=60` on monitors that do not change), against its RSS just before, after a full
 * GC each time. The server is API-only (`LONGRUN_ROLE=api`), so the seeded operations stay queued
 * and every poll really waits; the server's own count of waiters confirms all N are held.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from '../load.ts';
import { BENCH_KEY, freshDataDir, longrunEnv, REQUEST_HEADERS } from '../longrun-env.ts';
import { seedInChild } from '../seed-store.ts';
import { type ServerProcess, startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { type Summary, summarise } from '../stats.ts';

/** What the section measured. */
export interface LongPollsResult {
  held: number;
  /** Median over the rounds, bytes. */
  rssBeforeBytes: number;
  rssHeldBytes: number;
  /** Per round: (RSS held − RSS before) ÷ N, and the same for the JS heap, in KiB. */
  rssPerClientKiB: Summary;
  heapPerClientKiB: Summary;
}

const WORKER = fileURLToPath(new URL('../long-poll-worker.ts', import.meta.url));
const ROUNDS = 3;

async function settledMemory(server: ServerProcess): Promise<{ rss: number; heap: number }> {
  for (let i = 0; i < 3; i++) {
    await server.gc();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const stats = await server.stats();
  return { rss: await server.rss(), heap: stats.memory.heapUsed };
}

/** Runs the section. */
export async function benchLongPolls(settings: BenchSettings, log: (line: string) => void): Promise<LongPollsResult> {
  const count = settings.longPolls;
  const dataDir = await freshDataDir('longpoll');
  const { ids } = await seedInChild({ dataDir, count, state: 'queued', sampleSize: count });
  // Too many ids for a command line: the client reads them from a file.
  const idsFile = join(dataDir, 'long-poll-ids.json');
  await writeFile(idsFile, JSON.stringify(ids));
  const perClient: number[] = [];
  const heapPerClient: number[] = [];
  const before: number[] = [];
  const held: number[] = [];
  // A fresh server each round: freed memory is not handed back to the OS, so a second round on
  // the same process would hold its polls in memory the first one left behind.
  for (let round = 1; round <= ROUNDS; round++) {
    const server = await startServer({
      name: 'longrun (API only)',
      entry: 'longrun',
      // The per-tenant cap on held polls (100 by default) and the connection cap would answer or
      // close most of them at once: this measures what holding them costs, so both allow them all.
      env: longrunEnv(dataDir, {
        LONGRUN_ROLE: 'api',
        LONGRUN_MAX_HELD_POLLS: String(count),
        LONGRUN_MAX_CONNECTIONS: String(count + 1_000),
      }),
      nodeArgs: ['--expose-gc'],
    });
    try {
      // Warm the monitor route and the long-poll path (short waits that time out) before measuring.
      const warm = ids.slice(0, 1_000);
      await runLoad({
        url: server.url,
        method: 'GET',
        path: '/monitors/{id}',
        ids: warm,
        headers: { ...REQUEST_HEADERS },
        connections: settings.connections,
        durationSeconds: settings.warmupSeconds,
      });
      await runLoad({
        url: server.url,
        method: 'GET',
        path: '/monitors/{id}',
        ids: warm,
        headers: { ...REQUEST_HEADERS, Prefer: 'wait=1', 'If-None-Match': '*' },
        connections: 100,
        durationSeconds: 3,
      });
      const idle = await settledMemory(server);
      const client = spawn(process.execPath, [WORKER, server.url, BENCH_KEY, idsFile], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let output = '';
      client.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      const deadline = Date.now() + 120_000;
      while ((await server.stats()).waiters < count) {
        if (Date.now() > deadline || client.exitCode !== null)
          throw new Error(`the server did not hold ${count} long polls (${output.trim()})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const holding = await settledMemory(server);
      const stillWaiting = (await server.stats()).waiters;
      client.stdin.end('close\n');
      await once(client, 'exit');
      if (stillWaiting < count)
        throw new Error(`only ${stillWaiting} of ${count} long polls were still held when measured`);
      before.push(idle.rss);
      held.push(holding.rss);
      perClient.push((holding.rss - idle.rss) / count / 1024);
      heapPerClient.push((holding.heap - idle.heap) / count / 1024);
      log(
        `  round ${round}: ${count} held, RSS ${(idle.rss / 1048576).toFixed(0)} → ${(holding.rss / 1048576).toFixed(0)} MiB, ${(perClient.at(-1) as number).toFixed(1)} KiB per client`,
      );
    } finally {
      await server.stop();
    }
  }
  return {
    held: count,
    rssBeforeBytes: summarise(before).median,
    rssHeldBytes: summarise(held).median,
    rssPerClientKiB: summarise(perClient),
    heapPerClientKiB: summarise(heapPerClient),
  };
}
