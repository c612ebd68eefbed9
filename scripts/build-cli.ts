/**
 * Builds the `longrun` command (`@longrun/cli`, this folder) into scripts/dist for Node ≥ 20:
 *
 *   dist/longrun.js            the command's own code (cli/, generate/, mock/, conform/) in one ESM file;
 *                              every package it uses (Spectral, Prism, Redocly, openapi-typescript,
 *                              hey-api, @longrun/openapi, …) stays an import, resolved from the user's
 *                              install, so the versions are the ones package.json declares
 *   dist/openapi/redocly.yaml  the Redocly settings `longrun generate` bundles a spec with
 *   dist/client/tsconfig.json  the compiler settings hey-api writes the SDK for (+ dist/tsconfig.base.json)
 *   dist/biome.json            the formatting generated files get
 *   dist/template/             the project `longrun init` makes
 *
 * Inside the repository, the command's modules find those files from the workspace root; in the built
 * file, that root is dist/ itself, so the same paths land on the copies beside it. The repository's own
 * scripts (build, bench, test-all, deploy) are not part of the command and are not in dist/.
 */
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './repo-root.ts';

const scriptsDir = path.join(repoRoot, 'scripts');
const distDir = path.join(scriptsDir, 'dist');

/** Builds scripts/dist; resolves to the problems found (empty when the build is good). */
export async function buildCli(): Promise<string[]> {
  const problems: string[] = [];
  await rm(distDir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [path.join(scriptsDir, 'cli', 'main.ts')],
    outfile: path.join(distDir, 'longrun.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [builtRepoRoot],
  });
  problems.push(...result.errors.map((error) => `cli: ${error.text}`));
  problems.push(...(await undeclaredImports(result.metafile)));

  // `longrun init` copies it; it finds it beside the built file.
  await cp(path.join(scriptsDir, 'cli', 'template'), path.join(distDir, 'template'), { recursive: true });
  await mkdir(path.join(distDir, 'openapi'), { recursive: true });
  await mkdir(path.join(distDir, 'client'), { recursive: true });
  // The bundle step names its spec on the command line; the repository's `apis` entry is not needed.
  const redocly = (await readFile(path.join(repoRoot, 'openapi', 'redocly.yaml'), 'utf8')).replace(
    /^apis:\n(?: {2}.*\n)+/m,
    '',
  );
  await writeFile(path.join(distDir, 'openapi', 'redocly.yaml'), redocly);
  await copyFile(path.join(repoRoot, 'tsconfig.base.json'), path.join(distDir, 'tsconfig.base.json'));
  await copyFile(path.join(repoRoot, 'client', 'tsconfig.json'), path.join(distDir, 'client', 'tsconfig.json'));
  const biome = JSON.parse(await readFile(path.join(repoRoot, 'biome.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(
    path.join(distDir, 'biome.json'),
    `${JSON.stringify({ root: true, formatter: biome.formatter, javascript: biome.javascript }, null, 2)}\n`,
  );
  return problems;
}

/** In the built file, the "workspace root" is dist/, where the copied settings files are. */
const builtRepoRoot: esbuild.Plugin = {
  name: 'built-repo-root',
  setup(build) {
    build.onResolve({ filter: /[/\\]repo-root\.ts$/ }, () => ({ path: 'repo-root', namespace: 'built-repo-root' }));
    build.onLoad({ filter: /.*/, namespace: 'built-repo-root' }, () => ({
      loader: 'ts',
      contents: [
        "import path from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        'export const repoRoot: string = path.dirname(fileURLToPath(import.meta.url));',
      ].join('\n'),
    }));
  },
};

/** Every package the built file imports must be a dependency of the published package, or a Node module. */
async function undeclaredImports(metafile: esbuild.Metafile): Promise<string[]> {
  const manifest = JSON.parse(await readFile(path.join(scriptsDir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const declared = new Set(Object.keys(manifest.dependencies ?? {}));
  const problems = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const parts = imported.path.split('/');
      const name = imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
      if (!declared.has(name)) problems.add(`cli: dist/longrun.js imports ${name}, not in dependencies`);
    }
  }
  return [...problems];
}
