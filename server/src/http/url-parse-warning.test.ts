import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Each case runs in a fresh Node, since the latch is per process.
const run = (code: string) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', cwd: import.meta.dirname });

describe('latchUrlParseWarning', () => {
  it('prints nothing itself, and leaves later url.parse() calls without the warning', () => {
    const result = run(`
      import { parse } from 'node:url';
      import { latchUrlParseWarning } from './url-parse-warning.ts';
      latchUrlParseWarning();
      parse('/monitors/x?a=1');
    `);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toContain('DEP0169');
  });

  it('is needed: without it, the first url.parse() from the application prints DEP0169', () => {
    const result = run(`import { parse } from 'node:url'; parse('/monitors/x?a=1');`);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('DEP0169');
  });

  it('keeps the process-wide deprecation setting as it was', () => {
    const result = run(`
      import { latchUrlParseWarning } from './url-parse-warning.ts';
      latchUrlParseWarning();
      console.log(String(process.noDeprecation));
    `);
    expect(result.stdout.trim()).toBe('undefined');
  });
});
