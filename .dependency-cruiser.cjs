/**
 * The import rules of the server: the operations core owns its model and ports, and every adapter
 * depends on it one way. `pnpm lint` fails on any import that points back.
 *
 * Tests (`*.test.ts`, `*.test-d.ts`) may wire real adapters together, so the rules apply to the
 * code that ships.
 */
const SHIPPED = '^server/src/.*(?<!\\.test|\\.test-d)\\.ts$';
const TESTS = '\\.test(-d)?\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-adapter',
      comment:
        'The operations core depends on its own ports only, never on an adapter, the spec examples or test code.',
      severity: 'error',
      from: { path: '^server/src/operations/', pathNot: TESTS },
      to: {
        path: '^server/src/(http|store|push|broker|observability|kinds|testing)/|^server/src/(config|create-server|main|index)\\.ts$',
      },
    },
    {
      name: 'sqlite-and-postgres-apart',
      comment: 'The two store adapters share code through store/sql/ (the dialect seam) or the core, never each other.',
      severity: 'error',
      from: { path: '^server/src/store/sqlite/' },
      to: { path: '^server/src/store/postgres/' },
    },
    {
      name: 'postgres-and-sqlite-apart',
      comment: 'The two store adapters share code through store/sql/ (the dialect seam) or the core, never each other.',
      severity: 'error',
      from: { path: '^server/src/store/postgres/' },
      to: { path: '^server/src/store/sqlite/' },
    },
    {
      name: 'store-imports-no-other-adapter',
      comment:
        'A store adapter implements the core ports; it knows nothing of HTTP, push delivery or the example kinds.',
      severity: 'error',
      from: { path: '^server/src/store/', pathNot: TESTS },
      to: { path: '^server/src/(http|push|kinds|testing)/|^server/src/(config|create-server|main|index)\\.ts$' },
    },
    {
      name: 'push-imports-no-http-or-store',
      comment:
        'Push delivery uses the core ports; the HTTP layer calls it, and it reaches stores only through the ports.',
      severity: 'error',
      from: { path: '^server/src/push/', pathNot: TESTS },
      to: { path: '^server/src/(http|store|kinds|testing)/|^server/src/(config|create-server|main|index)\\.ts$' },
    },
    {
      name: 'broker-imports-core-only',
      comment:
        'The broker adapter dispatches tasks and applies reports through the core ports; it knows nothing of HTTP, stores or push.',
      severity: 'error',
      from: { path: '^server/src/broker/', pathNot: TESTS },
      to: {
        path: '^server/src/(http|store|push|kinds|observability|testing)/|^server/src/(config|create-server|main|index)\\.ts$',
      },
    },
    {
      name: 'kinds-import-core-only',
      comment: 'Operation kinds are written against the core and the contract, as a user writes their own.',
      severity: 'error',
      from: { path: '^server/src/kinds/', pathNot: TESTS },
      to: { path: '^server/src/(http|store|push|testing)/|^server/src/(config|create-server|main|index)\\.ts$' },
    },
    {
      name: 'http-imports-no-store-adapter',
      comment:
        'The HTTP adapter speaks to the core and its ports; which database backs them is chosen in create-server.',
      severity: 'error',
      from: { path: '^server/src/http/', pathNot: TESTS },
      to: { path: '^server/src/(store|testing)/|^server/src/(create-server|main|index)\\.ts$' },
    },
    {
      name: 'shipped-code-imports-no-test-code',
      comment: 'Test harnesses stay out of the code that ships.',
      severity: 'error',
      from: { path: SHIPPED, pathNot: '^server/src/testing/' },
      to: { path: '^server/src/testing/|^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules|/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'server/tsconfig.json' },
  },
};
