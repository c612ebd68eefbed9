/**
 * `pnpm build`: builds every package a user installs into its `dist/`, as JavaScript for Node ≥ 20 plus
 * `.d.ts`, so the packed tarballs run without the repository's pinned toolchain.
 *
 *   openapi/dist, server/dist   tsc with the package's tsconfig.build.json: `<pkg>/X.ts` → `dist/X.js`
 *                               (+ `.d.ts`), relative `.ts` imports rewritten to `.js`; every other file the
 *                               code reads at run time (the spec, its bundle, SQL, YAML) copied beside it, so
 *                               a path computed from `import.meta.url` finds the same file in `dist/`
 *                               (the server's dashboard page is built by Vite first, and its output
 *                               copied the same way: server/dashboard/dist → server/dist/dashboard/dist)
 *   client/dist                 scripts/build-client.ts (Node ESM, the browser bundle, declarations)
 *   scripts/dist                scripts/build-cli.ts: the `longrun` command (`@longrun/cli`) as one file
 *
 * Each package's `publishConfig` points its `exports` and `bin` at `dist/`; `pnpm pack` applies it. The
 * build checks that every published entry exists, so a package can never be packed pointing at nothing.
 *
 * `--package <name>` builds only that one (`openapi`, `server`, `client`, `cli`).
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildCli } from './build-cli.ts';
import { repoRoot } from './repo-root.ts';
import { runCommand } from './run-command.ts';

/** The packages a user installs, in build order (each one's workspace dependencies first). */
export const publishedPackages = ['openapi', 'server', 'client', 'cli'] as const;
/** One of {@link publishedPackages}. */
export type PublishedPackage = (typeof publishedPackages)[number];
/** The folder of each published package (the command lives in scripts/, beside the repository's scripts). */
const packageFolders: Record<PublishedPackage, string> = {
  openapi: 'openapi',
  server: 'server',
  client: 'client',
  cli: 'scripts',
};

/** Files a built package needs at run time besides its compiled TypeScript, by ending. */
const runtimeAssetEndings = ['.yaml', '.yml', '.json', '.sql', '.html', '.css', '.js', '.mjs'];
/** Never copied: sources of other tools, tests, and what the package manager owns. */
const skippedNames = new Set(['node_modules', 'dist', 'package.json', 'tsconfig.json', 'tsconfig.build.json']);

const { values: options } = parseArgs({ options: { package: { type: 'string' } } });
const selected = options.package === undefined ? publishedPackages : [options.package as PublishedPackage];
for (const name of selected) {
  if (!publishedPackages.includes(name)) {
    console.error(`build: unknown package '${name}'; one of ${publishedPackages.join(', ')}`);
    process.exit(2);
  }
}

const problems: string[] = [];
for (const name of selected) {
  const started = performance.now();
  if (name === 'client') {
    const { code } = await runCommand('node', [path.join(repoRoot, 'scripts', 'build-client.ts')]);
    if (code !== 0) problems.push('client: scripts/build-client.ts failed');
  } else if (name === 'cli') {
    problems.push(...(await buildCli()));
  } else {
    if (name === 'server') {
      if (!(await buildDashboard())) problems.push('server: the dashboard build failed');
    }
    await buildWithTsc(name);
    if (name === 'server') problems.push(...(await vendorScalarBundle()));
  }
  await checkPublishedEntries(name);
  console.log(`built ${packageFolders[name]}/dist in ${Math.round(performance.now() - started)} ms`);
}

