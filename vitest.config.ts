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

export default defineConfig({
  test: {
    projects: [
      packageProject('openapi'),
      packageProject('server'),
      packageProject('client'),
      packageProject('scripts', { testTimeout: 30_000 }),
      // Integration, contract and end-to-end tests start servers, databases and browsers.
      packageProject('test', { testTimeout: 60_000, hookTimeout: 60_000 }),
    ],
  },
});
