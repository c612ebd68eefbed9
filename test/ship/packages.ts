/**
 * The packages as a user gets them: built by `pnpm build`, packed by `pnpm pack`, installed by a package
 * manager into a folder outside the repository, and run on the machine's own Node (not the pinned one).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';

/** The packages a user installs, by folder, and their names on the registry. */
export const packageNames = {
  openapi: '@longrun/openapi',
  server: '@longrun/server',
  client: '@longrun/client',
  scripts: '@longrun/cli',
} as const;

/** The machine's own Node and npm, found on PATH past the workspace's `node_modules/.bin`. */
export interface SystemNode {
  node: string;
  npm: string;
  /** `process.versions.node` of that Node. */
  version: string;
  /** PATH with the workspace's bins removed, so children never pick up the pinned Node. */
  path: string;
}

/**
 * Finds the Node a user would have (`LONGRUN_SYSTEM_NODE` overrides): the first `node` on PATH that is
 * not the workspace's pinned one.
 */
export function findSystemNode(): SystemNode {
  const cleanPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !dir.includes(`${path.sep}node_modules${path.sep}`))
    .join(path.delimiter);
  const node =
    process.env.LONGRUN_SYSTEM_NODE ??
    cleanPath
      .split(path.delimiter)
      .map((dir) => path.join(dir, 'node'))
      .find((candidate) => existsSync(candidate));
  if (node === undefined) throw new Error('No Node on PATH outside the workspace; set LONGRUN_SYSTEM_NODE.');
  const npm = path.join(path.dirname(node), 'npm');
  if (!existsSync(npm)) throw new Error(`No npm beside ${node}.`);
  const version = execFileSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  return { node, npm, version, path: [path.dirname(node), cleanPath].join(path.delimiter) };
}

