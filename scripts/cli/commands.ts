/**
 * Every `longrun` subcommand, in the order `longrun --help` lists them. A new command is one module
 * under `commands/` and one line here.
 */
import type { Command } from './command.ts';
import { submitCommand, waitCommand } from './commands/client-commands.ts';
import { conformCommand } from './commands/conform.ts';
import { generateCommand } from './commands/generate.ts';
import { initCommand } from './commands/init.ts';
import { lintCommand } from './commands/lint.ts';
import { mockCommand } from './commands/mock.ts';

/** The subcommands `longrun` knows. */
export const commands: readonly Command[] = [
  initCommand,
  submitCommand,
  waitCommand,
  lintCommand,
  generateCommand,
  mockCommand,
  conformCommand,
];

/** The `longrun --help` text: one line per command. */
export function renderUsage(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Usage: longrun <command> [options]   (longrun <command> --help for its options)\n\nCommands:\n${lines.join('\n')}\n`;
}
