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
 * another spec or output root (for trying the pipeline without touching the repository). The same
 * generator serves `longrun generate`, which writes a user's spec into one folder.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repositoryLayout, runGenerate, toPosix } from './generate/pipeline.ts';
import { repoRoot } from './repo-root.ts';

const { values: options } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string', default: path.join(repoRoot, 'openapi', 'openapi.yaml') },
    out: { type: 'string', default: repoRoot },
  },
});
const spec = path.resolve(options.spec);
const relative = path.relative(repoRoot, spec);

process.exitCode = await runGenerate({
  spec,
  out: path.resolve(options.out),
  layout: repositoryLayout,
  check: options.check,
  specLabel: toPosix(relative.startsWith('..') ? spec : relative),
  command: 'pnpm generate',
});
