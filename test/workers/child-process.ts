/**
 * A process of the workers suite (an API, a TypeScript worker, a Python worker): spawned with its
 * environment, its JSON log lines collected, signalled like an operator would (SIGKILL, SIGTERM).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** One JSON log line. */
export interface LogLine {
  msg?: string;
  [field: string]: unknown;
}

/** A running (or ended) process. */
export interface SuiteProcess {
  readonly name: string;
  readonly logs: readonly LogLine[];
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` and resolves once it logs a line with `msg === readyMessage`. */
export async function startSuiteProcess(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  readyMessage: string,
): Promise<SuiteProcess> {
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<{ predicate: (line: LogLine) => boolean; resolve: (line: LogLine) => void }>();
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text };
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = once(child, 'exit').then(() => undefined);
  const waitForLog = (predicate: (line: LogLine) => boolean): Promise<LogLine> => {
    const seen = logs.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.add({ predicate, resolve }));
  };
  await Promise.race([
    waitForLog((line) => line.msg === readyMessage),
    exited.then(() => {
      throw new Error(`${name} exited before it was ready (code ${child.exitCode}):\n${stderr}`);
    }),
  ]);
  return {
    name,
    logs,
    waitForLog,
    kill: (signal) => {
      child.kill(signal);
    },
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
