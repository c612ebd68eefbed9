/**
 * Runs the command-line tool of a dependency (Spectral, Prism, Redocly) with this Node, found through
 * the package's own `bin` field: the `longrun` command then works from any folder, not only inside
 * this repository, and always runs the versions it was installed with.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Absolute path of the script `bin` names in the package's manifest. */
export function packageBin(packageName: string, bin: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (relative === undefined) throw new Error(`${packageName} has no "${bin}" command`);
  return path.join(path.dirname(manifestPath), relative);
}

/** Runs a dependency's command with this process's streams; resolves to its exit code. */
export function runPackageBin(
  packageName: string,
  bin: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packageBin(packageName, bin), ...args], {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}
