/**
 * `@longrun/client/cli`: the client's command line (`submit`, `wait`), for the `longrun` command and
 * for tests that run it in-process with their own streams. Node only.
 * @packageDocumentation
 */
export { type CliIo, defaultBaseUrl, runCli, usage } from './run-cli.ts';
export { runCliInProcess } from './run-in-process.ts';
