/**
 * Group commit: the writes queued during one tick share one durable transaction.
 *
 * With `synchronous=FULL` every commit waits for an fsync, which caps single-row commits at a few
 * thousand per second; a transaction of hundreds of rows costs about the same fsync. So each write
 * is queued, and at the end of the tick (`setImmediate`) up to `maxBatch` of them run in order in
 * one `BEGIN IMMEDIATE` transaction. Each runs inside its own SAVEPOINT: one that throws is rolled
 * back alone and rejects alone; the others see exactly the effects of those before them, as if run
 * one by one. Promises settle only once the transaction is durable; when the commit itself fails,
 * every write of the batch rejects.
 *
 * On a WAL file opened with `synchronous=FULL` (the store's), the fsync that makes a commit durable
 * runs off the event loop ({@link WalSync}): the connection commits with `synchronous=NORMAL` and
 * the batch resolves after the WAL's `fdatasync` on the thread pool. Writes queued while that sync
 * runs wait for it and then commit together, so a busy queue commits once per sync, not once per
 * tick. Reads made through
 * {@link GroupCommit.read} wait for a sync still running, so they never show a write that is not
 * yet durable.
 */
import type { Database, Statement } from 'better-sqlite3';
import { LongrunServerError } from '../../operations/longrun-server-error.ts';
import { WalSync } from './wal-sync.ts';

/** What one committed batch did, for metrics and tests. */
export interface CommitInfo {
  /** How many queued writes the transaction held (including ones that threw and were rolled back). */
  writes: number;
  /** Time from BEGIN to the end of COMMIT, in milliseconds (the WAL's fsync off the loop not included). */
  durationMs: number;
}

/** Options of {@link GroupCommit}. */
export interface GroupCommitOptions {
  /** Most writes in one transaction; the rest wait for the next one. @default 1000 */
  maxBatch?: number | undefined;
  /** Called after every committed transaction. */
  onCommit?: ((info: CommitInfo) => void) | undefined;
}

/** Thrown for writes queued after {@link GroupCommit.close}. */
export class StoreClosedError extends LongrunServerError {
  override readonly name = 'StoreClosedError';
  readonly code = 'store-closed';
  constructor() {
    super('the store is closed');
  }
}

interface QueuedWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Settlement = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Default {@link GroupCommitOptions.maxBatch}. */
export const DEFAULT_MAX_BATCH = 1000;

/** A write queue over one better-sqlite3 connection that commits a tick's writes together. */
export class GroupCommit {
  readonly #db: Database;
  readonly #maxBatch: number;
  readonly #onCommit: ((info: CommitInfo) => void) | undefined;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #rollback: Statement;
  readonly #savepoint: Statement;
  readonly #release: Statement;
  readonly #rollbackToSavepoint: Statement;
  readonly #walSync: WalSync | undefined;
  #queue: QueuedWrite[] = [];
  #scheduled: NodeJS.Immediate | undefined;
  /** Writes are queued behind the WAL sync in flight (see {@link GroupCommit.#schedule}). */
  #waitingForSync = false;
  #closed = false;

