/**
 * `pnpm test`: every check CI runs.
 *
 *   1. check:generated   generated files match openapi/openapi.yaml
 *   2. lint:spec         Redocly + Spectral (spectral:oas and OWASP), zero errors
 *   3. lint              Biome and the import rules
 *   4. typecheck         tsc on every package, `*.test-d.ts` type tests included
 *   5. vitest            all projects' runtime tests
 *
 * The first four read the tree and write nothing, so they run at once, each one's output printed
 * whole when it ends, in order; Vitest runs only when all four pass. Every package's tsconfig takes
 * in its `*.test-d.ts` files, so step 4 compiles every type test (an `expectTypeOf` that fails or an
 * unused `@ts-expect-error` is a tsc error there, naming the file and line); Vitest's typecheck mode
 * would run the same compiler over them a second time, so here it is off (`LONGRUN_TYPE_TESTS=tsc`,
 * read by vitest.config.ts; `pnpm test:unit` keeps it, for a run of Vitest alone).
 *
 * The last line is `N passed, N failed`: tests counted by Vitest, plus one failure for a check that failed
 * before Vitest ran, so a red run never reads `0 failed`; then `, N skipped` when a test skipped itself
 * (a browser test on a machine without Chromium, outside CI), each named above it. Extra arguments go to
 * `vitest run`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from './run-command.ts';

/** One check in the run. */
interface Step {
  name: string;
  command: string;
  args: string[];
}

/** The fields of Vitest's JSON report this script reads. */
interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults?: { assertionResults?: { fullName?: string; status?: string; failureMessages?: string[] }[] }[];
}

const reportDir = await mkdtemp(path.join(tmpdir(), 'longrun-test-all-'));
const reportFile = path.join(reportDir, 'vitest.json');
// Each check runs its package.json script, so `pnpm test` and the single command never disagree.
const script = (name: string): Step => ({ name, command: 'pnpm', args: ['run', '--silent', name] });

const steps: Step[] = [
  script('check:generated'),
  script('lint:spec'),
  script('lint'),
  script('typecheck'),
  {
    name: 'vitest',
    command: 'vitest',
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)],
  },
];

let passedTests = 0;
let failedTests = 0;
let skippedTests = 0;
const timings: string[] = [];
try {
  const checks = steps.filter((step) => step.name !== 'vitest');
  const vitest = steps.find((step) => step.name === 'vitest') as Step;
  const checked = await Promise.all(
    checks.map(async (step) => {
      const started = performance.now();
      const result = await runCommand(step.command, step.args, { capture: true });
      return { step, ...result, seconds: (performance.now() - started) / 1000 };
    }),
  );
  const failed: string[] = [];
  for (const [index, { step, code, stdout, stderr, seconds }] of checked.entries()) {
    banner(`[${index + 1}/${steps.length}] ${step.name}`);
    const output = `${stdout}${stderr}`.trimEnd();
    if (output !== '') console.log(output);
    timings.push(`${code === 0 ? '✓' : '✗'} ${step.name.padEnd(16)} ${seconds.toFixed(1)}s`);
    if (code !== 0) {
      failed.push(`${step.name} (exit code ${code})`);
      failedTests += 1;
    }
  }
  if (failed.length > 0) {
    banner(`FAILED: ${failed.join(', ')}; vitest did not run`);
  } else {
    banner(`[${steps.length}/${steps.length}] vitest`);
    const started = performance.now();
    const { code } = await runCommand(vitest.command, vitest.args, { env: { LONGRUN_TYPE_TESTS: 'tsc' } });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const report = await readVitestReport(reportFile);
    if (report) {
      passedTests = report.numPassedTests;
      failedTests = report.numFailedTests;
      skippedTests = report.numPendingTests + report.numTodoTests;
      if (skippedTests > 0) {
        const names = (report.testResults ?? [])
          .flatMap((file) => file.assertionResults ?? [])
          .filter((test) => test.status === 'skipped' || test.status === 'pending' || test.status === 'todo')
          .map((test) => `  - ${test.fullName ?? '(unnamed)'}`);
        console.log(`\n${skippedTests} tests skipped, not run on this machine:\n${names.join('\n')}`);
      }
    }
    // A Vitest crash (bad config, no report) still counts as a failure.
    if (code !== 0 && failedTests === 0) failedTests = 1;
    timings.push(`${code === 0 ? '✓' : '✗'} vitest           ${seconds}s`);
    if (code !== 0) banner(`FAILED: vitest (exit code ${code})`);
  }
} finally {
  await rm(reportDir, { recursive: true, force: true });
}

banner('summary');
console.log(timings.join('\n'));
console.log(`${passedTests} passed, ${failedTests} failed${skippedTests > 0 ? `, ${skippedTests} skipped` : ''}`);
process.exitCode = failedTests > 0 ? 1 : 0;

function banner(title: string): void {
  console.log(`\n━━━━ ${title} ${'━'.repeat(Math.max(4, 72 - title.length))}`);
}

async function readVitestReport(file: string): Promise<VitestJsonReport | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as VitestJsonReport;
  } catch {
    return undefined;
  }
}
