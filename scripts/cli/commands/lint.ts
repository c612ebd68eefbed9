/**
 * `longrun lint [spec]`: checks a spec with the longrun Spectral ruleset shipped in
 * `@longrun/openapi`: Spectral's OpenAPI rules plus the contract's rules for every long-running
 * operation (202 with Location and Retry-After, the monitor, 409 for one-at-a-time, problem+json
 * errors, Idempotency-Key, monitor examples). Fails on errors; warnings are only reported.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { runPackageBin } from '../package-bin.ts';

/** Absolute path of the shipped ruleset. */
export const rulesetPath: string = createRequire(import.meta.url).resolve('@longrun/openapi/ruleset/longrun.yaml');

const usage = `Usage: longrun lint [spec] [--format stylish|json|…] [--ruleset file]

Checks spec (default openapi.yaml) against the longrun contract with Spectral. --ruleset uses a
ruleset of your own instead (extend '@longrun/openapi/ruleset/longrun.yaml' in it to keep the
longrun rules). Exits 1 when an error is found.
`;

/** `longrun lint`. */
export const lintCommand: Command = {
  name: 'lint',
  summary: 'check a spec against the longrun contract (Spectral, with the shipped ruleset)',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f', default: 'stylish' },
        ruleset: { type: 'string', short: 'r' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(usage);
      return 0;
    }
    if (positionals.length > 1) {
      process.stderr.write(`longrun lint: one spec at a time, got ${positionals.length}.\n\n${usage}`);
      return 2;
    }
    const spec = positionals[0] ?? 'openapi.yaml';
    return runPackageBin('@stoplight/spectral-cli', 'spectral', [
      'lint',
      '--ruleset',
      values.ruleset ?? rulesetPath,
      '--fail-severity=error',
      '--format',
      values.format,
      spec,
    ]);
  },
};
