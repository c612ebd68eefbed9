/**
 * A throwaway PostgreSQL database for one benchmark run, on the local server (loopback only).
 */
import {
  canConnect,
  createDatabase,
  databaseUrl,
  dropDatabase,
} from '../../server/src/store/postgres/database-admin.ts';

/** The local PostgreSQL server: `BENCH_POSTGRES_URL`, else postgres@127.0.0.1:5432 (trust auth). */
export const POSTGRES_SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for this run, and how to drop it. */
export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh database, or says why there is none (no server answering). */
export async function createBenchDatabase(label: string): Promise<BenchDatabase | { unavailable: string }> {
  const host = new URL(POSTGRES_SERVER_URL).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    return { unavailable: `BENCH_POSTGRES_URL must be on loopback, got ${host}` };
  }
  if (!(await canConnect(POSTGRES_SERVER_URL))) return { unavailable: `no PostgreSQL answers at ${host}` };
  const name = `longrun_bench_${label}_${process.pid}_${Date.now()}`;
  await createDatabase(POSTGRES_SERVER_URL, name);
  return {
    url: databaseUrl(POSTGRES_SERVER_URL, name),
    drop: () => dropDatabase(POSTGRES_SERVER_URL, name),
  };
}
