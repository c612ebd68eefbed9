/**
 * Starts a real longrun server on a free port with a fresh SQLite store, for integration tests.
 * Exported as `@longrun/server/testing` so the client, contract and e2e suites share it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type LongrunServer, type ServerOptions } from '../create-server.ts';

/** The tenants and keys every test server accepts. */
export const TEST_TENANTS = {
  acme: 'test-key-acme',
  globex: 'test-key-globex',
} as const;

/** A running test server. */
export interface TestServer {
  server: LongrunServer;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Its data directory (removed by `stop`). */
  dataDir: string;
  /** Headers of tenant `acme` (or another), ready for fetch. */
  headers(tenant?: keyof typeof TEST_TENANTS, extra?: Record<string, string>): Record<string, string>;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

/**
 * Starts a server on port 0 with simulated work 100× faster and no logs.
 *
 * @example
 * const t = await startTestServer();
 * const res = await fetch(`${t.url}/cars`, { method: 'POST', headers: t.headers(), body: JSON.stringify(car) });
 * await t.stop();
 */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'longrun-test-')));
  const server = await createServer({
    dataDir,
    apiKeys: Object.entries(TEST_TENANTS).map(([tenant, key]) => ({ tenant, key })),
    simulationScale: 0.01,
    logger: false,
    ...options,
  });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    server,
    url,
    dataDir,
    headers(tenant = 'acme', extra = {}) {
      return { Authorization: `Bearer ${TEST_TENANTS[tenant]}`, 'Content-Type': 'application/json', ...extra };
    },
    async stop() {
      await server.close();
      if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
