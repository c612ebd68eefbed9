#!/usr/bin/env node
/**
 * The `longrun` command's process entry. Each subcommand lives in its own module under `commands/`;
 * this file only picks one by name and hands it the rest of the arguments.
 */
import { commands, renderUsage } from './commands.ts';

const [name, ...rest] = process.argv.slice(2);

if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
  process.stdout.write(renderUsage());
  process.exitCode = name === undefined ? 2 : 0;
} else {
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`longrun: unknown command '${name}'.\n\n${renderUsage()}`);
    process.exitCode = 2;
  } else {
    process.exitCode = await command.run(rest);
  }
}
