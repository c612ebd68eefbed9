/**
 * The longrun server under test: the same `loadConfig()` + `createServer()` that `pnpm start`
 * runs (server/src/main.ts), configured by the same environment variables (`LONGRUN_ROLE=api` for
 * a process that runs no handlers, `DATABASE_URL` for PostgreSQL), plus what only the benchmark
 * needs:
 *
 * - `BENCH_KINDS=noop`: the `transcode` kind's handler returns at once (end-to-end figures);
 *   `BENCH_KINDS=sleep`: it sleeps the milliseconds named by its source URL (`…/sleep/1200`)
 *   and ends with no product (waitFor figures); `BENCH_KINDS=outside`: it is done by an outside
 *   worker through the RabbitMQ at `BENCH_AMQP_URL`, names prefixed `BENCH_BROKER_PREFIX`.
 *   Default: the reference kinds as shipped.
 *
 * It reports its port over IPC and answers `stats` (operations accepted and ended since the last
 * `reset`, long-poll waiters, memory) and `gc` (when started with --expose-gc).
 */
import { createRequire } from 'node:module';
import {
  type AnyKind,
  createServer,
  defineKind,
  defineOutsideKind,
  isTerminal,
  loadConfig,
  type ServerOptions,
  serverOptionsFromConfig,
} from '@longrun/server';
import { reportReady } from './report-ready.ts';

/** What the benchmark asks the server child over IPC. */
export type ServerCommand = { type: 'stats' } | { type: 'gc' } | { type: 'reset' };

/** The answer to `stats`. */
export interface ServerStats {
  type: 'stats';
  /** Operations accepted since the last reset, and when the first was (epoch ms). */
  accepted: number;
  firstAcceptedAt: number;
  /** Operations that reached a terminal state since the last reset, and when the last one did (epoch ms). */
  terminal: number;
  lastTerminalAt: number;
  /** Long polls waiting on a change. */
  waiters: number;
  /**
   * Statements sent to PostgreSQL since the last reset, by every connection of the process (its
   * pool and its listener); node-postgres sends one at a time per connection, so each is a round
   * trip. 0 on SQLite.
   */
  postgresQueries: number;
  memory: NodeJS.MemoryUsage;
}

const config = loadConfig();
const benchKinds = process.env.BENCH_KINDS ?? 'reference';

/** A `transcode` whose handler does no work: returns at once, or after the ms in its source URL. */
function benchTranscode(sleep: boolean): AnyKind {
  return defineKind<{ source: string }>({
    name: 'transcode',
    steps: [{ name: 'probe' }, { name: 'encode' }, { name: 'package' }],
    estimateMs: (input) => (sleep ? sleepMs(input.source) : 0),
    async run(input, ctx) {
      if (sleep) await ctx.sleep(sleepMs(input.source));
      return {};
    },
  }) as unknown as AnyKind;
}

function sleepMs(source: string): number {
  const match = /\/sleep\/(\d+)$/.exec(source);
  return match ? Number(match[1]) : 0;
}

// pino as the server package resolves it (it is the server's dependency, not the scripts').
const requireFromServer = createRequire(import.meta.resolve('@longrun/server'));
const { pino } = requireFromServer('pino') as {
  pino: (options: { level: string }) => Exclude<ServerOptions['logger'], false | undefined>;
};
const logger = pino({ level: config.logLevel });

// Counted at the driver, before the server opens a connection: every statement the process sends.
let postgresQueries = 0;
if (config.databaseUrl !== undefined) {
  const pg = requireFromServer('pg') as { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    postgresQueries += 1;
    return query.apply(this, args);
  };
}
const outside = benchKinds === 'outside';
const transcode = outside
  ? (defineOutsideKind({
      name: 'transcode',
      steps: [{ name: 'probe' }, { name: 'encode' }, { name: 'package' }],
    }) as unknown as AnyKind)
  : benchTranscode(benchKinds === 'sleep');
const server = await createServer({
  ...serverOptionsFromConfig(config),
  logger,
  ...(benchKinds === 'reference'
    ? {}
    : {
        kinds: (reference: readonly AnyKind[]) =>
          reference.map((kind) => (kind.name === 'transcode' ? transcode : kind)),
      }),
  ...(outside
    ? { broker: { url: process.env.BENCH_AMQP_URL ?? '', prefix: process.env.BENCH_BROKER_PREFIX ?? 'longrun-bench' } }
    : {}),
});

let accepted = 0;
let firstAcceptedAt = 0;
let terminal = 0;
let lastTerminalAt = 0;
server.engine.changes.subscribeAll((record) => {
  const at = performance.timeOrigin + performance.now();
  if (record.version === 1) {
    if (accepted === 0) firstAcceptedAt = at;
    accepted += 1;
  }
  if (isTerminal(record.state)) {
    terminal += 1;
    lastTerminalAt = at;
  }
});

process.on('message', (command: ServerCommand) => {
  if (command.type === 'reset') {
    accepted = 0;
    terminal = 0;
    firstAcceptedAt = 0;
    lastTerminalAt = 0;
    postgresQueries = 0;
    process.send?.({ type: 'reset' });
    return;
  }
  if (command.type === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ type: 'gc' });
    return;
  }
  const stats: ServerStats = {
    type: 'stats',
    accepted,
    firstAcceptedAt,
    terminal,
    lastTerminalAt,
    waiters: server.engine.changes.listenerCount(),
    postgresQueries,
    memory: process.memoryUsage(),
  };
  process.send?.(stats);
});
process.on('disconnect', () => {
  void server.close().finally(() => process.exit(0));
});

const { port } = await server.listen(config.port, config.host);
reportReady(port);
