/**
 * `pnpm bench`: longrun's performance figures, measured honestly — servers under test in their
 * own processes, the load generator (autocannon) in another, loopback only, every load bounded in
 * time or count, a warm-up first, several interleaved rounds, medians with their spread. Prints the
 * tables and writes the whole report as JSON to `bench/results/<time>.json` (and `latest.json`).
 *
 *   pnpm bench                 every section (about ten minutes)
 *   pnpm bench --quick         a smoke run of the harness (figures not for publishing)
 *   pnpm bench --only=http,e2e --rounds=7 --duration=10
 *
 * Sections: http (route throughput and latency vs plain Express and node:http), e2e (202 → terminal
 * on SQLite and PostgreSQL), idle (the server's RSS at rest after 1,000 operations), waitfor (completion → resolution per client mode), scale (1k vs 1M
 * stored operations), longpoll (memory per waiting client), workers (an outside worker's `succeeded`
 * report → the waiting client, through RabbitMQ). Not part of `pnpm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { type BenchReport, renderTables } from './bench/report.ts';
import { benchEndToEnd } from './bench/sections/end-to-end.ts';
import { benchHttpRoutes } from './bench/sections/http-routes.ts';
import { benchIdleMemory } from './bench/sections/idle-memory.ts';
import { benchLongPolls } from './bench/sections/long-polls.ts';
import { benchOutsideWorkers } from './bench/sections/outside-workers.ts';
import { benchScale } from './bench/sections/scale.ts';
import { benchWaitFor } from './bench/sections/wait-for.ts';
import { parseSettings, type SectionName } from './bench/settings.ts';
import { repoRoot } from './repo-root.ts';

const settings = parseSettings(process.argv.slice(2));
const started = new Date();
const log = (line: string) =>
  console.log(`${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(4)}s ${line}`);
const loadAverage = async () => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');

const report: BenchReport = {
  startedAt: started.toISOString(),
  finishedAt: '',
  command: ['pnpm bench', ...process.argv.slice(2)].join(' '),
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: await loadAverage(),
    loadAverageAtEnd: '',
  },
  gitCommit: gitCommit(),
  settings,
};

for (const section of settings.sections) {
  log(`— ${section}`);
  try {
    await runSection(section);
  } catch (error) {
    // One failed section must not lose the others' figures.
    log(`  ${section} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    report.failures = { ...report.failures, [section]: error instanceof Error ? error.message : String(error) };
    process.exitCode = 1;
  }
}
report.finishedAt = new Date().toISOString();
report.machine.loadAverageAtEnd = await loadAverage();

const tables = renderTables(report);
console.log(`\n${tables}`);
const dir = join(repoRoot, 'bench', 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
const json = `${JSON.stringify(report, null, 2)}\n`;
await writeFile(file, json);
await writeFile(join(dir, 'latest.json'), json);
console.log(`\nwrote ${file} (and latest.json)`);

async function runSection(section: SectionName): Promise<void> {
  switch (section) {
    case 'http':
      report.http = await benchHttpRoutes(settings, log);
      break;
    case 'e2e':
      report.e2e = await benchEndToEnd(settings, log);
      break;
    case 'idle':
      report.idleMemory = await benchIdleMemory(settings, log);
      break;
    case 'waitfor':
      report.waitFor = await benchWaitFor(settings, log);
      break;
    case 'scale':
      report.scale = await benchScale(settings, log);
      break;
    case 'longpoll':
      report.longPolls = await benchLongPolls(settings, log);
      break;
    case 'workers':
      report.outsideWorkers = await benchOutsideWorkers(settings, log);
      break;
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown';
  }
}
