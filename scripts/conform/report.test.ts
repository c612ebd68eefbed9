import { describe, expect, it } from 'vitest';
import { type CheckResult, formatResult, formatSummary, renderJunit } from './report.ts';

const results: CheckResult[] = [
  { operation: 'startExport', check: 'accepted', verdict: 'PASS', detail: '202 in 3 ms', ms: 3 },
  {
    operation: 'startExport',
    check: 'outcome',
    verdict: 'FAIL',
    detail: 'the product <x> breaks "ExportFile" & more\u0007',
    ms: 1200,
  },
  { operation: 'countRows', check: 'cancel', verdict: 'SKIP', detail: 'no cancel', ms: 0 },
];

describe('conform report', () => {
  it('prints one line per check and a summary', () => {
    expect(formatResult(results[0] as CheckResult)).toBe('PASS startExport/accepted — 202 in 3 ms');
    expect(formatSummary(results, 2500)).toBe('1 passed, 1 failed, 1 skipped (3 checks in 2.5 s)');
  });

  it('writes JUnit a CI can read, escaping what XML cannot hold', () => {
    const xml = renderJunit(results, 2500);
    expect(xml).toContain(
      '<testsuite name="longrun conform" tests="3" failures="1" skipped="1" errors="0" time="2.500">',
    );
    expect(xml).toContain('<testcase classname="startExport" name="accepted" time="0.003"/>');
    expect(xml).toContain('<failure message="the product &lt;x&gt; breaks &quot;ExportFile&quot; &amp; more">');
    expect(xml).toContain('<skipped message="no cancel"/>');
  });
});
