/**
 * `pnpm --filter @longrun/client build`: builds the publishable client into client/dist.
 *
 *   dist/index.js, dist/chunk-*.js     ESM for Node ≥ 20; dependencies (openapi-fetch) stay imports
 *   dist/cli/main.js                   the `longrun` command (shares chunks with index.js)
 *   dist/worker/index.js               `@longrun/client/worker`: outside workers (Node only)
 *   dist/browser/longrun.js            one ESM file for browsers, openapi-fetch bundled in
 *   dist/**\/*.d.ts                     declarations by tsc; the spec's types (@longrun/openapi, private)
 *                                      are inlined under dist/openapi/ so the package needs nothing else
 *
 * Then it checks the output: no runtime import of @longrun/openapi, no Node module in the browser file,
 * and the declarations compile on their own.
 *
 * `--only browser` builds just the browser file (the end-to-end test uses it); `--out <dir>` writes it to
 * `<dir>/longrun.js` instead of dist/browser/.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { repoRoot } from './repo-root.ts';
import { runCommand } from './run-command.ts';

const clientDir = path.join(repoRoot, 'client');
const distDir = path.join(clientDir, 'dist');
const { values: options } = parseArgs({ options: { only: { type: 'string' }, out: { type: 'string' } } });
// `--out` puts the browser file elsewhere, so a test can build it while the packages are being built.
const browserFile = options.out ? path.resolve(options.out, 'longrun.js') : path.join(distDir, 'browser', 'longrun.js');
if (options.only !== undefined && options.only !== 'browser') {
  console.error('build-client: --only accepts "browser"');
  process.exit(2);
}

const packageJson = JSON.parse(await readFile(path.join(clientDir, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const dependencies = Object.keys(packageJson.dependencies ?? {});

const problems: string[] = [];
const started = performance.now();

if (options.only === 'browser') {
  await rm(path.dirname(browserFile), { recursive: true, force: true });
  await buildBrowser();
} else {
  await rm(distDir, { recursive: true, force: true });
  await Promise.all([buildNode(), buildBrowser(), buildDeclarations()]);
  await checkNodeOutput();
  await checkDeclarations();
}
await checkBrowserOutput();

if (problems.length > 0) {
  console.error(`build-client failed:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
const files = (await listFiles(distDir)).filter((file) => !file.endsWith('.map'));
console.log(`built client/dist (${files.length} files) in ${Math.round(performance.now() - started)} ms`);
// What a web page pays for the SDK: the one browser file, minified, and as a server would gzip it.
const browserBytes = await readFile(browserFile);
console.log(
  `browser bundle ${path.relative(repoRoot, browserFile)}: ${kib(browserBytes.length)} minified, ${kib(gzipSync(browserBytes, { level: 9 }).length)} gzipped`,
);

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The Node build: the library and the CLI, sharing code through chunks. */
async function buildNode(): Promise<void> {
  await esbuild.build({
    absWorkingDir: clientDir,
    entryPoints: {
      index: 'src/index.ts',
      'cli/main': 'src/cli/main.ts',
      'cli/index': 'src/cli/index.ts',
      'worker/index': 'src/worker/index.ts',
    },
    outdir: distDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: dependencies,
    sourcemap: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}

/** The browser build: one self-contained ES module. */
async function buildBrowser(): Promise<void> {
  await mkdir(path.dirname(browserFile), { recursive: true });
  await esbuild.build({
    absWorkingDir: clientDir,
    entryPoints: ['src/index.ts'],
    outfile: browserFile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Private class fields and top-level await are fine in every browser this targets.
    target: ['es2022', 'chrome100', 'firefox100', 'safari15.4'],
    minify: true,
    sourcemap: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

/**
 * Declarations: tsc for the client (emitDeclarationOnly), and for the generated spec types the client
 * imports from @longrun/openapi, which are copied under dist/openapi/ and pointed at.
 */
async function buildDeclarations(): Promise<void> {
  const tsc = (args: string[]) => runCommand('tsc', args, { capture: true });
  const openapiOut = path.join(distDir, 'openapi');
  const [client, openapi] = await Promise.all([
    tsc(['-p', path.join(clientDir, 'tsconfig.build.json'), '--pretty', 'false']),
    tsc([
      ...['--declaration', '--emitDeclarationOnly', '--skipLibCheck', '--strict', '--pretty', 'false'],
      ...['--target', 'ES2023', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
      ...['--allowImportingTsExtensions', '--rewriteRelativeImportExtensions', '--verbatimModuleSyntax'],
      ...['--rootDir', path.join(repoRoot, 'openapi', 'generated'), '--outDir', openapiOut],
      path.join(repoRoot, 'openapi', 'generated', 'schema.gen.ts'),
      path.join(repoRoot, 'openapi', 'generated', 'async-operations.gen.ts'),
    ]),
  ]);
  for (const [name, result] of [
    ['client', client],
    ['openapi types', openapi],
  ] as const) {
    if (result.code !== 0) problems.push(`tsc (${name}) failed:\n${result.stdout}${result.stderr}`);
  }
  await writeFile(
    path.join(openapiOut, 'index.d.ts'),
    [
      '// The types of @longrun/openapi the client uses, inlined by scripts/build-client.ts.',
      "export type { AsyncKind, AsyncKinds, AsyncOperation } from './async-operations.gen.js';",
      "export type { components, operations, paths, webhooks } from './schema.gen.js';",
      '',
    ].join('\n'),
  );
  for (const file of await listFiles(distDir)) {
    if (!file.endsWith('.d.ts')) continue;
    const filePath = path.join(distDir, file);
    const source = await readFile(filePath, 'utf8');
    let target = path.relative(path.dirname(filePath), path.join(openapiOut, 'index.js')).split(path.sep).join('/');
    if (!target.startsWith('.')) target = `./${target}`;
    // tsc keeps `.ts` in relative specifiers of declarations; consumers' TypeScript expects `.js`.
    const rewritten = source
      .replace(/(["'])@longrun\/openapi\1/g, `$1${target}$1`)
      .replace(/((?:from\s+|import\()(["']))(\.{1,2}\/[^"']+)\.ts\2/g, '$1$3.js$2');
    if (rewritten !== source) await writeFile(filePath, rewritten);
  }
}

async function checkNodeOutput(): Promise<void> {
  for (const file of await listFiles(distDir)) {
    if (!file.endsWith('.js') || file.startsWith(`browser${path.sep}`)) continue;
    const source = await readFile(path.join(distDir, file), 'utf8');
    if (source.includes('@longrun/openapi')) problems.push(`${file} imports @longrun/openapi at run time`);
    for (const match of source.matchAll(/\bfrom\s*["']([^"'.][^"']*)["']/g)) {
      const specifier = match[1] ?? '';
      const isNodeBuiltin = specifier.startsWith('node:');
      if (
        !isNodeBuiltin &&
        !dependencies.some((dependency) => specifier === dependency || specifier.startsWith(`${dependency}/`))
      ) {
        problems.push(`${file} imports "${specifier}", which is not a dependency of @longrun/client`);
      }
    }
  }
  const cli = await readFile(path.join(distDir, 'cli', 'main.js'), 'utf8');
  if (!cli.startsWith('#!/usr/bin/env node')) problems.push('dist/cli/main.js lost its #! line');
  const index = await readFile(path.join(distDir, 'index.js'), 'utf8');
  if (/\bfrom\s*["']node:/.test(index))
    problems.push('dist/index.js imports a Node module; the library entry must not');
}

async function checkBrowserOutput(): Promise<void> {
  const source = await readFile(browserFile, 'utf8');
  if (/\b(from|import)\s*\(?\s*["'](node:|@longrun\/|openapi-fetch)/.test(source)) {
    problems.push('dist/browser/longrun.js still imports a module; it must be self-contained');
  }
}

/** The declarations must compile for a consumer that has none of the workspace packages. */
async function checkDeclarations(): Promise<void> {
  const consumer = path.join(distDir, '.check-declarations.ts');
  await writeFile(
    consumer,
    [
      "import { createClient, waitFor } from './index.js';",
      "const client = createClient({ baseUrl: 'https://api.test' });",
      "const accepted = await client.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } });",
      'const car = await waitFor(client, accepted);',
      'export const vin: string = car.vin;',
      '// @ts-expect-error a Car is not a string (fails as unused if the types resolved to any)',
      'export const wrong: string = car;',
      '',
    ].join('\n'),
  );
  try {
    const result = await runCommand(
      'tsc',
      [
        ...['--noEmit', '--strict', '--skipLibCheck', 'false', '--pretty', 'false', '--types', 'node'],
        ...['--target', 'ES2023', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--lib', 'ES2023,DOM'],
        consumer,
      ],
      { capture: true, cwd: clientDir },
    );
    if (result.code !== 0)
      problems.push(`the declarations do not compile on their own:\n${result.stdout}${result.stderr}`);
  } finally {
    await rm(consumer, { force: true });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}
