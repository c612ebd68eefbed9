/**
 * `longrun submit` and `longrun wait`: the client's own command line (send a request and follow its
 * operation, or resume on a monitor URL), run in this process with the real streams.
 */
import { readFile } from 'node:fs/promises';
import { runCli } from '@longrun/client/cli';
import type { Command } from '../command.ts';

async function runClientCli(args: string[]): Promise<number> {
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
    // The first Ctrl-C stops waiting (the operation goes on); a second one quits at once.
    interrupt.abort(new Error('interrupted'));
    process.once('SIGINT', () => process.exit(130));
  });
  return runCli(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readFile: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
    signal: interrupt.signal,
  });
}

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** `longrun submit <METHOD> <PATH>`: send a request, then wait for its operation. */
export const submitCommand: Command = {
  name: 'submit',
  summary: 'send a request to an API, then wait for its operation (progress on stderr, outcome on stdout)',
  run: (args) => runClientCli(['submit', ...args]),
};

/** `longrun wait <monitor-url>`: wait on an accepted operation. */
export const waitCommand: Command = {
  name: 'wait',
  summary: 'wait on an accepted operation by its monitor URL (resume)',
  run: (args) => runClientCli(['wait', ...args]),
};