if (problems.length > 0) {
  console.error(`build failed:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}

/** Compiles one package with tsc and copies its run-time assets into `dist/` at the same relative paths. */
async function buildWithTsc(name: 'openapi' | 'server'): Promise<void> {
  const packageDir = path.join(repoRoot, name);
  const distDir = path.join(packageDir, 'dist');
  await rm(distDir, { recursive: true, force: true });
  const result = await runCommand('tsc', ['-p', path.join(packageDir, 'tsconfig.build.json'), '--pretty', 'false'], {
    capture: true,
  });
  if (result.code !== 0) {
    problems.push(`${name}: tsc failed:\n${result.stdout}${result.stderr}`);
    return;
  }
  for (const file of await listFiles(packageDir, true)) {
    if (!runtimeAssetEndings.some((ending) => file.endsWith(ending))) continue;
    const target = path.join(distDir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(packageDir, file), target);
  }
}

/**
 * Copies the one file of `@scalar/api-reference` the server serves at `/docs`, its standalone browser
 * bundle, into `server/dist/vendor/scalar/` with a note of its version and licence: the published server
 * carries it instead of depending on Scalar's package (decision 0017).
 */
async function vendorScalarBundle(): Promise<string[]> {
  const scalarDir = path.join(repoRoot, 'server', 'node_modules', '@scalar', 'api-reference');
  const manifest = JSON.parse(await readFile(path.join(scalarDir, 'package.json'), 'utf8')) as {
    version: string;
    license?: string;
    author?: string;
    homepage?: string;
  };
  const vendorDir = path.join(repoRoot, 'server', 'dist', 'vendor', 'scalar');
  await mkdir(vendorDir, { recursive: true });
  try {
    await copyFile(path.join(scalarDir, 'dist', 'browser', 'standalone.js'), path.join(vendorDir, 'standalone.js'));
  } catch (error) {
    return [`server: Scalar's standalone bundle was not found in @scalar/api-reference ${manifest.version}: ${error}`];
  }
  await writeFile(
    path.join(vendorDir, 'NOTICE.md'),
    [
      '# Scalar API Reference, standalone bundle',
      '',
      `\`standalone.js\` is \`dist/browser/standalone.js\` of the npm package \`@scalar/api-reference\` ${manifest.version},`,
      'copied unchanged when this package was built. The server serves it at `/docs` to read its OpenAPI document.',
      '',
      `Licence: ${manifest.license ?? 'see the package'}, by ${manifest.author ?? 'Scalar'} (${manifest.homepage ?? 'https://github.com/scalar/scalar'}).`,
      "The bundle's own `@license` comments name the licences of the code it contains.",
      '',
    ].join('\n'),
  );
  return [];
}

/** Every `exports` target and `bin` of the package's publishConfig must be a file the build wrote. */
async function checkPublishedEntries(name: PublishedPackage): Promise<void> {
  const packageDir = path.join(repoRoot, packageFolders[name]);
  const manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as {
    publishConfig?: { exports?: unknown; bin?: Record<string, string> };
  };
  const targets = [
    ...collectTargets(manifest.publishConfig?.exports),
    ...Object.values(manifest.publishConfig?.bin ?? {}),
  ];
  if (targets.length === 0) problems.push(`${name}: package.json has no publishConfig.exports`);
  for (const target of targets) {
    // The manifest itself may be exported (the command package exports nothing else).
    if (target === './package.json') continue;
    if (!target.startsWith('./dist/')) problems.push(`${name}: published entry ${target} is not under dist/`);
    const exists = await readFile(path.join(packageDir, target)).then(
      () => true,
      () => false,
    );
    if (!exists) problems.push(`${name}: published entry ${target} was not built`);
  }
}

function collectTargets(exportsField: unknown): string[] {
  if (typeof exportsField === 'string') return [exportsField];
  if (exportsField === null || typeof exportsField !== 'object') return [];
  return Object.values(exportsField).flatMap(collectTargets);
}

/**
 * Files below `dir` (relative), leaving out dependencies, tests and test support, and the package's own
 * build output (a `dist/` deeper down, like the dashboard's, is an asset).
 */
async function listFiles(dir: string, top = false): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if ((top || entry.name !== 'dist') && skippedNames.has(entry.name)) continue;
    if (entry.name.startsWith('.')) continue;
    if (/\.test(-d)?\.ts$/.test(entry.name) || entry.name === 'testing') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const file of await listFiles(full)) files.push(path.join(entry.name, file));
    } else if (entry.isFile()) {
      files.push(entry.name);
    }
  }
  return files;
}

/**
 * Builds the server's dashboard page beside its `dist/`, then swaps the two folders: a server running
 * from the source tree meanwhile (a test, `pnpm start`) keeps serving a whole page, never a half-written one.
 */
async function buildDashboard(): Promise<boolean> {
  const dashboardDir = path.join(repoRoot, 'server', 'dashboard');
  const next = `dist.next-${process.pid}`;
  const { code } = await runCommand('pnpm', [
    '--filter',
    '@longrun/server',
    'run',
    'build:dashboard',
    '--outDir',
    next,
    '--emptyOutDir',
  ]);
  if (code !== 0) {
    await rm(path.join(dashboardDir, next), { recursive: true, force: true });
    return false;
  }
  const old = path.join(dashboardDir, `dist.old-${process.pid}`);
  await rename(path.join(dashboardDir, 'dist'), old).catch(() => undefined);
  await rename(path.join(dashboardDir, next), path.join(dashboardDir, 'dist'));
  await rm(old, { recursive: true, force: true });
  return true;
}
