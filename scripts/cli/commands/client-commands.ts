/**
 * `longrun submit` and `longrun wait`: the client's own command line (send a request and follow its
 * operation, or resume on a monitor URL), run in this process with the real streams.
 */
import { runCliInProcess } from '@longrun/client/cli';
import type { Command } from '../command.ts';

/** `longrun submit <METHOD> <PATH>`: send a request, then wait for its operation. */
export const submitCommand: Command = {
  name: 'submit',
  summary: 'send a request to an API, then wait for its operation (progress on stderr, outcome on stdout)',
  run: (args) => runCliInProcess(['submit', ...args]),
};

/** `longrun wait <monitor-url>`: wait on an accepted operation. */
export const waitCommand: Command = {
  name: 'wait',
  summary: 'wait on an accepted operation by its monitor URL (resume)',
  run: (args) => runCliInProcess(['wait', ...args]),
};
