/**
 * Creating, dropping and reaching PostgreSQL databases: what test set-up and operators need
 * besides the store itself.
 */
import pg from 'pg';

/** `serverUrl` pointing at database `name` instead (user, password, host and options kept). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/**
 * A connected client on `url`, or a rejection within `timeoutMs` when nothing answers there.
 * The caller ends it.
 */
export async function connectClient(url: string, timeoutMs = 5_000): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // An error after connecting (the server went away) must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/** True when a PostgreSQL server at `url` accepts a connection within `timeoutMs`. */
export async function canConnect(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const client = await connectClient(url, timeoutMs);
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Creates database `name` on the server of `serverUrl` (a maintenance database such as `postgres`). */
export async function createDatabase(serverUrl: string, name: string): Promise<void> {
  const client = await connectClient(serverUrl);
  try {
    const { rows } = await client.query<{ version: number }>(
      "SELECT current_setting('server_version_num')::integer AS version",
    );
    // FILE_COPY (PostgreSQL 15+): a plain copy of the template's files, much faster for a small
    // database than 15's WAL-logged default; older servers only know the file copy.
    const strategy = (rows[0]?.version ?? 0) >= 150_000 ? ' STRATEGY FILE_COPY' : '';
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${strategy}`);
  } finally {
    await client.end();
  }
}

/** Drops database `name`, disconnecting whoever is still connected to it (PostgreSQL 13+). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const client = await connectClient(serverUrl);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
