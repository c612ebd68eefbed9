/**
 * The published packages move together: one version for all, named in the changelog, and each package
 * carries what a registry page and a license check need.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../support/server-process.ts';
import { packageNames } from './packages.ts';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  files?: string[];
  engines?: { node?: string };
  publishConfig?: { exports?: unknown; bin?: Record<string, string> };
}

const manifests = Object.keys(packageNames).map(
  (folder) => JSON.parse(readFileSync(path.join(REPO_ROOT, folder, 'package.json'), 'utf8')) as Manifest,
);

describe('the published packages', () => {
  test('share one version, and the changelog has a section for it', () => {
    const create = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'scripts', 'create-longrun', 'package.json'), 'utf8'),
    ) as Manifest;
    const versions = new Set([...manifests, create].map((manifest) => manifest.version));
    expect(versions.size).toBe(1);
    const [version] = versions;
    const changelog = readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(new RegExp(`^## ${String(version).replaceAll('.', '\\.')}\\b`, 'm'));
  });

  test.each(manifests.map((manifest) => [manifest.name, manifest] as const))(
    '%s is public, ships only dist/, runs on Node >= 20 and publishes built entries',
    (_, manifest) => {
      expect(manifest.private).toBeUndefined();
      // The contract file is also shipped where a spec's $ref names it: node_modules/@longrun/openapi/contract/.
      expect(manifest.files).toEqual(
        manifest.name === '@longrun/openapi' ? ['dist', 'contract/longrun.yaml'] : ['dist'],
      );
      expect(manifest.engines?.node).toBe('>=20');
      expect(JSON.stringify({ exports: manifest.publishConfig?.exports, bin: manifest.publishConfig?.bin })).toMatch(
        /\.\/dist\//,
      );
      expect(existsSync(path.join(REPO_ROOT, 'CHANGELOG.md'))).toBe(true);
    },
  );
});
