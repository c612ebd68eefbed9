import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the workspace root (the folder holding pnpm-workspace.yaml). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
