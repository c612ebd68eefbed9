/**
 * Does a monitor read slow down as the store grows? `GET /monitors/{id}` latency and throughput,
 * and the server's RSS, with 1,000 and with 1,000,000 stored operations (finished ones, inside
 * the 24-hour retention), each in its own server and SQLite file, rounds interleaved. The ids read
 * are spread evenly over the whole store.
 */
import { stat } from 'node:fs/promises';
import { type LoadResult, runLoad } from '../load.ts';
import { freshDataDir, longrunEnv, REQUEST_HEADERS } from '../longrun-env.ts';
import { seedInChild } from '../seed-store.ts';
import { type ServerProcess, startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { pairedRatios, type Summary, summarise } from '../stats.ts';

/** One store size. */
export interface ScaleStore {
  stored: number;
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  rssBytes: number;
  databaseBytes: number;
}

/** What the section measured. */
export interface ScaleResult {
  stores: ScaleStore[];
  /** Large ÷ small, round by round. */
  p50Ratio: Summary;
  throughputRatio: Summary;
}

/** The small store's size. */
export const SMALL_STORE = 1_000;

/** Runs the section. */
export async function benchScale(settings: BenchSettings, log: (line: string) => void): Promise<ScaleResult> {
  const sizes = [SMALL_STORE, settings.largeStore];
  const servers: { stored: number; server: ServerProcess; ids: string[]; filename: string }[] = [];
  try {
    for (const stored of sizes) {
      const dataDir = await freshDataDir(`scale-${stored}`);
      log(`  seeding ${stored.toLocaleString('en-US')} operations`);
      const started = performance.now();
      const { ids, filename } = await seedInChild({ dataDir, count: stored, state: 'succeeded' });
      log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const server = await startServer({ name: `longrun ${stored}`, entry: 'longrun', env: longrunEnv(dataDir) });
      servers.push({ stored, server, ids, filename });
    }
    const load = (entry: (typeof servers)[number], seconds: number) =>
      runLoad({
        url: entry.server.url,
        method: 'GET',
        path: '/monitors/{id}',
        ids: entry.ids,
        headers: { ...REQUEST_HEADERS },
        connections: settings.connections,
        durationSeconds: seconds,
      });
    for (const entry of servers) await load(entry, settings.warmupSeconds);
    const runs = new Map<number, LoadResult[]>();
    for (let round = 1; round <= settings.rounds; round++) {
      for (const entry of servers) {
        const result = await load(entry, settings.durationSeconds);
        runs.set(entry.stored, [...(runs.get(entry.stored) ?? []), result]);
        log(
          `  round ${round} ${entry.stored}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms`,
        );
      }
    }
    const stores: ScaleStore[] = [];
    for (const entry of servers) {
      const results = runs.get(entry.stored) ?? [];
      stores.push({
        stored: entry.stored,
        requestsPerSecond: summarise(results.map((r) => r.requestsPerSecond)),
        p50Ms: summarise(results.map((r) => r.p50Ms)),
        p99Ms: summarise(results.map((r) => r.p99Ms)),
        rssBytes: await entry.server.rss(),
        databaseBytes: (await stat(entry.filename)).size,
      });
    }
    const small = runs.get(SMALL_STORE) ?? [];
    const large = runs.get(settings.largeStore) ?? [];
    return {
      stores,
      p50Ratio: summarise(
        pairedRatios(
          large.map((r) => r.p50Ms),
          small.map((r) => r.p50Ms),
        ),
      ),
      throughputRatio: summarise(
        pairedRatios(
          large.map((r) => r.requestsPerSecond),
          small.map((r) => r.requestsPerSecond),
        ),
      ),
    };
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
  }
}
