import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `pnpm lint:spec` only protects the API if both rulesets really load: a Spectral ruleset that fails to
// resolve an `extends` entry, or one that silently lost it, would let every violation through.
const ruleset = fileURLToPath(new URL('./.spectral.yaml', import.meta.url));
const spectral = fileURLToPath(new URL('../node_modules/.bin/spectral', import.meta.url));

/** A valid OpenAPI 3.1 document with two known violations: no `info.contact`, and a plain-HTTP server. */
const violatingSpec = `openapi: 3.1.0
info:
  title: ruleset canary
  version: 1.0.0
  description: Exists only to prove the lint rules fire.
servers:
  - url: http://api.example.com
    x-internal: false
paths: {}
`;

interface SpectralResult {
  code: string;
  severity: number;
}

describe('openapi/.spectral.yaml', () => {
  let dir: string;
  let results: SpectralResult[];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spectral-ruleset-'));
    const specFile = path.join(dir, 'openapi.yaml');
    await writeFile(specFile, violatingSpec);
    // Exit code 1 is expected (the canary has errors); the JSON report on stdout is what matters.
    const run = spawnSync(spectral, ['lint', '--ruleset', ruleset, '--format', 'json', '--quiet', specFile], {
      encoding: 'utf8',
    });
    results = JSON.parse(run.stdout) as SpectralResult[];
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('applies the spectral:oas ruleset', () => {
    expect(results.map((result) => result.code)).toContain('info-contact');
  });

  it('applies the OWASP API security ruleset, with plain-HTTP servers as errors', () => {
    // Spectral severities: 0 error, 1 warning.
    expect(results).toContainEqual(expect.objectContaining({ code: 'owasp:api8:2023-no-server-http', severity: 0 }));
  });
});
