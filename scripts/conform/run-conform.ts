/**
 * `longrun conform`: checks a running API against its spec and the async contract. The scenarios come
 * from the spec alone; every request goes to the API under test only, through a local Prism proxy that
 * checks each request and answer against the spec.
 */
import { writeFile } from 'node:fs/promises';
import { type CheckResult, formatResult, formatSummary, renderJunit, type Verdict } from './report.ts';
import { type CheckName, checkNames, runScenarios } from './scenarios.ts';
import { SchemaCheck } from './schema-check.ts';
import { Spec } from './spec.ts';
import { Traffic } from './traffic.ts';

/** What to check and where. */
export interface ConformOptions {
  /** The spec file (YAML or JSON). */
  spec: string;
  /** The API under test; the only place requests go. */
  url: string;
  /** Sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** Run only these checks: a check (`cancel`), an operation (`createExport`) or both (`createExport/cancel`). */
  only?: string[];
  /** Leave these checks out (same forms as `only`). */
  skip?: string[];
  /** The longest an operation may take to end, and a request to be answered. @default 60 */
  timeoutSeconds?: number;
  /** The longest pause between polls, whatever `Retry-After` asks, so each state is seen. @default 250 */
  pollMs?: number;
  /** Where to write the JUnit XML report. */
  junit?: string;
  /** Receives each line as it is decided. */
  print?: (line: string) => void;
}

/** The results of a run. */
export interface ConformRun {
  results: CheckResult[];
  ms: number;
  /** Whether every check passed or was skipped. */
  ok: boolean;
}

/** Whether `pattern` (`check`, `operation` or `operation/check`) picks this check. */
function picks(pattern: string, operation: string, check: string): boolean {
  const [left, right] = pattern.split('/');
  if (right !== undefined) return (left === '*' || left === operation) && (right === '*' || right === check);
  return pattern === check || pattern === operation;
}

/** Runs every check for every asynchronous operation of the spec against `options.url`. */
export async function runConform(options: ConformOptions): Promise<ConformRun> {
  const started = performance.now();
  const timeoutMs = (options.timeoutSeconds ?? 60) * 1000;
  const print = options.print ?? (() => {});
  const spec = await Spec.load(options.spec);
  const operations = spec.asyncOperations();
  const unknown = [...(options.only ?? []), ...(options.skip ?? [])].filter(
    (pattern) =>
      !operations.some((op) => checkNames.some((check) => picks(pattern, op.name, check))) &&
      !checkNames.some((check) => picks(pattern, '*', check)),
  );
  if (unknown.length > 0) throw new Error(`--only/--skip name no check or async operation: ${unknown.join(', ')}`);
  if (operations.length === 0)
    throw new Error(
      `${options.spec} has no asynchronous operation (x-longrun-async, x-ms-long-running-operation, or a 202 with links)`,
    );

  const results: CheckResult[] = [];
  const traffic = await Traffic.start({
    spec: options.spec,
    target: options.url,
    ...(options.key !== undefined ? { key: options.key } : {}),
    requestTimeoutMs: Math.min(timeoutMs, 30_000),
  });
  try {
    const schemas = new SchemaCheck(spec);
    const created: string[] = [];
    for (const op of operations) {
      const wants = (check: CheckName) =>
        (options.only === undefined ||
          options.only.length === 0 ||
          options.only.some((pattern) => picks(pattern, op.name, check))) &&
        !(options.skip ?? []).some((pattern) => picks(pattern, op.name, check));
      const record = (check: CheckName, verdict: Verdict, detail: string, ms: number) => {
        const result = { operation: op.name, check, verdict, detail, ms };
        results.push(result);
        print(formatResult(result));
      };
      traffic.operation = op.name;
      const opStarted = performance.now();
      try {
        await runScenarios(
          { traffic, spec, schemas, timeoutMs, pollMs: options.pollMs ?? 250, created, wants, record },
          op,
        );
      } catch (error) {
        // A scenario that cannot go on (the API stopped answering) fails the operation, not the run.
        record(
          'accepted',
          'FAIL',
          `the scenarios stopped: ${error instanceof Error ? error.message : String(error)}`,
          performance.now() - opStarted,
        );
      }
      if (wants('responses-match-spec')) {
        const { verdict, detail } = judgeResponses(traffic, op.name);
        record('responses-match-spec', verdict, detail, performance.now() - opStarted);
      }
    }
  } finally {
    await traffic.stop();
  }
  const ms = performance.now() - started;
  print(formatSummary(results, ms));
  if (options.junit !== undefined) await writeFile(options.junit, renderJunit(results, ms));
  return { results, ms, ok: results.every((result) => result.verdict !== 'FAIL') };
}

/** Every exchange of an operation's scenarios, as Prism judged it, and no 5xx. */
function judgeResponses(traffic: Traffic, operation: string): { verdict: Verdict; detail: string } {
  const exchanges = traffic.exchanges.filter((exchange) => exchange.operation === operation);
  const objections: string[] = [];
  for (const { answer, invalidOnPurpose } of exchanges) {
    const where = `${answer.method} ${new URL(answer.url).pathname} → ${answer.status}`;
    for (const violation of answer.violations) {
      if (invalidOnPurpose && violation.location[0] === 'request') continue;
      objections.push(`${where}: ${violation.location.join('.')} ${violation.message}`);
    }
    if (answer.status >= 500) objections.push(`${where}: a server error`);
  }
  if (objections.length === 0)
    return { verdict: 'PASS', detail: `${exchanges.length} exchanges, 0 violations (Prism)` };
  const shown = [...new Set(objections)];
  return {
    verdict: 'FAIL',
    detail: `${shown.length} violation${shown.length === 1 ? '' : 's'} in ${exchanges.length} exchanges: ${shown.slice(0, 3).join(' | ')}${shown.length > 3 ? ' | …' : ''}`,
  };
}
