/**
 * How every longrun server of the benchmark is configured, and the requests it is sent.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadResult, runLoad } from './load.ts';
import { TRANSCODE_BODY } from './monitor-fixture.ts';

/** The benchmark's tenant and its key. */
export const BENCH_TENANT = 'bench';
export const BENCH_KEY = 'bench-key';

/**
 * The default quota (6000 requests per 60 s per tenant) would throttle the load generator within
 * a second, so every longrun server here allows 10^9 per 60 s. Said in docs/performance.md.
 */
export const BENCH_RATE_LIMIT = '1000000000/60';

/** A fresh data directory for one server. */
export function freshDataDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `longrun-bench-${label}-`));
}

/** The environment of a longrun server under test (plus `extra`). */
export function longrunEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LONGRUN_DATA_DIR: dataDir,
    LONGRUN_API_KEYS: `${BENCH_TENANT}:${BENCH_KEY}`,
    LONGRUN_RATE_LIMIT: BENCH_RATE_LIMIT,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Headers of every benchmark request (the comparison servers ignore the key). */
export const REQUEST_HEADERS = {
  Authorization: `Bearer ${BENCH_KEY}`,
  'Content-Type': 'application/json',
} as const;

/** The `POST /transcodes` body, as sent. */
export const TRANSCODE_JSON = JSON.stringify(TRANSCODE_BODY);

/**
 * Accepts `count` transcodes over HTTP (20 at a time) and returns their monitor ids: the ids the
 * `GET /monitors/{id}` load cycles through.
 */
export async function acceptTranscodes(url: string, count: number, body: string = TRANSCODE_JSON): Promise<string[]> {
  const ids: string[] = [];
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started += 1;
      const response = await fetch(`${url}/transcodes`, { method: 'POST', headers: REQUEST_HEADERS, body });
      if (response.status !== 202)
        throw new Error(`POST /transcodes answered ${response.status}: ${await response.text()}`);
      ids.push(((await response.json()) as { id: string }).id);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
  return ids;
}

/** Sends `amount` `POST /transcodes` from `connections` connections (the load generator's child process). */
export function postTranscodes(url: string, amount: number, connections: number): Promise<LoadResult> {
  return runLoad({
    url,
    method: 'POST',
    path: '/transcodes',
    headers: { ...REQUEST_HEADERS },
    body: TRANSCODE_JSON,
    connections,
    durationSeconds: 0,
    amount,
  });
}
