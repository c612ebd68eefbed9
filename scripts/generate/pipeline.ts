/**
 * The generator: from one spec, the bundled spec, the openapi-typescript types, the `AsyncKinds` map
 * and `asyncOperations` list, the hey-api SDK and the server stubs (`server.gen.ts`). `pnpm generate` (this repository's reference spec,
 * laid out across the packages) and `longrun generate` (a user's spec, into one folder) both run it.
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readAsyncOperations, renderAsyncOperations } from './async-operations.ts';
import { bundleSpec, renderBundle } from './bundle-spec.ts';
import { findDrift, listFiles } from './drift.ts';
import { formatTypeScript } from './format-typescript.ts';
import { generatedNotice } from './generated-notice.ts';
import { renderSchemaTypes } from './schema-types.ts';
import { generateSdk } from './sdk.ts';
import { folderStubModules, renderServerStubs, type ServerStubModules } from './server-stubs.ts';

/** Where the generated files go, relative to the output root. */
export interface GenerateLayout {
  /** Folder of `openapi.gen.json`, `schema.gen.ts` and `async-operations.gen.ts`. */
  types: string;
  /** Folder of the hey-api SDK. */
  sdk: string;
  /** Folder of `server.gen.ts`, and where it imports from. */
  server: { folder: string; modules: ServerStubModules };
  /** Folders the generator owns entirely: each run replaces them, so a file no longer generated goes. */
  owned: readonly string[];
  /** Also write an `index.ts` beside the types that exports them all (for a user's folder). */
  index: boolean;
}

/** This repository: types in `@longrun/openapi`, the SDK in `@longrun/client`. */
export const repositoryLayout: GenerateLayout = {
  types: 'openapi/generated',
  sdk: 'client/src/generated/sdk',
  server: {
    folder: 'server/src/generated',
    modules: {
      server: '../http/spec-server.ts',
      schema: '@longrun/openapi',
      documentImports: ["import { bundledSpecPath } from '@longrun/openapi';"],
      document: 'bundledSpecPath',
    },
  },
  owned: ['openapi/generated', 'client/src/generated/sdk', 'server/src/generated'],
  index: false,
};

/** A user's API: everything in one folder, the SDK in its `sdk/`. */
export const folderLayout: GenerateLayout = {
  types: '.',
  sdk: 'sdk',
  server: { folder: '.', modules: folderStubModules },
  owned: ['.'],
  index: true,
};

/** What to generate, from where, to where. */
export interface GenerateOptions {
  /** Absolute path of the spec. */
  spec: string;
  /** Absolute path of the output root. */
  out: string;
  layout: GenerateLayout;
  /** Compare with what is on disk instead of writing; report each drifted file. */
  check: boolean;
  /** The spec as named in the generated-file notice and in messages. */
  specLabel: string;
  /** The command that regenerates, named in the notice and in messages (`pnpm generate`). */
  command: string;
}

/** Runs the generator; resolves to the process exit code, having reported to stdout/stderr. */
export async function runGenerate(options: GenerateOptions): Promise<number> {
  if (!(await exists(options.spec))) {
    console.error(`generate: ${options.specLabel} does not exist; write the spec first.`);
    return 1;
  }
  const freshRoot = await mkdtemp(path.join(tmpdir(), 'longrun-generate-'));
  try {
    await generateInto(freshRoot, options);
    if (options.check) {
      const drifted = await findDrift(freshRoot, options.out, options.layout.owned);
      if (drifted.length > 0) {
        console.error(`Generated files are out of date with ${options.specLabel}:`);
        for (const { file, change } of drifted) console.error(`  ${change.padEnd(7)} ${file}`);
        console.error('(changed: contents differ; missing: not in the working tree; stale: no longer generated)');
        console.error(`\nRun \`${options.command}\` and commit the result.`);
        return 1;
      }
      console.log(`Generated files match ${options.specLabel}.`);
      return 0;
    }
    for (const folder of options.layout.owned) {
      const target = path.join(options.out, folder);
      await rm(target, { recursive: true, force: true });
      await mkdir(path.dirname(target), { recursive: true });
      await cp(path.join(freshRoot, folder), target, { recursive: true });
      const files = [...(await listFiles(target))].sort();
      for (const file of files)
        console.log(`  wrote ${path.posix.join(toPosix(path.relative(process.cwd(), target)) || '.', file)}`);
    }
    return 0;
  } catch (error) {
    // Spec and tool errors carry their own explanation; a stack trace into the generator adds nothing.
    console.error(`generate failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await rm(freshRoot, { recursive: true, force: true });
  }
}

/** Writes every generated file below `root`, laid out as `options.layout` says. */
async function generateInto(root: string, options: GenerateOptions): Promise<void> {
  const notice = generatedNotice(options.specLabel, options.command);
  const typesDir = path.join(root, options.layout.types);
  const sdkDir = path.join(root, options.layout.sdk);
  const serverDir = path.join(root, options.layout.server.folder);
  await mkdir(typesDir, { recursive: true });
  await mkdir(serverDir, { recursive: true });

  const document = await bundleSpec(options.spec);
  const bundlePath = path.join(typesDir, 'openapi.gen.json');
  await writeFile(bundlePath, renderBundle(document, notice));
  // Validate the extension before the slower steps, so a spec mistake is reported first.
  const asyncOperations = readAsyncOperations(document);

  await Promise.all([
    renderSchemaTypes(document, notice)
      .then((source) => formatTypeScript(source, 'schema.gen.ts'))
      .then((source) => writeFile(path.join(typesDir, 'schema.gen.ts'), source)),
    formatTypeScript(renderAsyncOperations(asyncOperations, notice), 'async-operations.gen.ts').then((source) =>
      writeFile(path.join(typesDir, 'async-operations.gen.ts'), source),
    ),
    formatTypeScript(
      renderServerStubs(document, asyncOperations, notice, options.layout.server.modules),
      'server.gen.ts',
    ).then((source) => writeFile(path.join(serverDir, 'server.gen.ts'), source)),
    generateSdk(bundlePath, sdkDir, notice).then(() => formatFolder(sdkDir)),
    options.layout.index
      ? formatTypeScript(renderIndex(notice), 'index.ts').then((source) =>
          writeFile(path.join(typesDir, 'index.ts'), source),
        )
      : Promise.resolve(),
  ]);
}

/** The entry of a user's generated folder: its spec's types, async kinds and SDK, by name. */
function renderIndex(notice: string): string {
  return [
    `// ${notice}`,
    '',
    "export type { AsyncKind, AsyncKinds, AsyncOperation } from './async-operations.gen.ts';",
    "export { asyncOperations } from './async-operations.gen.ts';",
    "export type { components, operations, paths } from './schema.gen.ts';",
    "export * as sdk from './sdk/index.ts';",
    '',
  ].join('\n');
}

async function formatFolder(folder: string): Promise<void> {
  const files = [...(await listFiles(folder))].filter((file) => file.endsWith('.ts'));
  await Promise.all(
    files.map(async (file) => {
      const filePath = path.join(folder, file);
      await writeFile(filePath, await formatTypeScript(await readFile(filePath, 'utf8'), file));
    }),
  );
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** A path with `/` separators, as notices and messages show it on every system. */
export function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
