/**
 * End-to-end operations per second: from the `202` to the terminal state, with a handler that
 * returns at once (`BENCH_KINDS=noop`), so what is measured is longrun's own cost: the durable
 * accept, the claim, the terminal write and the change feed. On SQLite and on PostgreSQL, rounds
 * interleaved. The server runs handlers with its default concurrency (`LONGRUN_CONCURRENCY=8`).
 *
 * Beside them, as anchors on the same PostgreSQL database in the same rounds: graphile-worker and
 * pg-boss adding and running as many no-op jobs with the same concurrency (`anchors/queue-anchor.ts`).
 * On PostgreSQL the statements each side sends are counted (round trips per operation or job).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { AnchorCommand, AnchorReady, AnchorRound } from '../anchors/queue-anchor.ts';

import { freshDataDir, longrunEnv, postTranscodes } from '../longrun-env.ts';
import { type BenchDatabase, createBenchDatabase } from '../postgres-database.ts';
import { type ServerProcess, startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { pairedRatios, type Summary, summarise } from '../stats.ts';

/** One store's figures. */
export interface EndToEndStore {
  store: 'SQLite' | 'PostgreSQL';
  /** Why it was not measured, when it was not. */
  skipped?: string;
  operationsPerRound: number;
  /** Accepted operations ÷ (last terminal − first accept), per round. */
  operationsPerSecond: Summary;
  /** From the last `202` to the last terminal state, per round. */
  drainMs: Summary;
  /** PostgreSQL: statements the server sent per accepted operation (node-postgres: one round trip each). */
  roundTripsPerOperation?: Summary;
}

/** A job queue on the same PostgreSQL, doing as many no-op jobs per round. */
export interface EndToEndAnchor {
  library: 'graphile-worker' | 'pg-boss';
  version: string;
  skipped?: string;
  jobsPerRound: number;
  /** Jobs ÷ (last completion committed − first add), per round. */
  jobsPerSecond: Summary;
  /** From the last add to the last completion committed, per round. */
  drainMs: Summary;
  roundTripsPerJob: Summary;
  /** longrun on PostgreSQL operations/s ÷ this library's jobs/s, round by round. */
  longrunPostgresRatio: Summary;
}

/** What the section measured. */
export interface EndToEndResult {
  stores: EndToEndStore[];
  anchors: EndToEndAnchor[];
}

/** The anchors, in the order they run in each round. */
const ANCHORS = ['graphile-worker', 'pg-boss'] as const;
/** The handler concurrency of every side: longrun's default `LONGRUN_CONCURRENCY`. */
const CONCURRENCY = 8;

const DRAIN_TIMEOUT_MS = 180_000;

