import type { TestProjectInlineConfiguration } from 'vitest/config';
import { defineConfig } from 'vitest/config';

/**
 * One Vitest project per workspace package. Runtime tests are `*.test.ts` beside the module they test;
 * type tests are `*.test-d.ts`, run by `tsc` in Vitest's typecheck mode against the package's tsconfig.
 */
function packageProject(name: string, overrides: NonNullable<TestProjectInlineConfiguration['test']> = {}) {
  return {
    extends: true,
    test: {
      name,
      root: `./${name}`,
      include: ['**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**'],
      typecheck: {
        enabled: true,
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
      // The project template's test runs in the project `longrun init` makes (test/ship), not here.
      packageProject('scripts', {
        testTimeout: 30_000,
        exclude: ['**/node_modules/**', '**/dist/**', 'cli/template/**'],
      }),
      // Integration, contract and end-to-end tests start servers, databases and browsers.
      packageProject('test', { testTimeout: 60_000, hookTimeout: 60_000 }),
    ],
  },
});
