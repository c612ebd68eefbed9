/**
 * `pnpm deploy:server <dir>`: a folder that runs the server as a user installs it, for a container image
 * or a plain host: the built `@longrun/openapi` and `@longrun/server` packed into tarballs, installed by
 * npm with production dependencies only, and nothing of the repository besides.
 *
 *   <dir>/package.json                     depends on the two tarballs (and points npm's overrides at them)
 *   <dir>/packs/*.tgz                      the tarballs, exactly as `pnpm pack` made them
 *   <dir>/node_modules/@longrun/server     run it: `node node_modules/@longrun/server/dist/src/main.js`
 *
 * Run `pnpm build` first (the Dockerfile does). The Dockerfile's build stage ends with this command, and
 * test/ship runs it too, so what the image runs is what the tests run.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './repo-root.ts';
import { runCommand } from './run-command.ts';

/** Where the server's entry lands inside a deployed folder. */
export const deployedServerEntry = path.join('node_modules', '@longrun', 'server', 'dist', 'src', 'main.js');

/**
 * Packs the server and the spec package into `dir/packs` and installs them with npm into `dir`.
 * @param npm the npm binary to install with (a user's own npm; the default is the one on PATH)
 */
export async function deployServer(dir: string, npm = 'npm', env: Record<string, string> = {}): Promise<void> {
  const packs = path.join(dir, 'packs');
  await rm(dir, { recursive: true, force: true });
  await mkdir(packs, { recursive: true });
  for (const folder of ['openapi', 'server']) {
    const packed = await runCommand('pnpm', ['pack', '--pack-destination', packs], {
      cwd: path.join(repoRoot, folder),
      capture: true,
    });
    if (packed.code !== 0) throw new Error(`pnpm pack of ${folder} failed:\n${packed.stderr}`);
  }
  const dependencies: Record<string, string> = {};
  for (const file of await readdir(packs)) {
    const name = file.startsWith('longrun-openapi-') ? '@longrun/openapi' : '@longrun/server';
    dependencies[name] = `file:packs/${file}`;
  }
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'longrun-deployment', private: true, type: 'module', dependencies, overrides: dependencies }, null, 2)}\n`,
  );
  const installed = await runCommand(npm, ['install', '--omit=dev', '--no-audit', '--no-fund'], {
    cwd: dir,
    capture: true,
    env,
  });
  if (installed.code !== 0) throw new Error(`npm install failed:\n${installed.stdout}${installed.stderr}`);
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (dir === undefined) {
    console.error('usage: pnpm deploy:server <dir>   (run `pnpm build` first)');
    process.exit(2);
  }
  await deployServer(path.resolve(dir));
  console.log(`deployed the server into ${dir}: node ${deployedServerEntry}`);
}
