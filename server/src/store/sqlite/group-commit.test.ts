import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, read, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit, StoreClosedError } from './group-commit.ts';
import { openDatabase } from './open-database.ts';

describe('GroupCommit', () => {
  let db: Database;
  let commits: number[];
  let writes: GroupCommit;

  beforeEach(() => {
    db = new BetterSqlite3(':memory:');
    db.exec('CREATE TABLE item (name TEXT PRIMARY KEY) STRICT');
    commits = [];
    writes = new GroupCommit(db, { maxBatch: 3, onCommit: (info) => commits.push(info.writes) });
  });

  afterEach(() => {
    writes.close();
    db.close();
  });

  const insert = (name: string) => () => db.prepare('INSERT INTO item (name) VALUES (?)').run(name).changes;
  const names = () => db.prepare('SELECT name FROM item ORDER BY name').pluck().all();

  it('runs the writes of a tick in order in one transaction and resolves each with its value', async () => {
    const count = () => db.prepare('SELECT count(*) FROM item').pluck().get();
    const results = await Promise.all([writes.write(insert('a')), writes.write(count), writes.write(insert('b'))]);
    expect(results).toStrictEqual([1, 1, 1]);
    expect(commits).toStrictEqual([3]);
  });

  it('does not run a write before the end of the tick', async () => {
    const pending = writes.write(insert('a'));
    expect(names()).toStrictEqual([]);
    await pending;
    expect(names()).toStrictEqual(['a']);
  });

  it('rolls back and rejects only the write that threw', async () => {
    const failing = () => {
      insert('half-done')();
      throw new Error('boom');
    };
    const results = await Promise.allSettled([
      writes.write(insert('a')),
      writes.write(failing),
      writes.write(insert('b')),
    ]);
    expect(results.map((r) => r.status)).toStrictEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(names()).toStrictEqual(['a', 'b']);
    expect(commits).toStrictEqual([3]);
  });

  it('rejects every write of the batch when the commit fails, keeping none', async () => {
    db.exec(`CREATE TABLE child (parent TEXT REFERENCES item (name) DEFERRABLE INITIALLY DEFERRED) STRICT;
             PRAGMA foreign_keys = ON;`);
    const dangling = () => db.prepare("INSERT INTO child (parent) VALUES ('nobody')").run().changes;
    const results = await Promise.allSettled([writes.write(insert('a')), writes.write(dangling)]);
    expect(results.map((r) => r.status)).toStrictEqual(['rejected', 'rejected']);
    expect(names()).toStrictEqual([]);
    expect(db.inTransaction).toBe(false);
    expect(commits).toStrictEqual([]);
    // The queue keeps working afterwards.
    await writes.write(insert('c'));
    expect(names()).toStrictEqual(['c']);
  });

  it('splits a burst into transactions of at most maxBatch', async () => {
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => writes.write(insert(n))));
    expect(commits).toStrictEqual([3, 3, 1]);
  });

  it('commits what is queued on close and refuses later writes', async () => {
    const pending = writes.write(insert('a'));
    writes.close();
    expect(names()).toStrictEqual(['a']);
    await expect(pending).resolves.toBe(1);
    await expect(writes.write(insert('b'))).rejects.toBeInstanceOf(StoreClosedError);
  });

  it('refuses a maxBatch below one', () => {
    expect(() => new GroupCommit(db, { maxBatch: 0 })).toThrow(RangeError);
  });
});

describe('GroupCommit on a WAL file opened with synchronous=FULL', () => {
  let dir: string;
  let db: Database;
  let writes: GroupCommit;
  let commits: number[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'longrun-group-commit-'));
    db = openDatabase(join(dir, 'store.sqlite'));
    db.exec('CREATE TABLE item (name TEXT PRIMARY KEY) STRICT');
    commits = [];
    writes = new GroupCommit(db, { onCommit: (info) => commits.push(info.writes) });
  });

  afterEach(() => {
    writes.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (name: string) => () => db.prepare('INSERT INTO item (name) VALUES (?)').run(name).changes;
  const names = () => db.prepare('SELECT name FROM item ORDER BY name').pluck().all();

  it('commits without the fsync on the event loop and syncs the WAL itself before resolving', async () => {
    // The connection's own per-commit sync is off: the WAL's fsync is done on the thread pool.
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const pending = writes.write(insert('a'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Committed at the end of the tick; not yet reported done while its sync may still run.
    expect(names()).toStrictEqual(['a']);
    await expect(pending).resolves.toBe(1);
  });

  it('holds a read of a commit whose sync is still running until that sync is done', async () => {
    const write = writes.write(insert('a'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    const order: string[] = [];
    const read = writes.read(names).then((value) => {
      order.push('read');
      return value;
    });
    void write.then(() => order.push('write'));
    await expect(read).resolves.toStrictEqual(['a']);
    await write;
    expect(order).toStrictEqual(['write', 'read']);
  });

  it('queues the writes of later ticks behind a sync in flight and commits them together once it is done', async () => {
    // Every thread of libuv's pool blocked on reading an empty pipe: the WAL's sync, which runs
    // there, waits until the test writes to the pipe.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const pipe = join(dir, 'pool-gate');
    execFileSync('mkfifo', [pipe]);
    const gate = openSync(pipe, constants.O_RDWR);
    const blocked = Array.from(
      { length: threads },
      () => new Promise((resolve) => read(gate, Buffer.alloc(1), 0, 1, null, resolve)),
    );
    try {
      const first = writes.write(insert('a'));
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(commits).toStrictEqual([1]);
      // Three more ticks, a write in each, while the first commit's sync cannot have run.
      const later: Promise<number>[] = [];
      for (const name of ['b', 'c', 'd']) {
        later.push(writes.write(insert(name)));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(commits).toStrictEqual([1]);
      expect(names()).toStrictEqual(['a']);
      writeSync(gate, Buffer.alloc(threads));
      await Promise.all(blocked);
      await expect(first).resolves.toBe(1);
      await expect(Promise.all(later)).resolves.toStrictEqual([1, 1, 1]);
      expect(commits).toStrictEqual([1, 3]);
    } finally {
      closeSync(gate);
    }
  });

  it('answers a read at once when no sync is pending', async () => {
    await writes.write(insert('a'));
    await expect(writes.read(names)).resolves.toStrictEqual(['a']);
  });

  it('keeps every resolved write after the process reopens the file', async () => {
    await Promise.all(['a', 'b', 'c'].map((name) => writes.write(insert(name))));
    await writes.write(insert('d'));
    writes.close();
    db.close();
    db = openDatabase(join(dir, 'store.sqlite'));
    writes = new GroupCommit(db);
    expect(names()).toStrictEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a second queue on the connection, which would leave its writes unsynced', () => {
    expect(() => new GroupCommit(db)).toThrow(/already has a GroupCommit/);
  });

  it('settles the writes committed on close', async () => {
    const pending = writes.write(insert('a'));
    writes.close();
    await expect(pending).resolves.toBe(1);
  });
});
