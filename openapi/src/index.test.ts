import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asyncOperations, loadBundledSpec, specPath } from './index.ts';

describe('@longrun/openapi', () => {
  it('points at the source spec', () => {
    expect(specPath).toMatch(/openapi[\\/]openapi\.yaml$/);
    expect(existsSync(specPath)).toBe(true);
  });

  it('loads the bundled spec, marked as generated', async () => {
    const spec = await loadBundledSpec();

    expect(spec['x-generated']).toBe('generated from openapi/openapi.yaml by `pnpm generate` — do not edit');
    expect(spec.openapi).toMatch(/^3\.1\./);
  });

  it('returns a fresh copy on every load', async () => {
    const first = await loadBundledSpec();
    first.openapi = 'changed';

    expect((await loadBundledSpec()).openapi).not.toBe('changed');
  });

  it('lists each async operation where the bundled spec declares it', async () => {
    const paths = (await loadBundledSpec()).paths as Record<string, Record<string, { operationId?: string }>>;

    for (const operation of asyncOperations) {
      expect(paths[operation.path]?.[operation.method]?.operationId, operation.kind).toBe(operation.operationId);
    }
  });
});
