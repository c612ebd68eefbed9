import { describe, expect, it } from 'vitest';
import {
  garbageCollector,
  QUIET_ALLOCATION_BYTES,
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

describe('releaseIdleMemory', () => {
  it('collects once the process has been quiet for two looks, with the young generation grown', () => {
    const h = harness({ usedBytes: 20 * MiB, committedBytes: 32 * MiB });
    h.tick();
    expect(h.collections).toHaveLength(0);
    h.tick();
    expect(h.collections).toEqual([{ type: 'major', flavor: 'last-resort' }]);
    expect(h.release.releases).toBe(1);
  });

  it('never collects while requests keep allocating', () => {
    const h = harness({ usedBytes: 1 * MiB, committedBytes: 32 * MiB });
    for (let look = 0; look < 10; look++) {
      h.allocate(QUIET_ALLOCATION_BYTES * 4);
      h.tick();
    }
    expect(h.collections).toHaveLength(0);
  });

  it('leaves a young generation that never grew alone', () => {
    const h = harness({ usedBytes: 100_000, committedBytes: RELEASE_ABOVE_BYTES });
    for (let look = 0; look < 5; look++) h.tick();
    expect(h.collections).toHaveLength(0);
  });

  it('collects once per quiet spell, and again after work grew the young generation', () => {
    const h = harness({ usedBytes: 20 * MiB, committedBytes: 32 * MiB });
    h.tick();
    h.tick();
    // V8 kept it large this time: quiet looks alone do not collect again.
    h.set({ committedBytes: 32 * MiB });
    for (let look = 0; look < 5; look++) h.tick();
    expect(h.collections).toHaveLength(1);
    h.allocate(QUIET_ALLOCATION_BYTES * 40);
    h.tick();
    h.tick();
    h.tick();
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
