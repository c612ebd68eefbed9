/**
 * A PostgreSQL job queue as the end-to-end section's anchor: graphile-worker or pg-boss
 * (`ANCHOR`), on the same database as longrun (`DATABASE_URL`, its own schema), with a no-op job.
 *
 * One process both adds and runs the jobs, as one longrun process both accepts and runs
 * operations: each `round` adds `jobs` jobs one call at a time from `adders` concurrent callers
 * (the load generator's connections), the workers run them with `ANCHOR_CONCURRENCY` at once
 * (longrun's `LONGRUN_CONCURRENCY`), and the round ends once the library's table holds none of
 * them: a job counts as done when its completion is committed, not when its handler returned.
 *
 * Settings are each library's own defaults but for concurrency and wake-ups on insert:
 * - graphile-worker 0.18: `concurrency`, LISTEN/NOTIFY as it always uses, no job batching
 *   (`completeJobBatchDelay` and `localQueue` off, their defaults);
 * - pg-boss 12: `useListenNotify` with a `notify: true` queue, one worker fetching and completing
 *   `ANCHOR_CONCURRENCY` jobs per batch (`batchSize`), fetching again at once while batches come
 *   back full (`burstWhenBatchFull`).
 *
 * It also counts the statements the library sends (node-postgres, one round trip each).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the benchmark asks an anchor child over IPC. */
export type AnchorCommand = { type: 'round'; jobs: number; adders: number };

/** The answer to `round`. */
export interface AnchorRound {
  type: 'round';
  /** Jobs ÷ (last completion committed − first add resolved). */
  jobsPerSecond: number;
  /** From the last add resolved to the last completion committed. */
  drainMs: number;
  /** Statements sent to PostgreSQL during the round, per job. */
  roundTripsPerJob: number;
}

/** The message an anchor child sends once it is ready for rounds. */
export interface AnchorReady {
  type: 'ready';
  library: string;
  version: string;
}

interface Queue {
  library: string;
  version: string;
  add(): Promise<void>;
  /** Jobs of this queue not yet completed in the database. */
  pending(): Promise<number>;
  stop(): Promise<void>;
}

const anchor = process.env.ANCHOR ?? '';
const connectionString = process.env.DATABASE_URL ?? '';
const concurrency = Number(process.env.ANCHOR_CONCURRENCY ?? '8');
const TASK = 'noop';

let queries = 0;
let handled = 0;

/** Counts every statement the library's node-postgres sends (patched before it connects). */
function countQueries(packageName: string): void {
  const require = createRequire(import.meta.resolve(packageName));
  const pg = require('pg') as { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    queries += 1;
    return query.apply(this, args);
  };
}

/** The installed version (neither library exports its package.json: found beside its entry). */
function versionOf(packageName: string): string {
  let dir = dirname(fileURLToPath(import.meta.resolve(packageName)));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (manifest.name === packageName) return manifest.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

async function graphileWorker(): Promise<Queue> {
  countQueries('graphile-worker');
  const { run, makeWorkerUtils, Logger } = await import('graphile-worker');
  // Errors only, as longrun runs with LOG_LEVEL=warn: a line per job would cost it the console.
  const logger = new Logger(() => (level, message) => {
    if (level === 'error') console.error(`graphile-worker: ${message}`);
  });
  const runner = await run({
    connectionString,
    concurrency,
    noHandleSignals: true,
    logger,
    taskList: {
      [TASK]: async () => {
        handled += 1;
      },
    },
  });
  const utils = await makeWorkerUtils({ connectionString, logger });
  return {
    library: 'graphile-worker',
    version: versionOf('graphile-worker'),
    add: async () => {
      await utils.addJob(TASK, {});
    },
    pending: async () => {
      const rows = await utils.withPgClient((client) =>
        client.query<{ n: string }>('SELECT count(*) AS n FROM graphile_worker._private_jobs'),
      );
      return Number(rows.rows[0]?.n ?? 0);
    },
    stop: async () => {
      await runner.stop();
      await utils.release();
    },
  };
}

async function pgBoss(): Promise<Queue> {
  countQueries('pg-boss');
  const { PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString, useListenNotify: true });
  boss.on('error', (error: unknown) => console.error('pg-boss', error));
  await boss.start();
  await boss.createQueue(TASK, { notify: true });
  await boss.work(TASK, { batchSize: concurrency, burstWhenBatchFull: true }, async (jobs) => {
    handled += jobs.length;
  });
  return {
    library: 'pg-boss',
    version: versionOf('pg-boss'),
    add: async () => {
      await boss.send(TASK, {});
    },
    pending: async () => {
      const rows = (await boss
        .getDb()
        .executeSql(
          `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`,
          [TASK],
        )) as { rows: { n: string }[] };
      return Number(rows.rows[0]?.n ?? 0);
    },
    stop: () => boss.stop({ graceful: true }),
  };
}

const now = () => performance.timeOrigin + performance.now();

async function round(queue: Queue, jobs: number, adders: number): Promise<AnchorRound> {
  const handledBefore = handled;
  const queriesBefore = queries;
  let polls = 0;
  let added = 0;
  let firstAddedAt = 0;
  const adder = async () => {
    while (added < jobs) {
      added += 1;
      await queue.add();
      firstAddedAt ||= now();
    }
  };
  await Promise.all(Array.from({ length: adders }, adder));
  const lastAddedAt = now();
  // Handlers first (no database load while they run), then the commits of their completions.
  while (handled - handledBefore < jobs) await new Promise((resolve) => setTimeout(resolve, 5));
  // The harness's own polls (one statement each) are not the library's round trips.
  for (;;) {
    polls += 1;
    if ((await queue.pending()) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const doneAt = now();
  return {
    type: 'round',
    jobsPerSecond: jobs / ((doneAt - firstAddedAt) / 1000),
    drainMs: Math.max(0, doneAt - lastAddedAt),
    roundTripsPerJob: (queries - queriesBefore - polls) / jobs,
  };
}

const queue = anchor === 'graphile-worker' ? await graphileWorker() : anchor === 'pg-boss' ? await pgBoss() : undefined;
if (queue === undefined) throw new Error(`ANCHOR must be graphile-worker or pg-boss, got ${anchor}`);

process.on('message', (command: AnchorCommand) => {
  if (command.type !== 'round') return;
  round(queue, command.jobs, command.adders).then(
    (result) => process.send?.(result),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => {
  void queue.stop().finally(() => process.exit(0));
});
const ready: AnchorReady = { type: 'ready', library: queue.library, version: queue.version };
process.send?.(ready);
