import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** How a committed generated file differs from a fresh regeneration. */
export interface DriftedFile {
  /** Path relative to the compared roots, with `/` separators. */
  file: string;
  /** `changed`: contents differ; `missing`: generated but not on disk; `stale`: on disk but no longer generated. */
  change: 'changed' | 'missing' | 'stale';
}

/**
 * Compares the generated folders under `freshRoot` (just regenerated) with the same folders under
 * `committedRoot` (the working tree), byte for byte. Returns the differences sorted by path.
 * @param folders folders owned by the generator, relative to both roots
 */
export async function findDrift(
  freshRoot: string,
  committedRoot: string,
  folders: readonly string[],
): Promise<DriftedFile[]> {
  const drifted: DriftedFile[] = [];
  for (const folder of folders) {
    const fresh = await listFiles(path.join(freshRoot, folder));
    const committed = await listFiles(path.join(committedRoot, folder));
    for (const file of new Set([...fresh, ...committed])) {
      const relative = path.posix.join(folder, file);
      if (!committed.has(file)) {
        drifted.push({ file: relative, change: 'missing' });
      } else if (!fresh.has(file)) {
        drifted.push({ file: relative, change: 'stale' });
      } else {
        const [freshBytes, committedBytes] = await Promise.all([
          readFile(path.join(freshRoot, folder, file)),
          readFile(path.join(committedRoot, folder, file)),
        ]);
        if (!freshBytes.equals(committedBytes)) drifted.push({ file: relative, change: 'changed' });
      }
    }
  }
  return drifted.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** Files below `folder` as `/`-separated relative paths; empty when the folder does not exist. */
export async function listFiles(folder: string): Promise<Set<string>> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return new Set(
      entries
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
}
