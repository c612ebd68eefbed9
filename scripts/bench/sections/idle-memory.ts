/**
 * The server's memory at rest: a fresh longrun (SQLite, `BENCH_KINDS=noop`, handlers in the same
 * process as `pnpm start` runs them) is read once started, then sent 1,000 `POST /transcodes`
 * that all run to their end, then left idle for 35 s and read again — as `ps` would show
 * it, no GC forced — and once more after a full GC. A fresh server per round.
 */
import { runLoad } from '../load.ts';
import { freshDataDir, longrunEnv, REQUEST_HEADERS, TRANSCODE_JSON } from '../longrun-env.ts';
import { startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { type Summary, summarise } from '../stats.ts';

/** What the section measured (bytes). */
export interface IdleMemoryResult {
  operations: number;
  idleSeconds: number;
  /** RSS once started and idle, before any request. */
  rssStartedBytes: Summary;
  /** RSS idle after the operations ended (no GC forced): the figure the target names. */
  rssIdleBytes: Summary;
  /** RSS after a full GC, idle. */
  rssAfterGcBytes: Summary;
  /** V8 heap used, idle after the operations (before the forced GC). */
  heapUsedBytes: Summary;
}

const OPERATIONS = 1_000;
/**
 * How long the server is left at rest before each read: past the 20 s of quiet after which it hands
 * back the memory it grew under load (`LONGRUN_RELEASE_IDLE_MEMORY`, decision 0016), counted from
 * the last collection V8 makes by itself after the load (seconds after it), as `ps` shows a server
 * that has been idle for a while.
 */
const IDLE_MS = 35_000;
const DRAIN_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the section. */
export async function benchIdleMemory(settings: BenchSettings, log: (line: string) => void): Promise<IdleMemoryResult> {
  const started: number[] = [];
  const idle: number[] = [];
  const afterGc: number[] = [];
  const heap: number[] = [];
  const rounds = Math.min(settings.rounds, 3);
  for (let index = 1; index <= rounds; index++) {
    const server = await startServer({
      name: 'longrun SQLite',
      entry: 'longrun',
      env: longrunEnv(await freshDataDir('idle'), { BENCH_KINDS: 'noop' }),
      nodeArgs: ['--expose-gc'],
    });
    try {
      await sleep(IDLE_MS);
      started.push(await server.rss());
      const load = await runLoad({
        url: server.url,
        method: 'POST',
        path: '/transcodes',
        headers: { ...REQUEST_HEADERS },
        body: TRANSCODE_JSON,
        connections: settings.connections,
        durationSeconds: 0,
        amount: OPERATIONS,
      });
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      while ((await server.stats()).terminal < load.ok) {
        if (Date.now() > deadline) throw new Error(`operations did not end within ${DRAIN_TIMEOUT_MS} ms`);
        await sleep(20);
      }
      await sleep(IDLE_MS);
      idle.push(await server.rss());
      heap.push((await server.stats()).memory.heapUsed);
      await server.gc();
      await sleep(500);
      afterGc.push(await server.rss());
      log(
        `  round ${index}: RSS started ${mib(started.at(-1))}, idle after ${load.ok} operations ${mib(idle.at(-1))}, after GC ${mib(afterGc.at(-1))}`,
      );
    } finally {
      await server.stop();
    }
  }
  return {
    operations: OPERATIONS,
    idleSeconds: IDLE_MS / 1000,
    rssStartedBytes: summarise(started),
    rssIdleBytes: summarise(idle),
    rssAfterGcBytes: summarise(afterGc),
    heapUsedBytes: summarise(heap),
  };
}

function mib(bytes: number | undefined): string {
  return `${((bytes ?? 0) / 2 ** 20).toFixed(0)} MiB`;
}
