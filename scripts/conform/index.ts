/** `longrun conform`: contract tests of a running async API against its spec. */

export type { CheckResult, Verdict } from './report.ts';
export { formatResult, formatSummary, renderJunit } from './report.ts';
export type { ConformOptions, ConformRun } from './run-conform.ts';
export { runConform } from './run-conform.ts';
export type { CheckName } from './scenarios.ts';
export { checkNames } from './scenarios.ts';
