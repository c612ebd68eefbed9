import { describe, expect, it } from 'vitest';
import {
  garbageCollector,
  QUIET_ALLOCATION_BYTES,
  QUIET_CHECKS,
  RELEASE_ABOVE_BYTES,
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

describe('garbageCollector', () => {
  it('finds V8 gc without leaving it exposed to the program', () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
    expect(typeof garbageCollector()).toBe('function');
    expect(typeof (globalThis as { gc?: unknown }).gc === 'function').toBe(hadGc);
  });
});
