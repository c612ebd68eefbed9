import { describe, expect, it } from 'vitest';
import {
  garbageCollector,
  QUIET_ALLOCATION_BYTES,
  QUIET_CHECKS,
  RELEASE_ABOVE_BYTES,
  readYoungGeneration,
  releaseIdleMemory,
  type YoungGeneration,
} from './idle-memory.ts';

const MiB = 1024 * 1024;

/** A young generation moved by hand and a timer ticked by hand. */
function harness(start: YoungGeneration) {
  let young = { ...start };
  let tick: () => void = () => {};
  const collections: unknown[] = [];
  const release = releaseIdleMemory({
    read: () => ({ ...young }),
    collect: (options) => {
      collections.push(options);
      young = { usedBytes: 100_000, committedBytes: 1 * MiB };
    },
    every: (check) => {
      tick = check;
      return { stop: () => {} };
    },
  });
  return {
    release,
    collections,
    set(next: Partial<YoungGeneration>) {
      young = { ...young, ...next };
    },
    allocate(bytes: number) {
      young = { ...young, usedBytes: young.usedBytes + bytes };
    },
    tick: () => tick(),
  };
}

/** `looks` looks at a process that allocates nothing in between. */
function quiet(h: ReturnType<typeof harness>, looks: number): void {
  for (let look = 0; look < looks; look++) h.tick();
}

describe('releaseIdleMemory', () => {
  it('collects once the process has been quiet for enough looks in a row, with the young generation grown', () => {
    const h = harness({ usedBytes: 20 * MiB, committedBytes: 32 * MiB });
    quiet(h, QUIET_CHECKS - 1);
    expect(h.collections).toHaveLength(0);
    h.tick();
    expect(h.collections).toEqual([{ type: 'major', flavor: 'last-resort' }]);
    expect(h.release.releases).toBe(1);
  });

  it('never collects while requests keep allocating', () => {
    const h = harness({ usedBytes: 1 * MiB, committedBytes: 32 * MiB });
    for (let look = 0; look < QUIET_CHECKS * 3; look++) {
      h.allocate(QUIET_ALLOCATION_BYTES * 4);
      h.tick();
    }
    expect(h.collections).toHaveLength(0);
  });

  it('does not collect between bursts a few seconds apart', () => {
    const h = harness({ usedBytes: 1 * MiB, committedBytes: 32 * MiB });
    for (let burst = 0; burst < 10; burst++) {
      quiet(h, QUIET_CHECKS - 2);
      h.allocate(QUIET_ALLOCATION_BYTES * 40);
      h.tick();
    }
    expect(h.collections).toHaveLength(0);
  });

  it('collects after a young generation V8 shrank by itself in the quiet spell: its pages stay pooled', () => {
    const h = harness({ usedBytes: 20 * MiB, committedBytes: 32 * MiB });
    h.tick();
    h.set({ usedBytes: 1 * MiB, committedBytes: 3 * MiB });
    h.tick();
    quiet(h, QUIET_CHECKS - 1);
    expect(h.collections).toHaveLength(0);
    h.tick();
    expect(h.collections).toHaveLength(1);
  });

  it('leaves a young generation that never grew alone', () => {
    const h = harness({ usedBytes: 100_000, committedBytes: RELEASE_ABOVE_BYTES });
    quiet(h, QUIET_CHECKS * 2);
    expect(h.collections).toHaveLength(0);
  });

  it('collects once per quiet spell, and again after work grew the young generation', () => {
    const h = harness({ usedBytes: 20 * MiB, committedBytes: 32 * MiB });
    quiet(h, QUIET_CHECKS);
    // V8 kept it large this time: quiet looks alone do not collect again.
    h.set({ committedBytes: 32 * MiB });
    quiet(h, QUIET_CHECKS * 2);
    expect(h.collections).toHaveLength(1);
    h.allocate(QUIET_ALLOCATION_BYTES * 40);
    h.tick();
    quiet(h, QUIET_CHECKS);
    expect(h.collections).toHaveLength(2);
  });
});

describe('releaseIdleMemory with a collection that runs as a task', () => {
  it('counts the release once the collection ran, and looks at nothing meanwhile', async () => {
    let young: YoungGeneration = { usedBytes: 20 * MiB, committedBytes: 32 * MiB };
    let tick: () => void = () => {};
    let finish: () => void = () => {};
    let collections = 0;
    const released: YoungGeneration[] = [];
    const release = releaseIdleMemory({
      read: () => ({ ...young }),
      collect: () => {
        collections += 1;
        return new Promise<void>((resolve) => {
          finish = () => {
            young = { usedBytes: 100_000, committedBytes: 1 * MiB };
            resolve();
          };
        });
      },
      onRelease: (_before, after) => released.push(after),
      every: (check) => {
        tick = check;
        return { stop: () => {} };
      },
    });
    for (let look = 0; look < QUIET_CHECKS; look++) tick();
    expect(collections).toBe(1);
    for (let look = 0; look < QUIET_CHECKS * 2; look++) tick();
    expect(collections).toBe(1);
    expect(release.releases).toBe(0);
    finish();
    await Promise.resolve();
    expect(release.releases).toBe(1);
    expect(released).toEqual([{ usedBytes: 100_000, committedBytes: 1 * MiB }]);
  });
});

describe('garbageCollector', () => {
  it('finds a collection without leaving gc exposed to the program', () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    expect(typeof garbageCollector()).toBe('function');
    expect(typeof (globalThis as { gc?: unknown }).gc === 'function').toBe(hadGc);
  });

  it('hands back the young generation a burst of allocation grew', async () => {
    let kept: object[] = [];
    for (let index = 0; index < 2_000_000; index++) {
      kept.push({ index, text: `row ${index}` });
      if (kept.length > 50_000) kept = [];
    }
    kept = [];
    const grown = readYoungGeneration().committedBytes;
    expect(grown).toBeGreaterThan(RELEASE_ABOVE_BYTES);
    await garbageCollector()?.({ type: 'major', flavor: 'last-resort' });
    expect(readYoungGeneration().committedBytes).toBeLessThan(grown / 4);
  });
});
