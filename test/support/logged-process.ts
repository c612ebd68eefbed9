/**
 * A child process whose JSON log lines (pino's, one per line) are collected as they come, so a test
 * can wait for "serving" or for a line about one operation; stopped like an operator would
 * (SIGCONT in case it is stopped, SIGTERM, then SIGKILL after a grace period).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** One JSON log line; a line that is not JSON is kept as `{ level: 30, msg }`. */
export interface LogLine {
  level?: number;
  /** Epoch milliseconds. */
  time?: number;
  msg?: string;
  operationId?: string;
  workerId?: string;
  attempt?: number;
  state?: string;
  url?: string;
  [field: string]: unknown;
}

/** A spawned process and its log so far. */
export interface LoggedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Every log line so far, parsed. */
  readonly logs: readonly LogLine[];
  /** Resolves with the first log line (so far or to come) that matches. */
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
  /** SIGCONT (in case it is stopped), SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** How to start a {@link LoggedProcess}. */
export interface LoggedProcessOptions {
  /** Added to this process's environment. */
  env: Record<string, string>;
  cwd?: string;
  /** The log line that says the process is ready. */
  ready: (line: LogLine) => boolean;
}

/**
 * Starts `command` and resolves, with the ready line, once it logs one `options.ready` accepts;
 * rejects with its standard error when it exits first.
 */
export async function startLoggedProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: LoggedProcessOptions,
): Promise<{ process: LoggedProcess; ready: LogLine }> {
  const child = spawn(command, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, ...options.env },
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
      line = { level: 30, msg: text };
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
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.add({ predicate, resolve }));
  };
  const ready = await Promise.race([
    waitForLog(options.ready),
    exited.then(() => {
      throw new Error(`${name} exited before it was ready (code ${child.exitCode}):\n${stderr}`);
    }),
  ]);
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { process: { name, child, logs, waitForLog, exited, stop }, ready };
}
