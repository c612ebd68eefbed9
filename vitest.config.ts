import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defineConfig } from 'vitest/config';

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
 * Suites that build into the repository's own folders (`pnpm build` writes every package's `dist/`, the
 * dashboard test rebuilds `server/dashboard/dist/`, which the server's dashboard tests serve): they run
 * last, one file at a time, after every other file has finished. Run beside the others, the packaging
 * tests (npm installs, builds) took 494 s instead of 288 s and slowed the rest: the whole run was longer.
 */
const buildsIntoTheTree = ['ship/**/*.test.ts', 'e2e/**/*.test.ts'];
const outside = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    // Vitest's default on a 2-core machine is one file at a time (available parallelism − 1), yet
    // most files wait on servers, child processes and timers far more than they compute: two at a
    // time. Every suite picks free ports, fresh temporary folders and database names of its own.
    maxWorkers: 2,
    projects: [
      packageProject('openapi'),
      packageProject('server'),
      packageProject('client'),
      // The project template's test runs in the project `longrun init` makes (test/ship), not here.
      packageProject('scripts', {
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
