/**
 * A process of the workers suite (an API, a TypeScript worker, a Python worker): spawned with its
 * environment, its JSON log lines collected, signalled like an operator would (SIGKILL, SIGTERM).
 */
import { type LogLine, startLoggedProcess } from '../support/logged-process.ts';

export type { LogLine };

/** A running (or ended) process. */
export interface SuiteProcess {
  readonly name: string;
  readonly logs: readonly LogLine[];
  waitForLog(predicate: (line: LogLine) => boolean): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<void>;
  /** SIGCONT, SIGTERM, then SIGKILL after `graceMs`. */
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
  const { process: started } = await startLoggedProcess(name, command, args, {
    env,
    ready: (line) => line.msg === readyMessage,
  });
  return {
    name,
    logs: started.logs,
    waitForLog: started.waitForLog,
    kill: (signal) => {
      started.child.kill(signal);
    },
    exited: started.exited,
    stop: started.stop,
  };
}
