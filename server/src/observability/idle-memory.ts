/**
 * Gives back, once the process goes quiet, the memory V8 grew under load.
 *
 * Under a burst of requests V8 grows its young generation (the "new space", where every request's
 * short-lived objects are made) to 32–64 MiB, and it only shrinks it at a collection that finds
 * the allocation rate low; even then it keeps the freed pages pooled for reuse unless the collection
 * is one that reduces memory. A server that then sits idle allocates nothing, so no collection comes
 * and all of it stays resident: measured, a server idle after 1,000 operations holds 216–226 MiB,
 * and 141–148 MiB after one memory-reducing collection. See docs/decisions/0016-idle-memory.md.
 */
import { createRequire } from 'node:module';
import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Runs one memory-reducing full collection: V8's `gc` as `--expose-gc` gives it (synchronous), or
 * the inspector's (the collection runs as a task; the promise settles once it ran).
 */
type CollectGarbage = (options: {
  type: 'minor' | 'major';
  execution?: 'sync' | 'async';
  flavor?: 'regular' | 'last-resort';
}) => void | Promise<void>;

/** How often the young generation is looked at. */
export const IDLE_CHECK_MS = 1_000;
/**
 * Less than this allocated in the young generation between two looks counts as quiet: the
 * server's own timers (lease renewals, the retention sweep, long-poll keep-alives) allocate a
 * little, a single request more than this.
 */
export const QUIET_ALLOCATION_BYTES = 256 * 1024;
/**
 * Quiet looks in a row before the collection: the process has been idle about this many seconds.
 * Long enough that traffic in bursts a few seconds apart never triggers it: after the collection
 * the next burst runs at up to twice the CPU per request for a second or two while V8 regrows the
 * young generation, a price worth paying once a server is really at rest, not between bursts (or
 * between the rounds of a benchmark that loads other servers in turn).
 */
export const QUIET_CHECKS = 20;
/**
 * Only a young generation that grew past this since the last release is worth a collection: V8 starts it at 1 MiB, and a
 * process that never grew it (one that served next to nothing) has nothing to give back.
 */
export const RELEASE_ABOVE_BYTES = 8 * 1024 * 1024;

/** What {@link releaseIdleMemory} is watching; `stop()` ends it. */
export interface IdleMemoryRelease {
  /** Memory-reducing collections run so far. */
  readonly releases: number;
  stop(): void;
}

/** The young generation's size in use and committed, as V8 reports it. */
export interface YoungGeneration {
  usedBytes: number;
  committedBytes: number;
}

/** Reads the young generation from V8's heap space statistics. */
export function readYoungGeneration(): YoungGeneration {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === 'new_space')
      return { usedBytes: space.space_used_size, committedBytes: space.physical_space_size };
  }
  return { usedBytes: 0, committedBytes: 0 };
}

/**
 * A memory-reducing collection without exposing `gc` to the program: the one `--expose-gc` gave,
 * when the process was started with it; otherwise the inspector's `HeapProfiler.collectGarbage`
 * (V8's "low memory" collection, the same one as `gc`'s "last resort"), on an in-process session
 * opened for it and closed after. Undefined where Node was built without the inspector (the
 * release is then skipped, nothing else changes).
 *
 * Not `gc` read from a fresh `vm` context made while `--expose-gc` is set: a second context in the
 * process, kept alive by the function taken from it, measured 15–25% more CPU per request on every
 * request served after it was made (docs/decisions/0016-idle-memory.md).
 */
export function garbageCollector(): CollectGarbage | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as CollectGarbage;
  let Session: typeof import('node:inspector').Session;
  try {
    ({ Session } = createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector'));
  } catch {
    return undefined;
  }
  return () =>
    new Promise<void>((resolve) => {
      const session = new Session();
      session.connect();
      session.post('HeapProfiler.collectGarbage', () => {
        // Closed on the next turn: closing a session from inside its own reply stalls the loop.
        setImmediate(() => {
          session.disconnect();
          resolve();
        });
      });
    });
}

/** What the watch is made from; every part has the process's own as default (tests pass their own). */
export interface IdleMemoryOptions {
  /** @default {@link readYoungGeneration} */
  read?: () => YoungGeneration;
  /** @default {@link garbageCollector}() */
  collect?: CollectGarbage;
  /** Called after each collection with the young generation before and after it, and how long it took. */
  onRelease?: (before: YoungGeneration, after: YoungGeneration, durationMs: number) => void;
  /** @default setInterval, unref'd so it never keeps the process alive */
  every?: (check: () => void, ms: number) => { stop(): void };
}

/**
 * Watches the young generation and, once the process has allocated next to nothing for
 * {@link QUIET_CHECKS} looks in a row after the young generation grew past
 * {@link RELEASE_ABOVE_BYTES}, runs one memory-reducing full collection (a pause of 70–100 ms,
 * while nothing is being served). It runs at most once per quiet spell, so a server idle for days
 * collects once; a busy process is never collected by it, since a burst of requests allocates
 * more than {@link QUIET_ALLOCATION_BYTES} between looks.
 */
export function releaseIdleMemory(options: IdleMemoryOptions = {}): IdleMemoryRelease {
  const read = options.read ?? readYoungGeneration;
  const collect = options.collect ?? garbageCollector();
  const every =
    options.every ??
    ((check: () => void, ms: number) => {
      const timer = setInterval(check, ms);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    });
  let releases = 0;
  if (collect === undefined)
    return {
      get releases() {
        return releases;
      },
      stop() {},
    };
  let last = read().usedBytes;
  let quiet = 0;
  // Once per quiet spell: a young generation V8 keeps large after the collection is not collected again until there was work.
  let armed = true;
  // Set while an asynchronous collection has not run yet: no look counts meanwhile.
  let collecting = false;
  // The largest young generation seen since the last release. V8 may shrink it by itself in a
  // quiet spell, but keeps the freed pages pooled (resident): what decides is how far it grew.
  let peak = 0;
  const timer = every(() => {
    if (collecting) return;
    const now = read();
    peak = Math.max(peak, now.committedBytes);
    // A collection in between makes `used` smaller: that is activity too.
    const allocated = Math.abs(now.usedBytes - last);
    last = now.usedBytes;
    quiet = allocated < QUIET_ALLOCATION_BYTES ? quiet + 1 : 0;
    if (quiet === 0) armed = true;
    if (!armed || quiet < QUIET_CHECKS || peak <= RELEASE_ABOVE_BYTES) return;
    const started = performance.now();
    // V8's "last resort" collection is the one that reduces memory: it shrinks the young
    // generation and hands the pages it pooled back to the system (a plain one keeps them).
    const collected = collect({ type: 'major', flavor: 'last-resort' });
    const done = () => {
      const after = read();
      releases += 1;
      last = after.usedBytes;
      peak = after.committedBytes;
      armed = false;
      options.onRelease?.(now, after, performance.now() - started);
    };
    if (collected === undefined) {
      done();
      return;
    }
    collecting = true;
    collected.then(
      () => {
        collecting = false;
        done();
      },
      () => {
        // Nothing was given back; the next quiet spell tries again.
        collecting = false;
        armed = false;
      },
    );
  }, IDLE_CHECK_MS);
  return {
    get releases() {
      return releases;
    },
    stop: () => timer.stop(),
  };
}
