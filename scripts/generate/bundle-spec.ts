import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OpenApiDocument } from '@longrun/openapi/async-operations';
import { repoRoot } from '../repo-root.ts';
import { runCommand } from '../run-command.ts';

/** Redocly config shared by `pnpm lint:spec` and the bundle step. */
const redoclyConfig = path.join(repoRoot, 'openapi', 'redocly.yaml');

/**
 * Bundles a (possibly multi-file) spec into one document with `redocly bundle`. Local `$ref`s to
 * `#/components/...` are kept, so generated types keep their component names.
 * @param specPath absolute path of the root spec file
 * @see https://redocly.com/docs/cli/commands/bundle
 */
export async function bundleSpec(specPath: string): Promise<OpenApiDocument> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'longrun-bundle-'));
  try {
    const outFile = path.join(workDir, 'bundle.json');
    const result = await runCommand(
      'redocly',
      ['bundle', specPath, '--config', redoclyConfig, '--ext', 'json', '--output', outFile],
      { capture: true, env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    );
    if (result.code !== 0) {
      throw new Error(`redocly bundle failed for ${specPath}:\n${result.stdout}${result.stderr}`);
    }
    return JSON.parse(await readFile(outFile, 'utf8')) as OpenApiDocument;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Serialises the bundle for `openapi/generated/openapi.gen.json`: the notice goes first as `x-generated`
 * (JSON has no comments; `x-` fields are legal at the document root), two-space indent, trailing newline.
 * @see https://spec.openapis.org/oas/v3.1.1.html#specification-extensions
 */
export function renderBundle(document: OpenApiDocument, notice: string): string {
  const { 'x-generated': _previous, ...rest } = document;
  return `${JSON.stringify({ 'x-generated': notice, ...rest }, null, 2)}\n`;
}
