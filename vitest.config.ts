import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * One Vitest project per workspace package. Runtime tests are `*.test.ts` beside the module they test;
 * type tests are `*.test-d.ts`, run by `tsc` in Vitest's typecheck mode against the package's tsconfig.
 * `pnpm test` sets `LONGRUN_TYPE_TESTS=tsc`: its typecheck step has compiled every type test already
 * (each package's tsconfig includes them), so Vitest does not compile them a second time.
 */
const typeTestsInVitest = process.env.LONGRUN_TYPE_TESTS !== 'tsc';

function packageProject(name: string, overrides: NonNullable<TestProjectInlineConfiguration['test']> = {}) {
  return {
    extends: true,
    test: {
      name,
      root: `./${name}`,
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**'],
      typecheck: {
        enabled: typeTestsInVitest,
        checker: 'tsc',
        include: ['**/*.test-d.ts'],
        tsconfig: './tsconfig.json',
      },
      ...overrides,
    },
  } satisfies TestProjectInlineConfiguration;
}

/**
 * Suites that build into the repository's own folders in place (the dashboard test rebuilds
 * `server/dashboard/dist/`, which the server's dashboard tests serve): they run last, one file at a
 * time, after every other file has finished. The packaging test (`pnpm build`, `pnpm pack`, npm
 * installs) runs with the others: its build writes each package's `dist/`, which no other suite reads
 * (in this repository the packages resolve to their sources), and swaps in the dashboard's page whole.
 */
const buildsIntoTheTree = ['e2e/**/*.test.ts'];

/**
 * The order files start in: the longest first, so that the last to finish is a short one and the two
 * workers end together. Vitest's own order runs the projects one after another by name, so the
 * integration suites (`test/`, the longest, each starting servers, databases and brokers) came last
 * and the run ended on one of them with the other worker idle. With the durations of a previous run
 * (Vitest's cache) files are taken by duration across projects; without (a fresh clone, as in CI),
 * the integration project's files come first, each project in Vitest's order (larger files first).
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const durations = new Map(base.map((file) => [file, this.ctx.cache.getTestSpecificationResult(file)?.duration]));
    const timed = [...durations.values()].every((duration) => duration !== undefined);
    const place = new Map(base.map((file, index) => [file, index]));
    const integration = (file: TestSpecification) => (file.project.name === 'test' ? 0 : 1);
    return [...base].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        (timed
          ? (durations.get(b) as number) - (durations.get(a) as number)
          : integration(a) - integration(b) || (place.get(a) as number) - (place.get(b) as number)),
    );
  }
}
const outside = { testTimeout: 60_000, hookTimeout: 60_000 };

/**
 * The packages' own tests share their workers: a worker runs file after file without loading the
 * server's modules (Express, the validator, Ajv, the store drivers) afresh for each. Each file makes
 * its own servers, stores and clocks, and the two that fake timers restore them after each test; the
 * four projects pass in a shuffled order too (`--sequence.shuffle.files`). Measured, these projects
 * alone: 147 s isolated, 116–127 s shared. The integration suites (`test/`) keep a fresh worker per
 * file: they set environment variables and start child processes per file.
 */
const sharedWorkers = { isolate: false };

export default defineConfig({
  test: {
    // Vitest's default on a 2-core machine is one file at a time (available parallelism − 1), yet
    // most files wait on servers, child processes and timers far more than they compute: two at a
    // time. Every suite picks free ports, fresh temporary folders and database names of its own.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    projects: [
      packageProject('openapi', sharedWorkers),
      packageProject('server', sharedWorkers),
      packageProject('client', sharedWorkers),
      // The project template's test runs in the project `longrun init` makes (test/ship), not here.
      packageProject('scripts', {
        ...sharedWorkers,
        testTimeout: 30_000,
        exclude: ['**/node_modules/**', '**/dist/**', 'cli/template/**'],
      }),
      // Integration, contract and end-to-end tests start servers, databases and browsers.
      packageProject('test', { ...outside, exclude: ['**/node_modules/**', '**/dist/**', ...buildsIntoTheTree] }),
      {
        extends: true,
        test: {
          name: 'test-builds',
          root: './test',
          include: buildsIntoTheTree,
          exclude: ['**/node_modules/**', '**/dist/**'],
          ...outside,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
