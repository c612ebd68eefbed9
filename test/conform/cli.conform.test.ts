/**
 * `longrun conform` as CI runs it: a child process, one line per check, a JUnit file, the exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExportsServer, startExportsServer } from './exports-server.ts';

const run = promisify(execFile);
const main = fileURLToPath(new URL('../../scripts/cli/main.ts', import.meta.url));
const spec = fileURLToPath(new URL('./fixtures/exports.yaml', import.meta.url));

async function longrun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [main, ...args], { timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('longrun conform on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'longrun-conform-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a line per check and a summary, writes JUnit, and exits 0 when all pass', async () => {
    const server: ExportsServer = await startExportsServer();
    try {
      const junit = path.join(dir, 'pass.xml');
      const result = await longrun([
        'conform',
        '--spec',
        spec,
        '--url',
        server.url,
        '--key',
        server.key,
        '--only',
        'countRows',
        '--junit',
        junit,
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^PASS countRows\/outcome — 200 with a valid RowCount result$/m);
      expect(result.stdout).toMatch(/^\d+ passed, 0 failed, \d+ skipped \(\d+ checks in [\d.]+ s\)$/m);
      expect(result.stdout).not.toMatch(/startExport|compactStorage/);
      const xml = await readFile(junit, 'utf8');
      expect(xml).toMatch(/<testsuite name="longrun conform" tests="\d+" failures="0"/);
      expect(xml).toContain('<testcase classname="countRows" name="states-forward"');
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('exits 1 with a FAIL line and a JUnit failure when a check fails', async () => {
    const server = await startExportsServer('product-breaks-schema');
    try {
      const junit = path.join(dir, 'fail.xml');
      const result = await longrun([
        'conform',
        '--spec',
        spec,
        '--url',
        server.url,
        '--key',
        server.key,
        '--only',
        'startExport/outcome',
        '--junit',
        junit,
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /^FAIL startExport\/outcome — the product \/files\/\S+ breaks its schema ExportFile/m,
      );
      expect(await readFile(junit, 'utf8')).toMatch(
        /<failure message="the product \/files\/\S+ breaks its schema ExportFile/,
      );
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('says in its help that traffic goes only to --url, and refuses an unknown check', async () => {
    const help = await longrun(['conform', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Traffic goes ONLY to --url/);
    const unknown = await longrun([
      'conform',
      '--spec',
      spec,
      '--url',
      'http://127.0.0.1:9',
      '--only',
      'no-such-check',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--only\/--skip name no check or async operation: no-such-check/);
  });
});
