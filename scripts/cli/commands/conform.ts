/**
 * `longrun conform --spec api.yaml --url http://127.0.0.1:8080`: checks a running API against its spec
 * and the async contract, one line per check, a JUnit file for CI, exit code 1 on any failure.
 */
import { parseArgs } from 'node:util';
import { checkNames, runConform } from '../../conform/index.ts';
import type { Command } from '../command.ts';

const help = `Usage: longrun conform --spec <file> --url <base URL> [options]

Checks a running API against its OpenAPI spec and the async contract. Scenarios come from the spec:
every operation marked x-longrun-async, x-ms-long-running-operation, or answering 202 with links is
sent its request example and followed to its end.

Traffic goes ONLY to --url: requests pass through a Prism proxy started on 127.0.0.1 that forwards
to --url and nowhere else, and a Location or link pointing at another origin is reported, never
followed. The checks create real operations on that API (use a test deployment).

Options:
  --spec <file>      the OpenAPI spec (YAML or JSON)
  --url <url>        the API under test, e.g. http://127.0.0.1:8080
  --key <key>        sent as "Authorization: Bearer <key>" (default: $LONGRUN_API_KEY)
  --only <names>     run only these checks (comma-separated, repeatable): a check, an operationId,
                     or operationId/check
  --skip <names>     leave these checks out (same forms)
  --junit <file>     also write the results as JUnit XML
  --timeout <s>      the longest an operation may take to end (default 60)
  --poll-ms <ms>     the longest pause between polls, whatever Retry-After asks (default 250)
  -h, --help         this text

Checks: ${checkNames.join(', ')}

Exit code: 0 when no check failed, 1 when one did, 2 for a usage error.
`;

/** `longrun conform`. */
export const conformCommand: Command = {
  name: 'conform',
  summary: 'check a running API against its spec and the async contract (JUnit for CI; traffic only to --url)',
  async run(args) {
    let values: ReturnType<typeof parse>['values'];
    try {
      values = parse(args).values;
    } catch (error) {
      process.stderr.write(`longrun conform: ${error instanceof Error ? error.message : String(error)}\n\n${help}`);
      return 2;
    }
    if (values.help) {
      process.stdout.write(help);
      return 0;
    }
    const timeout = Number(values.timeout ?? 60);
    const pollMs = Number(values['poll-ms'] ?? 250);
    if (!values.spec || !values.url || !(timeout > 0) || !(pollMs > 0)) {
      process.stderr.write(
        `longrun conform: --spec and --url are required; --timeout and --poll-ms are positive numbers\n\n${help}`,
      );
      return 2;
    }
    const list = (items: string[] | undefined) =>
      items
        ?.flatMap((item) => item.split(','))
        .map((item) => item.trim())
        .filter(Boolean);
    const key = values.key ?? process.env.LONGRUN_API_KEY;
    const only = list(values.only);
    const skip = list(values.skip);
    try {
      const run = await runConform({
        spec: values.spec,
        url: values.url,
        timeoutSeconds: timeout,
        pollMs,
        ...(key !== undefined ? { key } : {}),
        ...(only !== undefined ? { only } : {}),
        ...(skip !== undefined ? { skip } : {}),
        ...(values.junit !== undefined ? { junit: values.junit } : {}),
        print: (line) => process.stdout.write(`${line}\n`),
      });
      return run.ok ? 0 : 1;
    } catch (error) {
      process.stderr.write(`longrun conform: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  },
};

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    options: {
      spec: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      only: { type: 'string', multiple: true },
      skip: { type: 'string', multiple: true },
      junit: { type: 'string' },
      timeout: { type: 'string' },
      'poll-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
