/**
 * The benchmark's report: one JSON document per run, and the Markdown table made from it.
 */
import type { EndToEndResult } from './sections/end-to-end.ts';
import type { HttpRoutesResult } from './sections/http-routes.ts';
import type { IdleMemoryFigures, IdleMemoryResult } from './sections/idle-memory.ts';
import type { LongPollsResult } from './sections/long-polls.ts';
import type { OutsideWorkersResult } from './sections/outside-workers.ts';
import type { ScaleResult } from './sections/scale.ts';
import type { WaitForResult } from './sections/wait-for.ts';
import type { BenchSettings } from './settings.ts';
import type { Summary } from './stats.ts';

/** Everything one run measured, as written to `bench/results/`. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  /** The command that reproduces it. */
  command: string;
  machine: {
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    platform: string;
    /** `/proc/loadavg` (1, 5, 15 min): other work on the machine shows here. */
    loadAverageAtStart: string;
    loadAverageAtEnd: string;
  };
  gitCommit: string;
  settings: BenchSettings;
  http?: HttpRoutesResult;
  e2e?: EndToEndResult;
  idleMemory?: IdleMemoryResult;
  waitFor?: WaitForResult;
  scale?: ScaleResult;
  longPolls?: LongPollsResult;
  outsideWorkers?: OutsideWorkersResult;
  /** Sections that failed, with why. */
  failures?: Record<string, string>;
}

