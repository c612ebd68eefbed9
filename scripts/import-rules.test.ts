/**
 * The import rules `pnpm lint` enforces (`.dependency-cruiser.cjs`): a planted back-arrow in a copy
 * of the server's layout is reported under the rule it breaks, and the arrows the layout allows are not.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from './repo-root.ts';

const config = createRequire(import.meta.url)(join(repoRoot, '.dependency-cruiser.cjs')) as {
  forbidden: IForbiddenRuleType[];
};

let root: string;

/** Writes `files` (path → imported paths) as modules under `root` and cruises them with the rules. */
async function cruiseLayout(files: Record<string, string[]>): Promise<ICruiseResult['summary']['violations']> {
  for (const [path, imports] of Object.entries(files)) {
    await mkdir(join(root, dirname(path)), { recursive: true });
    const lines = imports.map((target, i) => `import * as m${i} from '${target}';\nexport const u${i} = m${i};`);
    await writeFile(join(root, path), `${lines.join('\n')}\nexport const here = 1;\n`);
  }
  const { output } = await cruise(['server/src'], {
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    tsPreCompilationDeps: true,
  });
  return (output as ICruiseResult).summary.violations;
}

/** The rule names of `violations`, with the arrow each one is about. */
function broken(violations: ICruiseResult['summary']['violations']): string[] {
  return violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'longrun-import-rules-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the import rules', () => {
  it('allow the arrows of the layout: adapters and kinds depend on the core and its ports', async () => {
    const violations = await cruiseLayout({
      'server/src/operations/ports/index.ts': [],
      'server/src/operations/engine.ts': ['./ports/index.ts'],
      'server/src/store/sql/dialect.ts': ['../../operations/ports/index.ts'],
      'server/src/store/sqlite/sqlite-store.ts': ['../../operations/engine.ts', '../sql/dialect.ts'],
      'server/src/store/postgres/postgres-store.ts': ['../../operations/ports/index.ts', '../sql/dialect.ts'],
      'server/src/push/create-push.ts': ['../operations/ports/index.ts'],
      'server/src/kinds/cars.ts': ['../operations/engine.ts'],
      'server/src/http/app.ts': ['../operations/engine.ts', '../push/create-push.ts'],
      'server/src/create-server.ts': [
        './http/app.ts',
        './store/sqlite/sqlite-store.ts',
        './store/postgres/postgres-store.ts',
      ],
      'server/src/operations/engine.test.ts': ['../store/sqlite/sqlite-store.ts', '../testing/harness.ts'],
      'server/src/testing/harness.ts': ['../store/sqlite/sqlite-store.ts'],
    });
    expect(broken(violations)).toEqual([]);
  });

  it('refuse the core importing an adapter', async () => {
    const violations = await cruiseLayout({
      'server/src/store/sqlite/sqlite-store.ts': [],
      'server/src/operations/engine.ts': ['../store/sqlite/sqlite-store.ts'],
    });
    expect(broken(violations)).toEqual([
      'core-imports-no-adapter: server/src/operations/engine.ts → server/src/store/sqlite/sqlite-store.ts',
    ]);
  });

  it('refuse one store adapter importing the other, either way', async () => {
    const violations = await cruiseLayout({
      'server/src/store/sqlite/rows.ts': [],
      'server/src/store/postgres/rows.ts': ['../sqlite/rows.ts'],
      'server/src/store/sqlite/store.ts': ['../postgres/rows.ts'],
    });
    expect(broken(violations).sort()).toEqual([
      'postgres-and-sqlite-apart: server/src/store/postgres/rows.ts → server/src/store/sqlite/rows.ts',
      'sqlite-and-postgres-apart: server/src/store/sqlite/store.ts → server/src/store/postgres/rows.ts',
    ]);
  });

  it('refuse a store, push or a kind importing the HTTP layer', async () => {
    const violations = await cruiseLayout({
      'server/src/http/api-types.ts': [],
      'server/src/store/sqlite/store.ts': ['../../http/api-types.ts'],
      'server/src/push/dispatcher.ts': ['../http/api-types.ts'],
      'server/src/kinds/cars.ts': ['../http/api-types.ts'],
    });
    expect(broken(violations).sort()).toEqual([
      'kinds-import-core-only: server/src/kinds/cars.ts → server/src/http/api-types.ts',
      'push-imports-no-http-or-store: server/src/push/dispatcher.ts → server/src/http/api-types.ts',
      'store-imports-no-other-adapter: server/src/store/sqlite/store.ts → server/src/http/api-types.ts',
    ]);
  });

  it('refuse shipped code importing test harnesses', async () => {
    const violations = await cruiseLayout({
      'server/src/testing/harness.ts': [],
      'server/src/http/app.ts': ['../testing/harness.ts'],
    });
    expect(broken(violations)).toEqual([
      'http-imports-no-store-adapter: server/src/http/app.ts → server/src/testing/harness.ts',
      'shipped-code-imports-no-test-code: server/src/http/app.ts → server/src/testing/harness.ts',
    ]);
  });
});
