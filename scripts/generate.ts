/**
 * `pnpm generate`: regenerates everything derived from openapi/openapi.yaml.
 *
 *   openapi/generated/openapi.gen.json          bundled spec (runtime copy for the validator and tools)
 *   openapi/generated/schema.gen.ts             openapi-typescript: paths, components, operations, webhooks
 *   openapi/generated/async-operations.gen.ts   AsyncKinds map + asyncOperations list from x-longrun-async
 *   client/src/generated/sdk/                   hey-api fetch client, types and SDK functions
 *
 * `pnpm generate --check` (`pnpm check:generated`) regenerates into a temp folder and fails, naming each
 * drifted file, when the committed output differs. `--spec <file>` and `--out <dir>` point the generator at
 * another spec or output root (for trying the pipeline without touching the repository).
 */
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readAsyncOperations, renderAsyncOperations } from './generate/async-operations.ts';
import { bundleSpec, renderBundle } from './generate/bundle-spec.ts';
import { findDrift, listFiles } from './generate/drift.ts';
import { formatTypeScript } from './generate/format-typescript.ts';
import { generatedNotice } from './generate/generated-notice.ts';
import { renderSchemaTypes } from './generate/schema-types.ts';
import { generateSdk } from './generate/sdk.ts';
import { repoRoot } from './repo-root.ts';

/** Folders the generator owns entirely: each run replaces them, so a file removed from the output goes. */
const generatedFolders = ['openapi/generated', 'client/src/generated/sdk'] as const;

const { values: options } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string', default: path.join(repoRoot, 'openapi', 'openapi.yaml') },
    out: { type: 'string', default: repoRoot },
  },
});
const specPath = path.resolve(options.spec);
const outRoot = path.resolve(options.out);
const specLabel = toPosix(
  path.relative(repoRoot, specPath).startsWith('..') ? specPath : path.relative(repoRoot, specPath),
);

if (!(await exists(specPath))) {
  console.error(`generate: ${specLabel} does not exist; write the spec first.`);
  process.exit(1);
}

const freshRoot = await mkdtemp(path.join(tmpdir(), 'longrun-generate-'));
try {
  await generateInto(freshRoot);
  if (options.check) {
    const drifted = await findDrift(freshRoot, outRoot, generatedFolders);
    if (drifted.length > 0) {
      console.error(`Generated files are out of date with ${specLabel}:`);
      for (const { file, change } of drifted) console.error(`  ${change.padEnd(7)} ${file}`);
      console.error('(changed: contents differ; missing: not in the working tree; stale: no longer generated)');
      console.error('\nRun `pnpm generate` and commit the result.');
      process.exitCode = 1;
    } else {
      console.log(`Generated files match ${specLabel}.`);
    }
  } else {
    for (const folder of generatedFolders) {
      await rm(path.join(outRoot, folder), { recursive: true, force: true });
      await mkdir(path.dirname(path.join(outRoot, folder)), { recursive: true });
      await cp(path.join(freshRoot, folder), path.join(outRoot, folder), { recursive: true });
      const files = [...(await listFiles(path.join(outRoot, folder)))].sort();
      for (const file of files) console.log(`  wrote ${path.posix.join(folder, file)}`);
    }
  }
} catch (error) {
  // Spec and tool errors carry their own explanation; a stack trace into this script adds nothing.
  console.error(`generate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await rm(freshRoot, { recursive: true, force: true });
}

/** Writes every generated file below `root`, laid out as in the repository. */
async function generateInto(root: string): Promise<void> {
  const notice = generatedNotice(specLabel);
  const openapiDir = path.join(root, 'openapi', 'generated');
  const sdkDir = path.join(root, 'client', 'src', 'generated', 'sdk');
  await mkdir(openapiDir, { recursive: true });

  const document = await bundleSpec(specPath);
  const bundlePath = path.join(openapiDir, 'openapi.gen.json');
  await writeFile(bundlePath, renderBundle(document, notice));
  // Validate the extension before the slower steps, so a spec mistake is reported first.
  const asyncOperations = readAsyncOperations(document);

  await Promise.all([
    renderSchemaTypes(document, notice)
      .then((source) => formatTypeScript(source, 'schema.gen.ts'))
      .then((source) => writeFile(path.join(openapiDir, 'schema.gen.ts'), source)),
    formatTypeScript(renderAsyncOperations(asyncOperations, notice), 'async-operations.gen.ts').then((source) =>
      writeFile(path.join(openapiDir, 'async-operations.gen.ts'), source),
    ),
    generateSdk(bundlePath, sdkDir, notice).then(() => formatFolder(sdkDir)),
  ]);
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

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
