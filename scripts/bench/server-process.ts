/**
 * Servers under test run as child processes of the benchmark, so the RSS and CPU time read here
 * are theirs alone (from /proc), never the load generator's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ServerCommand, ServerStats } from './servers/longrun.ts';
import type { ReadyMessage } from './servers/report-ready.ts';

/** The servers the benchmark knows, by entry module. */
export const SERVER_ENTRIES = {
  longrun: fileURLToPath(new URL('./servers/longrun.ts', import.meta.url)),
  express: fileURLToPath(new URL('./servers/plain-express.ts', import.meta.url)),
  node: fileURLToPath(new URL('./servers/bare-node.ts', import.meta.url)),
} as const;

/** Which server to start, and how. */
export interface ServerSpec {
  /** Label in tables. */
  name: string;
  entry: keyof typeof SERVER_ENTRIES;
  /** Added to a minimal environment (PATH, HOME, LOG_LEVEL=warn). */
  env?: Record<string, string>;
  /** Node flags, e.g. `--expose-gc` or `--cpu-prof`. */
  nodeArgs?: string[];
  /**
   * The module to run instead of `entry`'s: the same server script made JavaScript elsewhere (the
   * deployed server of `deployed-server.ts`); it answers the same IPC commands as `entry`'s.
   */
  entryPath?: string;
}

/** A running server child. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Resident set size in bytes, from /proc/<pid>/status. */
  rss(): Promise<number>;
  /** User + system CPU time in milliseconds, from /proc/<pid>/stat. */
  cpuMs(): Promise<number>;
  /** Asks a longrun child for its counters. */
  stats(): Promise<ServerStats>;
  /** Zeroes a longrun child's counters. */
  resetStats(): Promise<void>;
  /** Runs a full GC in the child (needs `--expose-gc`). */
  gc(): Promise<void>;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Starts a server child and resolves once it listens on loopback. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), spec.entryPath ?? SERVER_ENTRIES[spec.entry]], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      ...spec.env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await waitForReady(child, spec.name);
  const pid = child.pid as number;
  let replies = Promise.resolve<unknown>(undefined);
  // One IPC question at a time: the answers carry no ids.
  const ask = <T>(command: ServerCommand, answer: string): Promise<T> => {
    const next = replies.then(async () => {
      child.send(command);
      for (;;) {
        const [message] = (await once(child, 'message')) as [{ type: string }];
        if (message.type === answer) return message as T;
      }
    });
    replies = next.catch(() => undefined);
    return next;
  };
  return {
    name: spec.name,
    pid,
    url: `http://127.0.0.1:${port}`,
    async rss() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
      return Number(kb) * 1024;
    },
    async cpuMs() {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    },
    stats: () => ask<ServerStats>({ type: 'stats' }, 'stats'),
    resetStats: async () => {
      await ask({ type: 'reset' }, 'reset');
    },
    gc: async () => {
      await ask({ type: 'gc' }, 'gc');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // Disconnecting lets a longrun child close its store cleanly; SIGTERM is the backstop.
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGTERM'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForReady(child: ChildProcess, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
    child.on('message', function onMessage(message: ReadyMessage) {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.port);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening (code ${code}, signal ${signal})`));
    });
  });
}