/** What a command printed, and how it ended. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, capturing its output; never throws on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number },
): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** Runs a command and throws with its output when it fails. */
export async function runOrThrow(
  command: string,
  args: string[],
  options: Parameters<typeof run>[2],
): Promise<CommandOutput> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Builds every published package (`pnpm build`) and packs each into `dir`; resolves to tarball paths. */
export async function buildAndPack(
  dir: string,
): Promise<Record<keyof typeof packageNames, string> & { create: string }> {
  await runOrThrow(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-packages.ts')], { cwd: REPO_ROOT });
  await mkdir(dir, { recursive: true });
  // Each pack reads one package's folder and writes its own tarball: all at once, not one after another.
  // `npm create longrun`'s package is plain JavaScript, nothing to build.
  const folders = [...Object.keys(packageNames), path.join('scripts', 'create-longrun')];
  await Promise.all(
    folders.map((folder) =>
      runOrThrow('pnpm', ['pack', '--pack-destination', dir], { cwd: path.join(REPO_ROOT, folder) }),
    ),
  );
  const files = await readdir(dir);
  const tarball = (folder: keyof typeof packageNames): string => {
    const prefix = `${packageNames[folder].replace('@', '').replace('/', '-')}-`;
    const file = files.find((name) => name.startsWith(prefix) && name.endsWith('.tgz'));
    if (file === undefined) throw new Error(`pnpm pack made no tarball for ${packageNames[folder]}`);
    return path.join(dir, file);
  };
  return {
    create: path.join(dir, files.find((name) => /^create-longrun-.*\.tgz$/.test(name)) ?? 'create-longrun-missing.tgz'),
    openapi: tarball('openapi'),
    server: tarball('server'),
    client: tarball('client'),
    scripts: tarball('scripts'),
  };
}

/**
 * Runs jobs in a fixed number of lanes, each lane one job after another in the order they were given.
 * The user projects' installs are independent once the tarballs exist, and each is mostly one process
 * waiting on the disk: two lanes keep both cores of a small machine busy while the tests run.
 */
export interface Lanes {
  /**
   * Queues `job` on `lane`; resolves (or rejects) as the job does. A job that fails before anyone awaits
   * it is not an unhandled rejection: its error is thrown where its test awaits it, as if run there.
   */
  run<T>(lane: number, job: () => Promise<T>): Promise<T>;
  /** Resolves once every queued job has ended, whether it succeeded or not. */
  settled(): Promise<void>;
}

/** {@link Lanes} with `count` lanes. */
export function lanes(count: number): Lanes {
  const tails: Promise<void>[] = Array.from({ length: count }, () => Promise.resolve());
  const ignore = () => undefined;
  return {
    run(lane, job) {
      const tail = tails[lane];
      if (tail === undefined) throw new Error(`no lane ${lane} of ${count}`);
      const result = tail.then(job);
      result.catch(ignore);
      tails[lane] = result.then(ignore, ignore);
      return result;
    },
    async settled() {
      await Promise.all(tails);
    },
  };
}

/**
 * A new project in the system temp folder (no workspace, lockfile or `node_modules` above it) whose
 * `package.json` depends on the given tarballs. Each package manager is pointed at the tarballs for the
 * workspace packages the others depend on (npm `overrides`, pnpm `pnpm.overrides`, yarn `resolutions`),
 * as a user would who installs them before they are published.
 */
export async function newProject(
  tarballs: Partial<Record<keyof typeof packageNames, string>>,
  extra: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'longrun-user-project-'));
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'a-team-project', private: true, type: 'module', ...installFrom(tarballs, extra) }, null, 2)}\n`,
  );
  return dir;
}

/**
 * The `package.json` fields that install the packages from their tarballs: as dependencies, and as the
 * version every other package's dependency on them resolves to (npm `overrides`, pnpm `pnpm.overrides`,
 * yarn `resolutions`).
 */
export function installFrom(
  tarballs: Partial<Record<keyof typeof packageNames, string>>,
  extra: Record<string, string> = {},
): Record<string, unknown> {
  const dependencies: Record<string, string> = { ...extra };
  for (const [folder, file] of Object.entries(tarballs)) {
    dependencies[packageNames[folder as keyof typeof packageNames]] = `file:${file}`;
  }
  return { dependencies, overrides: dependencies, pnpm: { overrides: dependencies }, resolutions: dependencies };
}

/** True when no folder above `dir` holds a workspace file, lockfile or `node_modules`. */
export function isOutsideAnyWorkspace(dir: string): boolean {
  let current = path.dirname(dir);
  for (;;) {
    for (const marker of ['pnpm-workspace.yaml', 'package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'node_modules']) {
      if (existsSync(path.join(current, marker))) return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * A Node of the given major from the npm registry's `node-<platform>-<arch>` package (the binary the
 * `node` package's install script would fetch), installed once into a folder of the system temp
 * directory and reused by later runs; resolves to the `node` binary.
 */
export async function registryNode(major: number, npm: string, envPath: string): Promise<string> {
  const dir = path.join(tmpdir(), 'longrun-toolchains', `node-${major}-${process.platform}-${process.arch}`);
  const packageName = `node-${process.platform}-${process.arch}`;
  const binary = path.join(dir, 'node_modules', packageName, 'bin', 'node');
  if (!existsSync(binary)) {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'package.json'), '{ "private": true }\n');
    await runOrThrow(npm, ['install', '--no-audit', '--no-fund', `${packageName}@${major}`], {
      cwd: dir,
      env: { PATH: envPath },
    });
  }
  return binary;
}

/**
 * Where compiled SQLite drivers are kept between installs, for prebuild-install's local lookup.
 *
 * On Node 20 npm installs better-sqlite3 12, whose install script downloads a compiled driver from
 * GitHub (unreachable here) and else compiles it (minutes). prebuild-install first looks for
 * `<name>-v<version>-node-v<abi>-<platform>-<arch>.tar.gz` in the folder this variable names, so the
 * first install's compiled driver, kept by {@link keepCompiledSqliteDriver}, serves the later ones.
 */
const SQLITE_PREBUILDS = path.join(tmpdir(), 'longrun-toolchains', 'better-sqlite3-prebuilds');

/**
 * Environment for every install of these tests: npm (and pnpm, which reads the same variable) take a
 * package's registry metadata from their cache when it holds it, instead of asking the registry again
 * for each of some five hundred packages (about half a minute per install here). A fresh machine's
 * cache holds nothing, so its first install asks for everything, as a user's does; what is installed
 * is still whatever the tarballs' ranges resolve to.
 */
export function registryCacheEnv(): Record<string, string> {
  return { npm_config_prefer_offline: 'true' };
}

/** Environment for an install that may take a kept compiled SQLite driver. */
export function sqlitePrebuildEnv(): Record<string, string> {
  return { npm_config_better_sqlite3_local_prebuilds: SQLITE_PREBUILDS, ...registryCacheEnv() };
}

/**
 * Keeps the compiled driver of a project's better-sqlite3 (when it compiled one) for later installs on
 * the same Node (`node` runs `process.versions.modules` for the ABI).
 */
export async function keepCompiledSqliteDriver(project: string, node: string): Promise<void> {
  const driver = path.join(project, 'node_modules', 'better-sqlite3');
  const addon = path.join(driver, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(addon)) return; // a version with its drivers in the package (prebuilds/), nothing compiled
  const manifest = JSON.parse(readFileSync(path.join(driver, 'package.json'), 'utf8')) as {
    version: string;
  };
  const abi = execFileSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  const name = `better-sqlite3-v${manifest.version}-node-v${abi}-${process.platform}-${process.arch}.tar.gz`;
  if (existsSync(path.join(SQLITE_PREBUILDS, name))) return;
  await mkdir(SQLITE_PREBUILDS, { recursive: true });
  // Written aside and renamed, so a concurrent install never reads half a tarball.
  const partial = path.join(SQLITE_PREBUILDS, `${name}.${process.pid}.partial`);
  execFileSync('tar', ['czf', partial, '-C', driver, 'build/Release/better_sqlite3.node']);
  await rename(partial, path.join(SQLITE_PREBUILDS, name));
}
