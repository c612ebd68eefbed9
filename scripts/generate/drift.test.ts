import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findDrift } from './drift.ts';

describe('findDrift', () => {
  let fresh: string;
  let committed: string;

  beforeEach(async () => {
    fresh = await mkdtemp(path.join(tmpdir(), 'drift-fresh-'));
    committed = await mkdtemp(path.join(tmpdir(), 'drift-committed-'));
  });

  afterEach(async () => {
    await rm(fresh, { recursive: true, force: true });
    await rm(committed, { recursive: true, force: true });
  });

  async function write(root: string, file: string, content: string): Promise<void> {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }

  it('finds nothing when both trees hold the same bytes', async () => {
    await write(fresh, 'gen/a.gen.ts', 'a');
    await write(committed, 'gen/a.gen.ts', 'a');

    expect(await findDrift(fresh, committed, ['gen'])).toEqual([]);
  });

  it('names changed, missing and stale files, sorted by path', async () => {
    await write(fresh, 'gen/changed.ts', 'new');
    await write(committed, 'gen/changed.ts', 'old');
    await write(fresh, 'gen/nested/missing.ts', 'x');
    await write(committed, 'gen/stale.ts', 'x');
    await write(committed, 'other/ignored.ts', 'outside the generated folders');

    expect(await findDrift(fresh, committed, ['gen'])).toEqual([
      { file: 'gen/changed.ts', change: 'changed' },
      { file: 'gen/nested/missing.ts', change: 'missing' },
      { file: 'gen/stale.ts', change: 'stale' },
    ]);
  });

  it('treats a generated folder absent from the working tree as all missing', async () => {
    await write(fresh, 'gen/a.ts', 'a');

    expect(await findDrift(fresh, committed, ['gen'])).toEqual([{ file: 'gen/a.ts', change: 'missing' }]);
  });
});
