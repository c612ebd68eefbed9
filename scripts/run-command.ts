import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageBin } from './cli/package-bin.ts';
import { repoRoot } from './repo-root.ts';

/** What a finished child process left behind. */
export interface CommandResult {
  /** Exit code; `1` when the process was killed by a signal. */
  code: number;
  /** Captured standard output; empty when output was streamed to the terminal. */
  stdout: string;
  /** Captured standard error; empty when output was streamed to the terminal. */
  stderr: string;
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  /**
   * Capture stdout/stderr instead of streaming them to this process's terminal.
   * @default false
   */
  capture?: boolean;
  /** Text written to the child's stdin; stdin is closed afterwards. */
  input?: string;
  /**
   * Working directory of the child.
   * @default the repository root
   */
  cwd?: string;
  /** Extra environment variables, merged over `process.env`. */
  env?: Record<string, string>;
}

const binDir = path.join(repoRoot, 'node_modules', '.bin');

/**
 * The package of each tool the `longrun` command runs. Installed from its package, the command has no
 * workspace `.bin` and the user's `node_modules/.bin` holds only their direct dependencies' tools, so
 * these are run through the package's own `bin` with this Node instead.
 */
const toolPackages: Record<string, string> = { redocly: '@redocly/cli', biome: '@biomejs/biome' };

/** The command and arguments to spawn: the workspace `.bin` when it has the tool, else its package. */
function resolveTool(command: string, args: readonly string[]): [string, readonly string[]] {
  const toolPackage = toolPackages[command];
  if (toolPackage === undefined || existsSync(path.join(binDir, command))) return [command, args];
  return [process.execPath, [packageBin(toolPackage, command), ...args]];
}

/**
 * Runs a workspace binary (from `node_modules/.bin`) or any command on PATH and resolves when it exits.
 * The workspace `.bin` comes first on PATH so the pinned Node 24 and tool versions are used even when this
 * script was started outside `pnpm`.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const capture = options.capture ?? false;
  return new Promise((resolve, reject) => {
    const [file, fileArgs] = resolveTool(command, args);
    const child = spawn(file, fileArgs, {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`, ...options.env },
      stdio: [
        options.input === undefined ? 'ignore' : 'pipe',
        capture ? 'pipe' : 'inherit',
        capture ? 'pipe' : 'inherit',
      ],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
