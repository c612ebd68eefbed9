/**
 * The server's memory at rest: a fresh longrun (SQLite, `BENCH_KINDS=noop`, handlers in the same
 * process as `pnpm start` runs them) is read once started, then sent 1,000 `POST /transcodes`
 * that all run to their end, then left idle for 35 s and read again — as `ps` would show
 * it, no GC forced — and once more after a full GC. A fresh server per round. Beside it, in the
 * same rounds, the same server as a deployment runs it: built JavaScript from the packed package,
 * `NODE_ENV=production` (`deployed-server.ts`).
 */
import { rm } from 'node:fs/promises';
import { type DeployedServer, deployServerForBench } from '../deployed-server.ts';
import { freshDataDir, longrunEnv, postTranscodes } from '../longrun-env.ts';
import { type ServerProcess, startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { type Summary, summarise } from '../stats.ts';

/** One way of running the server, measured at rest (bytes). */
export interface IdleMemoryFigures {
  /** RSS once started and idle, before any request. */
  rssStartedBytes: Summary;
  /** RSS idle after the operations ended (no GC forced): the figure the target names. */
  rssIdleBytes: Summary;
  /** RSS after a full GC, idle. */
  rssAfterGcBytes: Summary;
  /** V8 heap used, idle after the operations (before the forced GC). */
  heapUsedBytes: Summary;
}

/**
 * What the section measured: the server as `pnpm start` runs it (its TypeScript sources, the
 * top-level figures), and as a deployment runs it (`deployed`).
 */
export interface IdleMemoryResult extends IdleMemoryFigures {
  operations: number;
  idleSeconds: number;
  /**
   * The packed server installed with production dependencies only and run as built JavaScript with
   * `NODE_ENV=production`, as the container image runs it; measured in the same rounds, beside the
   * other.
   */
  deployed?: IdleMemoryFigures;
  /** Why `deployed` was not measured (the build or the install failed). */
  deployedSkipped?: string;
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

/** The readings of one server in one round. */
interface Reading {
  started: number;
  idle: number;
  afterGc: number;
  heap: number;
  operations: number;
}

/** Reads `server` at rest, sends it the operations, waits for them to end, and reads it at rest again. */
async function readAtRest(server: ServerProcess, connections: number): Promise<Reading> {
  await sleep(IDLE_MS);
  const started = await server.rss();
  const load = await postTranscodes(server.url, OPERATIONS, connections);
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while ((await server.stats()).terminal < load.ok) {
    if (Date.now() > deadline) throw new Error(`${server.name}: operations did not end within ${DRAIN_TIMEOUT_MS} ms`);
    await sleep(20);
  }
  await sleep(IDLE_MS);
  const idle = await server.rss();
  const heap = (await server.stats()).memory.heapUsed;
  await server.gc();
  await sleep(500);
  return { started, idle, afterGc: await server.rss(), heap, operations: load.ok };
}

function figures(readings: readonly Reading[]): IdleMemoryFigures {
  return {
    rssStartedBytes: summarise(readings.map((r) => r.started)),
    rssIdleBytes: summarise(readings.map((r) => r.idle)),
    rssAfterGcBytes: summarise(readings.map((r) => r.afterGc)),
    heapUsedBytes: summarise(readings.map((r) => r.heap)),
  };
}

/** Runs the section. */
export async function benchIdleMemory(settings: BenchSettings, log: (line: string) => void): Promise<IdleMemoryResult> {
  const rounds = Math.min(settings.rounds, 3);
  let deployed: DeployedServer | undefined;
  let deployedSkipped: string | undefined;
  log('  building the packages and installing the packed server (pnpm build, pnpm deploy:server)');
  try {
    deployed = await deployServerForBench();
  } catch (error) {
    deployedSkipped = skipReason(error);
    log(`  the deployed server is not measured: ${deployedSkipped}`);
  }
  const env = { BENCH_KINDS: 'noop' };
  const sources: Reading[] = [];
  const built: Reading[] = [];
  try {
    for (let index = 1; index <= rounds; index++) {
      // Both at once, each a fresh process: their rest and their load fall in the same minute.
      const servers = await Promise.all([
        startServer({
          name: 'longrun SQLite',
          entry: 'longrun',
          env: longrunEnv(await freshDataDir('idle'), env),
          nodeArgs: ['--expose-gc'],
        }),
        ...(deployed === undefined
          ? []
          : [
              startServer({
                name: 'longrun SQLite, deployed',
                entry: 'longrun',
                entryPath: deployed.entry,
                env: longrunEnv(await freshDataDir('idle-deployed'), { ...env, NODE_ENV: 'production' }),
                nodeArgs: ['--expose-gc'],
              }),
            ]),
      ]);
      try {
        const [fromSources, fromBuilt] = await Promise.all(
          servers.map((server) => readAtRest(server, settings.connections)),
        );
        for (const [label, reading, list] of [
          ['pnpm start', fromSources, sources],
          ['deployed', fromBuilt, built],
        ] as const) {
          if (reading === undefined) continue;
          list.push(reading);
          log(
            `  round ${index}, ${label}: RSS started ${mib(reading.started)}, idle after ${reading.operations} operations ${mib(reading.idle)}, after GC ${mib(reading.afterGc)}`,
          );
        }
      } finally {
        await Promise.all(servers.map((server) => server.stop()));
      }
    }
  } finally {
    if (deployed !== undefined) await rm(deployed.dir, { recursive: true, force: true });
  }
  return {
    operations: OPERATIONS,
    idleSeconds: IDLE_MS / 1000,
    ...figures(sources),
    ...(deployed === undefined ? {} : { deployed: figures(built) }),
    ...(deployedSkipped === undefined ? {} : { deployedSkipped }),
  };
}

/** The line of a failed build or install that says why: npm's first error line, else the first line. */
function skipReason(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  const npmError = lines.find((line) => line.startsWith('npm error') && line.trim() !== 'npm error');
  return [lines[0], npmError].filter(Boolean).join(' ');
}

function mib(bytes: number | undefined): string {
  return `${((bytes ?? 0) / 2 ** 20).toFixed(0)} MiB`;
}
