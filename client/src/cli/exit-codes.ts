/**
 * The `longrun` command's exit codes: a script can tell every way a wait ends apart.
 *
 * | code | meaning |
 * | ---: | --- |
 * | 0 | the operation succeeded |
 * | 1 | the operation failed (its problem is printed) |
 * | 2 | usage error: bad arguments, unreadable or invalid body file |
 * | 3 | the operation was cancelled |
 * | 4 | `--timeout` ran out; the operation goes on (resume with `longrun wait <url>`) |
 * | 5 | the API refused a request or could not be reached |
 * | 130 | interrupted (Ctrl-C); the operation goes on |
 */
export const exitCodes = {
  succeeded: 0,
  failed: 1,
  usage: 2,
  cancelled: 3,
  timedOut: 4,
  apiError: 5,
  interrupted: 130,
} as const;

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