/** `median (min–max)` with a fixed number of decimals. */
export function spread(summary: Summary, decimals = 0, unit = ''): string {
  if (summary.n === 0) return 'n/a';
  const f = (value: number) => value.toFixed(decimals);
  return `${f(summary.median)}${unit} (${f(summary.min)}–${f(summary.max)})`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/** The report as Markdown tables (the one docs/performance.md shows). */
export function renderTables(report: BenchReport): string {
  const out: string[] = [];
  const { rounds, durationSeconds, connections } = report.settings;
  out.push(
    `Medians of ${rounds} interleaved rounds with (min–max); ${connections} connections, ${durationSeconds} s per round; ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}; load average ${report.machine.loadAverageAtStart} at start, ${report.machine.loadAverageAtEnd} at end; commit ${report.gitCommit}.`,
    '',
  );
  if (report.http) {
    out.push('### HTTP routes', '');
    out.push('| route | server | req/s | p50 ms | p99 ms | CPU ms/req | RSS after | longrun ÷ this |');
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [route, servers] of Object.entries(report.http.figures)) {
      for (const [name, figures] of Object.entries(servers)) {
        const ratio =
          name === 'longrun'
            ? '—'
            : spread(report.http.ratios[route as keyof HttpRoutesResult['ratios']][name as 'express' | 'node'], 2, '×');
        out.push(
          `| \`${route}\` | ${label(name)} | ${spread(figures.requestsPerSecond)} | ${spread(figures.p50Ms, 2)} | ${spread(figures.p99Ms, 2)} | ${figures.cpuMsPerRequest.toFixed(3)} | ${mib(figures.rssBytes)} | ${ratio} |`,
        );
      }
    }
    out.push('');
  }
  if (report.e2e) {
    out.push('### End to end: 202 to terminal state, no-op handler', '');
    out.push(
      '| what | operations (jobs)/s | per round | drain after last 202 (add) | PostgreSQL round trips per operation (job) | longrun on PostgreSQL ÷ this |',
    );
    out.push('| --- | --- | --- | --- | --- | --- |');
    for (const row of report.e2e.stores) {
      if (row.skipped) {
        out.push(`| longrun, ${row.store} | not measured: ${row.skipped} | | | | |`);
        continue;
      }
      out.push(
        `| longrun, ${row.store} | ${spread(row.operationsPerSecond)} | ${row.operationsPerRound} | ${spread(row.drainMs, 0, ' ms')} | ${row.roundTripsPerOperation ? spread(row.roundTripsPerOperation, 2) : '—'} | — |`,
      );
    }
    for (const row of report.e2e.anchors ?? []) {
      if (row.skipped) {
        out.push(`| ${row.library} ${row.version} (PostgreSQL) | not measured: ${row.skipped} | | | | |`);
        continue;
      }
      out.push(
        `| ${row.library} ${row.version} (PostgreSQL) | ${spread(row.jobsPerSecond)} | ${row.jobsPerRound} | ${spread(row.drainMs, 0, ' ms')} | ${spread(row.roundTripsPerJob, 2)} | ${spread(row.longrunPostgresRatio, 2, '×')} |`,
      );
    }
    out.push('');
  }
  if (report.outsideWorkers) {
    const w = report.outsideWorkers;
    out.push("### Outside workers: a worker's `succeeded` report → the waiting client (RabbitMQ, SSE `waitFor`)", '');
    out.push('| operations per round | p50 ms | p99 ms | operations/s |');
    out.push('| --- | --- | --- | --- |');
    out.push(
      `| ${w.operationsPerRound} | ${spread(w.latencyP50Ms, 1)} | ${spread(w.latencyP99Ms, 1)} | ${spread(w.operationsPerSecond)} |`,
    );
    out.push('');
  }
  if (report.waitFor) {
    out.push('### Following an operation: completion → the caller knows', '');
    out.push('| client | mode | latency p50 ms | latency p90 ms | requests per operation |');
    out.push('| --- | --- | --- | --- | --- |');
    for (const row of report.waitFor.modes) {
      if (row.skipped) {
        out.push(`| ${row.client} | ${row.mode} | not measured: ${row.skipped} | | |`);
        continue;
      }
      out.push(
        `| ${row.client} | ${row.mode} | ${spread(row.latencyP50Ms, 1)} | ${spread(row.latencyP90Ms, 1)} | ${spread(row.requestsPerOperation, 2)} |`,
      );
    }
    out.push('');
  }
  if (report.scale) {
    out.push('### Scale: `GET /monitors/{id}` by operations stored', '');
    out.push('| stored operations | req/s | p50 ms | p99 ms | server RSS after | database file |');
    out.push('| --- | --- | --- | --- | --- | --- |');
    for (const row of report.scale.stores) {
      out.push(
        `| ${row.stored.toLocaleString('en-US')} | ${spread(row.requestsPerSecond)} | ${spread(row.p50Ms, 2)} | ${spread(row.p99Ms, 2)} | ${mib(row.rssBytes)} | ${mib(row.databaseBytes)} |`,
      );
    }
    out.push(
      '',
      `Large ÷ small, p50 latency round by round: ${spread(report.scale.p50Ratio, 2, '×')}; req/s: ${spread(report.scale.throughputRatio, 2, '×')}.`,
      '',
    );
  }
  if (report.idleMemory) {
    const im = report.idleMemory;
    const m = (s: Summary) =>
      `${(s.median / 2 ** 20).toFixed(0)} MiB (${(s.min / 2 ** 20).toFixed(0)}–${(s.max / 2 ** 20).toFixed(0)})`;
    out.push(
      `### Server memory at rest (SQLite, ${im.operations.toLocaleString('en-US')} operations, ${im.idleSeconds} s idle, ${im.rssIdleBytes.n} rounds)`,
      '',
    );
    out.push('| server | RSS started | RSS idle after the operations | RSS after a full GC | JS heap used, idle |');
    out.push('| --- | --- | --- | --- | --- |');
    const row = (label: string, f: IdleMemoryFigures) =>
      `| ${label} | ${m(f.rssStartedBytes)} | ${m(f.rssIdleBytes)} | ${m(f.rssAfterGcBytes)} | ${m(f.heapUsedBytes)} |`;
    out.push(row('as `pnpm start` runs it (TypeScript sources)', im));
    if (im.deployed) out.push(row('deployed (built JavaScript, `NODE_ENV=production`)', im.deployed));
    out.push('');
    if (im.deployedSkipped) out.push(`The deployed server was not measured: ${im.deployedSkipped}`, '');
  }
  if (report.longPolls) {
    const lp = report.longPolls;
    out.push(`### Waiting clients: concurrent long polls (\`Prefer: wait=60\`, ${lp.rssPerClientKiB.n} rounds)`, '');
    out.push('| long polls held | RSS before | RSS while held | RSS per waiting client | JS heap per waiting client |');
    out.push('| --- | --- | --- | --- | --- |');
    out.push(
      `| ${lp.held.toLocaleString('en-US')} | ${mib(lp.rssBeforeBytes)} | ${mib(lp.rssHeldBytes)} | ${spread(lp.rssPerClientKiB, 1, ' KiB')} | ${spread(lp.heapPerClientKiB, 1, ' KiB')} |`,
    );
    out.push('');
  }
  for (const [section, reason] of Object.entries(report.failures ?? {}))
    out.push(`**${section} failed:** ${reason}`, '');
  return out.join('\n');
}

function label(name: string): string {
  return { longrun: 'longrun (validated, SQLite)', express: 'plain Express 5', node: 'bare node:http' }[name] ?? name;
}
