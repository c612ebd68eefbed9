/**
 * End-to-end operations per second: from the `202` to the terminal state, with a handler that
 * returns at once (`BENCH_KINDS=noop`), so what is measured is longrun's own cost: the durable
 * accept, the claim, the terminal write and the change feed. On SQLite and on PostgreSQL, rounds
 * interleaved. The server runs handlers with its default concurrency (`LONGRUN_CONCURRENCY=8`).
 */

import { runLoad } from '../load.ts';
import { freshDataDir, longrunEnv, REQUEST_HEADERS, TRANSCODE_JSON } from '../longrun-env.ts';
import { type BenchDatabase, createBenchDatabase } from '../postgres-database.ts';
import { type ServerProcess, startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { type Summary, summarise } from '../stats.ts';

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
}

/** What the section measured. */
export interface EndToEndResult {
  stores: EndToEndStore[];
}

const DRAIN_TIMEOUT_MS = 180_000;

/** Runs the section. */
export async function benchEndToEnd(settings: BenchSettings, log: (line: string) => void): Promise<EndToEndResult> {
  const servers: { store: EndToEndStore['store']; server: ServerProcess }[] = [];
  const skipped: EndToEndStore[] = [];
  let database: BenchDatabase | undefined;
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
    }

    const round = async (server: ServerProcess, operations: number) => {
      await server.resetStats();
      const load = await runLoad({
        url: server.url,
        method: 'POST',
        path: '/transcodes',
        headers: { ...REQUEST_HEADERS },
        body: TRANSCODE_JSON,
        connections: settings.connections,
        durationSeconds: 0,
        amount: operations,
      });
      const lastAcceptAt = performance.timeOrigin + performance.now();
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      for (;;) {
        const stats = await server.stats();
        if (stats.terminal >= load.ok) {
          const seconds = (stats.lastTerminalAt - stats.firstAcceptedAt) / 1000;
          return { operationsPerSecond: load.ok / seconds, drainMs: Math.max(0, stats.lastTerminalAt - lastAcceptAt) };
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
    const results = new Map<string, { operationsPerSecond: number; drainMs: number }[]>();
    for (let index = 1; index <= settings.rounds; index++) {
      for (const { store, server } of servers) {
        const result = await round(server, settings.endToEndOperations);
        results.set(store, [...(results.get(store) ?? []), result]);
        log(`  round ${index} ${store}: ${result.operationsPerSecond.toFixed(0)} operations/s`);
      }
    }
    return {
      stores: [
        ...servers.map(({ store }) => ({
          store,
          operationsPerRound: settings.endToEndOperations,
          operationsPerSecond: summarise((results.get(store) ?? []).map((r) => r.operationsPerSecond)),
          drainMs: summarise((results.get(store) ?? []).map((r) => r.drainMs)),
        })),
        ...skipped,
      ],
    };
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
    await database?.drop();
  }
}
