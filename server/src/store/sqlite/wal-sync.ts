/**
 * The WAL's fsync, off the event loop.
 *
 * With `synchronous=FULL` SQLite fsyncs the WAL inside `COMMIT`, and better-sqlite3 runs `COMMIT` on
 * the main thread: every group commit stopped the server for the length of an fsync (0.74 ms at p50,
 * 3.8 ms at p90 on the development machines), parsing, validating and answering nothing meanwhile.
 * So a {@link GroupCommit} over a WAL file commits with `synchronous=NORMAL` (the WAL is appended,
 * not synced) and this class `fdatasync`s the WAL on libuv's thread pool before the batch's writes
 * resolve. A write still resolves only once it is on disk, exactly as with `FULL`; what is not yet
 * synced when the power goes is a transaction nobody was told about (WAL frames carry checksums,
 * so recovery stops at the first frame that was not fully written, never skipping one).
 *
 * One sync runs at a time; commits made while it runs wait for the next one, which covers them all
 * (group commit on the fsync too). Reads that could see a commit whose sync is still running wait
 * for it too ({@link WalSync.whenDurable}), so nothing is shown that a power loss could take back.
 *
 * Checkpoints still sync the WAL and the database file themselves, inside the commit that runs them
 * (as with `FULL`). SQLite deletes the WAL file only when the last connection closes, and the store
 * keeps its connection open for its whole life, so the descriptor opened here stays the WAL's.
 *
 * @see https://www.sqlite.org/pragma.html#pragma_synchronous
 * @see https://www.sqlite.org/wal.html
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function waiters(): Waiters {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A read or a batch may never ask; an unobserved failure must not crash the process.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Syncs one WAL file on the thread pool, at most one sync at a time. */
export class WalSync {
  readonly #walPath: string;
  #fd: number | undefined;
  /** The sync running now, and who waits for it. */
  #running: Waiters | undefined;
  /** Commits made while {@link #running} ran: covered by the next sync. */
  #next: Waiters | undefined;
  #closed = false;

  /** @param walPath the `-wal` file next to the database file */
  constructor(walPath: string) {
    this.#walPath = walPath;
  }

  /** Call right after a `COMMIT`: resolves once that commit (and every one before it) is on disk. */
  afterCommit(): Promise<void> {
    if (this.#running === undefined) {
      this.#running = waiters();
      this.#start();
      return this.#running.promise;
    }
    this.#next ??= waiters();
    return this.#next.promise;
  }

  /**
   * Resolves once every commit made so far is on disk: at once (`undefined`) when no sync is
   * pending, so reads pay nothing while nothing is being written.
   */
  whenDurable(): Promise<void> | undefined {
    return (this.#next ?? this.#running)?.promise;
  }

  /** Syncs what is committed now, synchronously, settles every waiter, and lets the descriptor go. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const pending = [this.#running, this.#next];
    this.#running = undefined;
    this.#next = undefined;
    try {
      if (this.#fd !== undefined) fdatasyncSync(this.#fd);
      for (const waiting of pending) waiting?.resolve();
    } catch (error) {
      for (const waiting of pending) waiting?.reject(error);
    }
    // A sync still running on the pool holds the descriptor; its callback closes it.
    if (pending[0] === undefined) this.#closeFd();
  }

  #start(): void {
    let fd: number;
    try {
      // Opened on the first commit: by then SQLite has created the WAL file.
      this.#fd ??= openSync(this.#walPath, 'r');
      fd = this.#fd;
    } catch (error) {
      this.#finish(error);
      return;
    }
    fdatasync(fd, (error) => this.#finish(error ?? undefined));
  }

  #finish(error: unknown): void {
    if (this.#closed) {
      this.#closeFd();
      return;
    }
    const done = this.#running;
    if (error === undefined) done?.resolve();
    else done?.reject(error);
    this.#running = this.#next;
    this.#next = undefined;
    if (this.#running !== undefined) this.#start();
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
