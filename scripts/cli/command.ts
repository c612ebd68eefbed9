/** One `longrun` subcommand: its name, a one-line summary for `longrun --help`, and its body. */
export interface Command {
  /** What the user types after `longrun`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}
