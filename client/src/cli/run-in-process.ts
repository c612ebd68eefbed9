/**
 * The `longrun` command wired to this process: its streams, environment, files and Ctrl-C. Node
 * only; the library entry stays free of Node modules.
 */
import { readFile } from 'node:fs/promises';
import { runCli } from './run-cli.ts';

/**
 * Runs `longrun <args>` against the real process and resolves to its exit code. The first Ctrl-C
 * stops waiting (the operation goes on); a second one quits at once.
 */
export async function runCliInProcess(args: string[]): Promise<number> {
  const interrupt = new AbortController();
  process.once('SIGINT', () => {
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