  constructor(db: Database, options: GroupCommitOptions = {}) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(maxBatch) || maxBatch < 1)
      throw new RangeError(`maxBatch must be a positive integer: ${maxBatch}`);
    this.#db = db;
    this.#maxBatch = maxBatch;
    this.#onCommit = options.onCommit;
    // IMMEDIATE takes the write lock up front, so another process cannot slip in between our
    // reads and writes (and busy_timeout waits for it instead of failing mid-batch).
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#savepoint = db.prepare('SAVEPOINT queued_write');
    this.#release = db.prepare('RELEASE queued_write');
    this.#rollbackToSavepoint = db.prepare('ROLLBACK TO queued_write');
    this.#walSync = takeOverWalSync(db);
  }

  /**
   * Runs `read` (synchronous SQL) now and resolves with its value once everything it could see is
   * durable: at once when no commit's fsync is running.
   */
  read<T>(read: () => T): Promise<T> {
    const value = read();
    const durable = this.#walSync?.whenDurable();
    return durable === undefined ? Promise.resolve(value) : durable.then(() => value);
  }

  /**
   * Queues `work` (synchronous SQL) for the next group transaction; resolves with its return value
   * once that transaction committed, or rejects with what it threw.
   */
  write<T>(work: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Commits everything queued now, synchronously, then refuses further writes. */
  close(): void {
    this.#closed = true;
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    while (this.#queue.length > 0) this.#flushOne();
    this.#walSync?.close();
  }

  #schedule(): void {
    if (this.#scheduled !== undefined || this.#waitingForSync) return;
    // While the WAL's sync of the last commit runs, the writes queued meanwhile wait for it and then
    // commit together: they would have waited for it anyway (a sync covers the commits before it,
    // and the next starts only when it ends), and under load a transaction then holds the writes
    // of several ticks instead of each tick paying its own BEGIN and COMMIT.
    const syncing = this.#walSync?.whenDurable();
    if (syncing !== undefined) {
      this.#waitingForSync = true;
      const resume = () => {
        this.#waitingForSync = false;
        if (!this.#closed && this.#queue.length > 0) this.#schedule();
      };
      syncing.then(resume, resume);
      return;
    }
    this.#scheduled = setImmediate(() => {
      this.#scheduled = undefined;
      this.#flushOne();
      // Leftovers beyond maxBatch go in the next turn, letting I/O and reads in between.
      if (this.#queue.length > 0) this.#schedule();
    });
  }

  #flushOne(): void {
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (batch.length === 0) return;
    const started = performance.now();
    const settled: Settlement[] = [];
    try {
      this.#begin.run();
      for (const write of batch) settled.push(this.#runOne(write));
      this.#commit.run();
    } catch (error) {
      // BEGIN or COMMIT failed, or SQLite rolled the whole transaction back (disk full, I/O error):
      // nothing of the batch is durable.
      if (this.#db.inTransaction) this.#rollback.run();
      for (const write of batch) write.reject(error);
      return;
    }
    const durationMs = performance.now() - started;
    const settle = () =>
      batch.forEach((write, index) => {
        const outcome = settled[index];
        if (outcome?.ok) write.resolve(outcome.value);
        else write.reject(outcome?.error);
      });
    const durable = this.#walSync?.afterCommit();
    if (durable === undefined) settle();
    else
      durable.then(settle, (error: unknown) => {
        // Committed, but not known to be on disk: no write of the batch may be reported done.
        for (const write of batch) write.reject(error);
      });
    this.#onCommit?.({ writes: batch.length, durationMs });
  }

  #runOne(write: QueuedWrite): Settlement {
    this.#savepoint.run();
    try {
      const value = write.run();
      this.#release.run();
      return { ok: true, value };
    } catch (error) {
      // Some errors end the transaction itself; then the whole batch must fail.
      if (!this.#db.inTransaction) throw error;
      this.#rollbackToSavepoint.run();
      this.#release.run();
      return { ok: false, error };
    }
  }
}

/** `synchronous=FULL` (or EXTRA) is 2 (or 3) in `PRAGMA synchronous`. */
const SYNCHRONOUS_FULL = 2;

/**
 * For a WAL file whose connection syncs every commit, moves that sync off the event loop: the
 * connection commits with `synchronous=NORMAL` from now on and the returned {@link WalSync} does
 * the fsync before writes resolve. A memory database, a rollback journal, or a connection opened
 * without per-commit syncs is left as it is (`undefined`).
 */
function takeOverWalSync(db: Database): WalSync | undefined {
  // A second queue would find `NORMAL` and leave the syncing to nobody: its writes would resolve
  // before they are durable.
  if (syncedByAQueue.has(db)) throw new Error('this connection already has a GroupCommit: use one per connection');
  if (db.memory) return undefined;
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  if (Number(db.pragma('synchronous', { simple: true })) < SYNCHRONOUS_FULL) return undefined;
  db.pragma('synchronous = NORMAL');
  syncedByAQueue.add(db);
  return new WalSync(`${db.name}-wal`);
}

/** Connections whose WAL sync a {@link GroupCommit} took over. */
const syncedByAQueue = new WeakSet<Database>();
