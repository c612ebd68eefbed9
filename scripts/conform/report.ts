/**
 * The outcome of a conform run: one line per check (`PASS|FAIL|SKIP operation/check — detail`), a
 * summary line, and the same results as a JUnit XML file for CI.
 */

/** What a check came to. */
export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

/** One check's result. */
export interface CheckResult {
  operation: string;
  check: string;
  verdict: Verdict;
  detail: string;
  ms: number;
}

/** The line printed for a result. */
export function formatResult(result: CheckResult): string {
  return `${result.verdict} ${result.operation}/${result.check} — ${result.detail}`;
}

/** The summary line: counts and the wall time. */
export function formatSummary(results: readonly CheckResult[], ms: number): string {
  const count = (verdict: Verdict) => results.filter((result) => result.verdict === verdict).length;
  return `${count('PASS')} passed, ${count('FAIL')} failed, ${count('SKIP')} skipped (${results.length} checks in ${(ms / 1000).toFixed(1)} s)`;
}

/** A JUnit XML report: one test case per check, classname the operation. */
export function renderJunit(results: readonly CheckResult[], ms: number, name = 'longrun conform'): string {
  const failures = results.filter((result) => result.verdict === 'FAIL').length;
  const skipped = results.filter((result) => result.verdict === 'SKIP').length;
  const cases = results.map((result) => {
    const open = `    <testcase classname="${xml(result.operation)}" name="${xml(result.check)}" time="${(result.ms / 1000).toFixed(3)}"`;
    if (result.verdict === 'PASS') return `${open}/>`;
    const inner =
      result.verdict === 'FAIL'
        ? `<failure message="${xml(result.detail)}">${xml(formatResult(result))}</failure>`
        : `<skipped message="${xml(result.detail)}"/>`;
    return `${open}>\n      ${inner}\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(name)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${(ms / 1000).toFixed(3)}">`,
    `  <testsuite name="${xml(name)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" errors="0" time="${(ms / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return (
    text
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      // Control characters other than tab and newlines cannot appear in XML 1.0 at all.
      .split('')
      .filter((char) => char >= ' ' || char === '\t' || char === '\n' || char === '\r')
      .join('')
  );
}
