/**
 * `pnpm typecheck`: runs `tsc -p <package>` for every package referenced by the root tsconfig.json, in
 * parallel, and fails when any package has a type error. Generated files are included like any other.
 *
 * Why not `tsc -b`: the packages use `allowImportingTsExtensions` with `noEmit`, so they are not composite;
 * `tsc -b` would then either rebuild everything serially or, with `incremental`, miss changes made in a
 * sibling package that a package imports through the workspace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './repo-root.ts';
import { runCommand } from './run-command.ts';

const rootConfig = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), (file) => readFileSync(file, 'utf8'));
if (rootConfig.error) throw new Error(ts.flattenDiagnosticMessageText(rootConfig.error.messageText, '\n'));
const references = (rootConfig.config as { references?: { path: string }[] }).references ?? [];
const packages = references.map((reference) => path.relative(repoRoot, path.resolve(repoRoot, reference.path)));

const pretty = process.stdout.isTTY ? ['--pretty'] : ['--pretty', 'false'];
const results = await Promise.all(
  packages.map(async (name) => {
    const result = await runCommand('tsc', ['-p', path.join(name, 'tsconfig.json'), ...pretty], { capture: true });
    return { name, ...result };
  }),
);

let failed = 0;
for (const { name, code, stdout, stderr } of results) {
  const output = `${stdout}${stderr}`.trim();
  // TS18003: the package has no TypeScript files yet, which is not a type error.
  if (code !== 0 && /error TS18003:/.test(output) && !/error TS(?!18003)\d+:/.test(output)) {
    console.log(`○ ${name}: no TypeScript files yet`);
  } else if (code !== 0) {
    failed++;
    console.log(`✗ ${name}\n${output}\n`);
  } else {
    console.log(`✓ ${name}`);
  }
}
if (failed > 0) {
  console.log(`\n${failed} of ${packages.length} packages have type errors.`);
  process.exitCode = 1;
}