/** Runs the section. */
export async function benchEndToEnd(settings: BenchSettings, log: (line: string) => void): Promise<EndToEndResult> {
  const servers: { store: EndToEndStore['store']; server: ServerProcess }[] = [];
  const skipped: EndToEndStore[] = [];
  let database: BenchDatabase | undefined;
  const anchors: { library: EndToEndAnchor['library']; anchor: AnchorProcess }[] = [];
  const env = { BENCH_KINDS: 'noop' };
  try {
    servers.push({
      store: 'SQLite',
      server: await startServer({
        name: 'longrun SQLite',
        entry: 'longrun',
        env: longrunEnv(await freshDataDir('e2e'), env),
      }),
    });
    const postgres = await createBenchDatabase('e2e');
    if ('unavailable' in postgres) {
      skipped.push({
        store: 'PostgreSQL',
        skipped: postgres.unavailable,
        operationsPerRound: 0,
        operationsPerSecond: summarise([]),
        drainMs: summarise([]),
      });
    } else {
      database = postgres;
      servers.push({
        store: 'PostgreSQL',
        server: await startServer({
          name: 'longrun PostgreSQL',
          entry: 'longrun',
          env: longrunEnv(await freshDataDir('e2e-pg'), { ...env, DATABASE_URL: postgres.url }),
        }),
      });
      for (const library of ANCHORS) anchors.push({ library, anchor: await startAnchor(library, postgres.url) });
    }

    const round = async (server: ServerProcess, operations: number) => {
      await server.resetStats();
      const load = await postTranscodes(server.url, operations, settings.connections);
      const lastAcceptAt = performance.timeOrigin + performance.now();
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      for (;;) {
        const stats = await server.stats();
        if (stats.terminal >= load.ok) {
          const seconds = (stats.lastTerminalAt - stats.firstAcceptedAt) / 1000;
          return {
            operationsPerSecond: load.ok / seconds,
            drainMs: Math.max(0, stats.lastTerminalAt - lastAcceptAt),
            roundTripsPerOperation: stats.postgresQueries / load.ok,
          };
        }
        if (Date.now() > deadline)
          throw new Error(`${server.name}: ${stats.terminal} of ${load.ok} operations ended in ${DRAIN_TIMEOUT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    for (const { server } of servers) {
      log(`  warm-up ${server.name}`);
      await round(server, Math.min(1_000, settings.endToEndOperations));
    }
    for (const { library, anchor } of anchors) {
      log(`  warm-up ${library}`);
      await anchor.round(Math.min(1_000, settings.endToEndOperations), settings.connections);
    }
    const results = new Map<
      string,
      { operationsPerSecond: number; drainMs: number; roundTripsPerOperation: number }[]
    >();
    const anchorResults = new Map<string, AnchorRound[]>();
    for (let index = 1; index <= settings.rounds; index++) {
      for (const { store, server } of servers) {
        const result = await round(server, settings.endToEndOperations);
        results.set(store, [...(results.get(store) ?? []), result]);
        log(`  round ${index} ${store}: ${result.operationsPerSecond.toFixed(0)} operations/s`);
      }
      for (const { library, anchor } of anchors) {
        const result = await anchor.round(settings.endToEndOperations, settings.connections);
        anchorResults.set(library, [...(anchorResults.get(library) ?? []), result]);
        log(`  round ${index} ${library}: ${result.jobsPerSecond.toFixed(0)} jobs/s`);
      }
    }
    const postgresRounds = (results.get('PostgreSQL') ?? []).map((r) => r.operationsPerSecond);
    return {
      stores: [
        ...servers.map(({ store }) => ({
          store,
          operationsPerRound: settings.endToEndOperations,
          operationsPerSecond: summarise((results.get(store) ?? []).map((r) => r.operationsPerSecond)),
          drainMs: summarise((results.get(store) ?? []).map((r) => r.drainMs)),
          ...(store === 'PostgreSQL'
            ? { roundTripsPerOperation: summarise((results.get(store) ?? []).map((r) => r.roundTripsPerOperation)) }
            : {}),
        })),
        ...skipped,
      ],
      anchors: anchors.map(({ library, anchor }) => {
        const rounds = anchorResults.get(library) ?? [];
        const jobsPerSecond = rounds.map((r) => r.jobsPerSecond);
        return {
          library,
          version: anchor.version,
          jobsPerRound: settings.endToEndOperations,
          jobsPerSecond: summarise(jobsPerSecond),
          drainMs: summarise(rounds.map((r) => r.drainMs)),
          roundTripsPerJob: summarise(rounds.map((r) => r.roundTripsPerJob)),
          longrunPostgresRatio: summarise(pairedRatios(postgresRounds, jobsPerSecond)),
        };
      }),
    };
  } finally {
    await Promise.all([...servers.map(({ server }) => server.stop()), ...anchors.map(({ anchor }) => anchor.stop())]);
    await database?.drop();
  }
}

/** A running anchor child. */
interface AnchorProcess {
  version: string;
  round(jobs: number, adders: number): Promise<AnchorRound>;
  stop(): Promise<void>;
}

const ANCHOR_ENTRY = fileURLToPath(new URL('../anchors/queue-anchor.ts', import.meta.url));

/** Starts an anchor child on `databaseUrl` and resolves once its queue is installed and running. */
async function startAnchor(library: EndToEndAnchor['library'], databaseUrl: string): Promise<AnchorProcess> {
  const child: ChildProcess = spawn(process.execPath, [ANCHOR_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ANCHOR: library,
      DATABASE_URL: databaseUrl,
      ANCHOR_CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const next = async <T extends { type: string }>(type: T['type']): Promise<T> => {
    const message = await Promise.race([
      (async () => {
        for (;;) {
          const [received] = (await once(child, 'message')) as [{ type: string }];
          if (received.type === type) return received as T;
        }
      })(),
      exited.then(([code]) => {
        throw new Error(`the ${library} anchor exited (code ${code})`);
      }),
    ]);
    return message;
  };
  const ready = await next<AnchorReady>('ready');
  return {
    version: ready.version,
    async round(jobs, adders) {
      const answer = next<AnchorRound>('round');
      const command: AnchorCommand = { type: 'round', jobs, adders };
      child.send(command);
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
