/**
 * Opens a SQLite file for the store: durable pragmas, then the migrations.
 *
 * @see https://www.sqlite.org/wal.html
 * @see https://www.sqlite.org/pragma.html#pragma_synchronous
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { LongrunServerError } from '../../operations/longrun-server-error.ts';
import { migrate } from './migrations.ts';

/**
 * The oldest Node major that better-sqlite3 13 runs on. 13 ships its compiled driver inside the
 * package, for Node ≥ 22 only: on Node 20 it loads, then crashes the process on first use. The
 * server's dependency range also takes better-sqlite3 12, which runs on Node 20 (npm picks the newest
 * version whose `engines` match the running Node), so the store refuses only that one mismatch.
 */
export const SQLITE_MIN_NODE_MAJOR = 22;

/** Thrown when the installed SQLite driver cannot run on this Node. */
export class SqliteUnavailableError extends LongrunServerError {
  override readonly name = 'SqliteUnavailableError';
  readonly code = 'sqlite-unavailable';
  constructor(nodeVersion: string, driverVersion: string) {
    super(
      `the embedded SQLite store's driver, better-sqlite3 ${driverVersion}, needs Node ${SQLITE_MIN_NODE_MAJOR} ` +
        `or newer (this is Node ${nodeVersion}); install better-sqlite3 12 for this Node (npm picks it by ` +
        'itself; with pnpm or yarn, pin "better-sqlite3": "^12.9.0" in overrides or resolutions), ' +
        'upgrade Node, or set DATABASE_URL to run on PostgreSQL',
    );
  }
}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** How long a write waits for another process's write lock, in milliseconds. @default 5000 */
  busyTimeoutMs?: number | undefined;
}

/** Default {@link OpenDatabaseOptions.busyTimeoutMs}. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * SQLite's page cache per connection: 16 MiB. The default (2 MiB) cannot hold the interior pages
 * of a million operations' table and id index, so every monitor read went to the OS for pages it
 * had just read (measured: p50 1.25× that of a 1,000-operation store; see docs/performance.md).
 */
export const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * A connection to `filename` (created if missing), configured and migrated.
 * @throws {SqliteUnavailableError} on a Node the driver cannot run on
 */
export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): Database {
  refuseDriverMismatch();
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const db = new BetterSqlite3(filename, { timeout: busyTimeoutMs });
  try {
    // WAL: readers never block the writer, and a commit is one sequential WAL append.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && !db.memory)
      throw new Error(`could not enable WAL on ${filename} (journal_mode=${String(mode)})`);
    // FULL: the WAL is fsynced on every commit, so a resolved write survives power loss.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = ${-Math.round(DEFAULT_CACHE_BYTES / 1024)}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Refuses better-sqlite3 13 or newer on a Node older than {@link SQLITE_MIN_NODE_MAJOR}, before it can crash. */
function refuseDriverMismatch(): void {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor >= SQLITE_MIN_NODE_MAJOR) return;
  const driverVersion = installedDriverVersion();
  if (Number(driverVersion.split('.')[0]) >= 13) throw new SqliteUnavailableError(process.versions.node, driverVersion);
}

/** The version of the better-sqlite3 this module loads (its `exports` map hides its package.json). */
function installedDriverVersion(): string {
  const entry = createRequire(import.meta.url).resolve('better-sqlite3');
  let folder = path.dirname(entry);
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'better-sqlite3' && manifest.version) return manifest.version;
    } catch {
      // No manifest in this folder: look one up.
    }
    const parent = path.dirname(folder);
    if (parent === folder) return '0.0.0';
    folder = parent;
  }
}
