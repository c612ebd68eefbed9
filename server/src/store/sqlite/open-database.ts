/**
 * Opens a SQLite file for the store: durable pragmas, then the migrations.
 *
 * @see https://www.sqlite.org/wal.html
 * @see https://www.sqlite.org/pragma.html#pragma_synchronous
 */

import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { LongrunServerError } from '../../operations/longrun-server-error.ts';
import { migrate } from './migrations.ts';

/**
 * The oldest Node major the embedded SQLite driver runs on. better-sqlite3 13 ships prebuilt binaries
 * for Node ≥ 22 only; on Node 20 it loads, then crashes the process on first use, so the store refuses
 * to open instead and says what to do.
 */
export const SQLITE_MIN_NODE_MAJOR = 22;

/** Thrown when this Node cannot run the embedded SQLite store. */
export class SqliteUnavailableError extends LongrunServerError {
  override readonly name = 'SqliteUnavailableError';
  readonly code = 'sqlite-unavailable';
  constructor(nodeVersion: string) {
    super(
      `the embedded SQLite store needs Node ${SQLITE_MIN_NODE_MAJOR} or newer (this is Node ${nodeVersion}); ` +
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
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < SQLITE_MIN_NODE_MAJOR) throw new SqliteUnavailableError(process.versions.node);
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
