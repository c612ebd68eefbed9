#!/usr/bin/env node
/**
 * The `longrun` command's process entry: wires {@link runCli} to the real streams, environment,
 * files and Ctrl-C. Node only; the library entry stays free of Node modules.
 */
import { readFile } from 'node:fs/promises';
import { runCli } from './run-cli.ts';

const interrupt = new AbortController();
process.once('SIGINT', () => {
  // The first Ctrl-C stops waiting (the operation goes on); a second one quits at once.
  interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', () => process.exit(130));
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readFile: (path) => (path === '-' ? readStdin() : readFile(path, 'utf8')),
  signal: interrupt.signal,
});

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
