/**
 * The SQLite adapter's cache of operations being read, by id: what a read of the row would return,
 * without the read. See [decision 0017](../../../../docs/decisions/0017-sqlite-record-cache.md).
 *
 * An operation enters when a client reads it (a monitor `GET`, a poll), not when it is written: an
 * operation nobody reads would only be kept alive for the garbage collector to copy (measured: +5 µs
 * per create with every write cached, for nothing). Once in, the writes through this connection keep
 * it current. Everything is dropped whenever the file may hold
 * something else: another connection (in this process or another) committed since it was last
 * checked (`PRAGMA data_version`, checked before every read and once per write transaction, under
 * its write lock), or a write was rolled back (its entries may show what was undone). Records are
 * frozen (their top level): every caller shares them.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { StoredOperation } from './operation-row.ts';

/** Default {@link RecordCache} size: recent operations kept. */
export const DEFAULT_RECORD_CACHE_SIZE = 2048;

/**
 * A bounded map of operation id → {@link StoredOperation}, valid for one connection's view of the
 * file. Two generations: entries go into the young map; when it holds half the bound, it becomes
 * the old one and the old one is dropped. (Evicting the oldest entry of one map one by one walks
 * over the holes its deletes leave, microseconds per write at this size.)
 */
export class RecordCache {
  #young = new Map<string, StoredOperation>();
  #old = new Map<string, StoredOperation>();
  readonly #generation: number;
  readonly #dataVersion: Statement<[], number> | undefined;
  #seenDataVersion = 0;
  /** Ids set since the current write began, dropped if it is rolled back; undefined between transactions. */
  #written: string[] | undefined;

  /** `max` 0 keeps nothing (every read goes to the table). */
  constructor(db: Database, max = DEFAULT_RECORD_CACHE_SIZE) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`record cache size must be a whole number: ${max}`);
    this.#generation = Math.ceil(max / 2);
    if (max > 0) {
      this.#dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
      this.#seenDataVersion = this.#dataVersion.get() ?? 0;
    }
  }

  /** Entries held now. */
  get size(): number {
    let size = this.#young.size;
    for (const id of this.#old.keys()) if (!this.#young.has(id)) size += 1;
    return size;
  }

  /**
   * Drops everything when another connection committed since the last check. Called before a
   * read, and at the start of each write transaction (whose lock keeps others out until it ends).
   */
  sync(): void {
    // Nothing held, nothing to drop: the check (a read transaction, ~5 µs) is skipped. `data_version`
    // only grows, so a change it missed meanwhile still shows at the next check, which drops entries
    // made since: needlessly, but never wrongly.
    if (this.#dataVersion === undefined || (this.#young.size === 0 && this.#old.size === 0)) return;
    const now = this.#dataVersion.get() ?? 0;
    if (now !== this.#seenDataVersion) {
      this.#seenDataVersion = now;
      this.clear();
    }
  }

  /** The stored operation `id`, if cached (call {@link RecordCache.sync} first). */
  get(id: string): StoredOperation | undefined {
    return this.#young.get(id) ?? this.#old.get(id);
  }

  /** Keeps `stored`, just read, as the newest entry; the oldest go past the bound. */
  remember(stored: StoredOperation): void {
    this.#set(stored.record.id, stored);
  }

  /** Replaces the entry of `stored`'s operation, just written, if it has one; true when it had. */
  update(stored: StoredOperation): boolean {
    const id = stored.record.id;
    if (!this.#young.has(id) && !this.#old.has(id)) return false;
    this.#set(id, stored);
    return true;
  }

  #set(id: string, stored: StoredOperation): void {
    if (this.#generation === 0) return;
    // Every caller shares a cached record: none may change it for the others (its top level; see
    // decision 0017). A record never cached is the caller's alone and is left as it is.
    Object.freeze(stored.record);
    this.#young.set(id, stored);
    this.#written?.push(id);
    if (this.#young.size >= this.#generation) {
      this.#old = this.#young;
      this.#young = new Map();
    }
  }

  /** Forgets `id` (its row was deleted). */
  delete(id: string): void {
    this.#young.delete(id);
    this.#old.delete(id);
  }

  /** Forgets everything. */
  clear(): void {
    this.#young = new Map();
    this.#old = new Map();
  }

  /** A group transaction began (its write lock held): drops what another connection may have changed. */
  begun(): void {
    this.sync();
    this.#written = [];
  }

  /** A write of the transaction begins: what it caches is dropped if it is rolled back. */
  writeStarting(): void {
    if (this.#written !== undefined && this.#written.length > 0) this.#written = [];
  }

  /** The current write was rolled back to its savepoint: drops what it cached. */
  writeRolledBack(): void {
    for (const id of this.#written ?? []) this.delete(id);
    if (this.#written !== undefined) this.#written = [];
  }

  /** The transaction ended; when it did not commit, nothing cached during it can be trusted. */
  ended(committed: boolean): void {
    this.#written = undefined;
    if (!committed) this.clear();
  }
}
