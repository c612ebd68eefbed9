/**
 * A real longrun server process (`node server/src/main.ts`) for the multi-process tests: spawned
 * with its environment, its JSON log lines collected, signalled like an operator would (SIGKILL,
 * SIGSTOP, SIGCONT, SIGTERM).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LogLine, startLoggedProcess } from './logged-process.ts';

export type { LogLine };

/** The repository root, where `server/src/main.ts` is run from. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A running (or stopped, or killed) server process. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` for an API process. */
  readonly url: string | undefined;
  /** The lease owner name of a process that runs handlers. */
  readonly workerId: string | undefined;
  /** Every log line so far, parsed. */
  readonly logs: readonly LogLine[];
  /** Resolves with the first log line (so far or to come) that matches. */
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  /** Sends a signal to the process. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves once the process has exited. */
  readonly exited: Promise<void>;
  /** The exit code once it has exited by itself or on a signal it handles; `null` before, or when killed. */
  readonly exitCode: number | null;
  /** SIGCONT (in case it is stopped), SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Which server to run, for the tests of the built and packaged server. */
export interface ServerCommand {
  /** The Node binary. @default this process's (the pinned Node 24) */
  node?: string;
  /** The entry script. @default `server/src/main.ts` of this repository */
  entry?: string;
  /** The working directory. @default the repository root */
  cwd?: string;
}

/**
 * Starts `server/src/main.ts` (or the given built entry) with `env` added to this process's environment
 * and resolves once it serves (API, all) or works (worker).
 */
export async function startServerProcess(
  name: string,
  env: Record<string, string>,
  command: ServerCommand = {},
): Promise<ServerProcess> {
  const { process: started, ready } = await startLoggedProcess(
    name,
    command.node ?? process.execPath,
    [command.entry ?? join(REPO_ROOT, 'server', 'src', 'main.ts')],
    {
      cwd: command.cwd ?? REPO_ROOT,
      env: { PORT: '0', HOST: '127.0.0.1', ...env },
      ready: (line) => line.msg === 'longrun is serving' || line.msg === 'longrun is working',
    },
  );
  const { child } = started;
  return {
    name,
    pid: child.pid as number,
    url: typeof ready.url === 'string' ? ready.url : undefined,
    workerId: typeof ready.workerId === 'string' ? ready.workerId : undefined,
    logs: started.logs,
    waitForLog: started.waitForLog,
    signal: (signal) => {
      child.kill(signal);
    },
    exited: started.exited,
    get exitCode() {
      return child.exitCode;
    },
    stop: started.stop,
  };
}
