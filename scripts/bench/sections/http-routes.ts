/**
 * HTTP throughput and latency of `POST /transcodes` (accept) and `GET /monitors/{id}` on longrun,
 * next to the same routes on plain Express 5 (no validation, in-memory) and on bare `node:http`.
 * The ratio of longrun to each, taken round by round, is the figure that matters.
 */

import { type LoadOptions, type LoadResult, runLoad } from '../load.ts';
import { acceptTranscodes, freshDataDir, longrunEnv, REQUEST_HEADERS, TRANSCODE_JSON } from '../longrun-env.ts';
import { type ServerProcess, startServer } from '../server-process.ts';
import type { BenchSettings } from '../settings.ts';
import { pairedRatios, type Summary, summarise } from '../stats.ts';

/** Unmeasured load before each measured round, on every server alike. */
const ROUND_WARMUP_SECONDS = 1;

/** The routes measured. */
export const HTTP_ROUTES = ['GET /monitors/{id}', 'POST /transcodes'] as const;
/** The servers compared. */
export const HTTP_SERVERS = ['longrun', 'express', 'node'] as const;

/** One route on one server, over the rounds. */
export interface RouteFigures {
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  /** Server RSS after the rounds, bytes. */
  rssBytes: number;
  /** Server CPU milliseconds per request (over the measured rounds). */
  cpuMsPerRequest: number;
}

/** What the section measured. */
export interface HttpRoutesResult {
  figures: Record<(typeof HTTP_ROUTES)[number], Record<(typeof HTTP_SERVERS)[number], RouteFigures>>;
  /** longrun ÷ plain Express and longrun ÷ node:http, requests per second, round by round. */
  ratios: Record<(typeof HTTP_ROUTES)[number], { express: Summary; node: Summary }>;
}

/** Runs the section. */
export async function benchHttpRoutes(settings: BenchSettings, log: (line: string) => void): Promise<HttpRoutesResult> {
  const dataDir = await freshDataDir('http');
  const servers: Record<(typeof HTTP_SERVERS)[number], ServerProcess> = {
    longrun: await startServer({ name: 'longrun', entry: 'longrun', env: longrunEnv(dataDir) }),
    express: await startServer({ name: 'express', entry: 'express' }),
    node: await startServer({ name: 'node', entry: 'node' }),
  };
  try {
    const ids = {} as Record<(typeof HTTP_SERVERS)[number], string[]>;
    for (const name of HTTP_SERVERS) ids[name] = await acceptTranscodes(servers[name].url, 1_000);

    const load = (
      route: (typeof HTTP_ROUTES)[number],
      name: (typeof HTTP_SERVERS)[number],
      seconds: number,
    ): LoadOptions => ({
      url: servers[name].url,
      method: route.startsWith('GET') ? 'GET' : 'POST',
      path: route.startsWith('GET') ? '/monitors/{id}' : '/transcodes',
      ids: ids[name],
      headers: { ...REQUEST_HEADERS },
      ...(route.startsWith('POST') ? { body: TRANSCODE_JSON } : {}),
      connections: settings.connections,
      durationSeconds: seconds,
    });

    for (const route of HTTP_ROUTES) {
      for (const name of HTTP_SERVERS) {
        log(`  warm-up ${route} on ${name}`);
        await runLoad(load(route, name, settings.warmupSeconds));
      }
    }

    const runs = new Map<string, LoadResult[]>();
    const cpu = new Map<string, number>();
    for (let round = 1; round <= settings.rounds; round++) {
      for (const route of HTTP_ROUTES) {
        // Interleaved: longrun, express, node, longrun, express, node… so drift hits all alike.
        for (const name of HTTP_SERVERS) {
          const key = `${route}|${name}`;
          // Each server sat idle while the others were measured; a second of load first makes every
          // round a steady-state one (an idle longrun hands memory back and regrows it under load).
          await runLoad(load(route, name, ROUND_WARMUP_SECONDS));
          const cpuBefore = await servers[name].cpuMs();
          const result = await runLoad(load(route, name, settings.durationSeconds));
          cpu.set(key, (cpu.get(key) ?? 0) + (await servers[name].cpuMs()) - cpuBefore);
          runs.set(key, [...(runs.get(key) ?? []), result]);
          log(
            `  round ${round} ${route} ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms`,
          );
        }
      }
    }

    const figures = {} as HttpRoutesResult['figures'];
    const ratios = {} as HttpRoutesResult['ratios'];
    for (const route of HTTP_ROUTES) {
      figures[route] = {} as HttpRoutesResult['figures'][typeof route];
      for (const name of HTTP_SERVERS) {
        const results = runs.get(`${route}|${name}`) ?? [];
        const requests = results.reduce((sum, result) => sum + result.ok, 0);
        figures[route][name] = {
          requestsPerSecond: summarise(results.map((result) => result.requestsPerSecond)),
          p50Ms: summarise(results.map((result) => result.p50Ms)),
          p99Ms: summarise(results.map((result) => result.p99Ms)),
          rssBytes: await servers[name].rss(),
          cpuMsPerRequest: (cpu.get(`${route}|${name}`) ?? 0) / requests,
        };
      }
      const rps = (name: (typeof HTTP_SERVERS)[number]) =>
        (runs.get(`${route}|${name}`) ?? []).map((result) => result.requestsPerSecond);
      ratios[route] = {
        express: summarise(pairedRatios(rps('longrun'), rps('express'))),
        node: summarise(pairedRatios(rps('longrun'), rps('node'))),
      };
    }
    return { figures, ratios };
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  }
}
