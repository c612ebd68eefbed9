/**
 * The `longrun` command: submit an operation and wait for it, or wait on a monitor URL.
 * Everything it touches (streams, environment, files, fetch, time) comes in through {@link CliIo},
 * so tests run it in-process.
 */
import { parseArgs } from 'node:util';
import { createClient, type FetchFunction, type LongrunClient } from '../create-client.ts';
import {
  apiErrorFrom,
  LongrunError,
  OperationCancelledError,
  OperationFailedError,
  WaitTimeoutError,
} from '../errors.ts';
import { readJson } from '../read-json.ts';
import type { AcceptedResponse, AnyMonitor } from '../types.ts';
import { type WaitMode, type WaitOptions, waitFor } from '../wait-for.ts';
import { type ExitCode, exitCodes } from './exit-codes.ts';
import { createProgressView, type ProgressOutput } from './progress-view.ts';

/** The world the command runs in. */
export interface CliIo {
  stdout: { write(text: string): void };
  stderr: ProgressOutput;
  env: Record<string, string | undefined>;
  /** Reads a file (`-` is standard input). */
  readFile(path: string): Promise<string>;
  /** @default globalThis.fetch */
  fetch?: FetchFunction;
  /** Aborts the wait (Ctrl-C). */
  signal?: AbortSignal;
  /** Extra wait options (tests inject the clock and delay). */
  waitOptions?: Pick<WaitOptions, 'delay' | 'clock' | 'random' | 'minDelayMs'>;
}

/** The default API root when neither `--base-url` nor `LONGRUN_BASE_URL` says otherwise. */
export const defaultBaseUrl = 'http://localhost:3000';

/** The `longrun --help` text: commands, options and exit codes. */
export const usage = `Usage:
  longrun submit <METHOD> <PATH> [--body <file|->] [options]   send a request, then wait for its operation
  longrun wait <monitor-url> [options]                         wait on an accepted operation (resume)

Options:
  --base-url <url>          API root (env LONGRUN_BASE_URL; for \`wait\`, the URL's origin; default ${defaultBaseUrl})
  --api-key <key>           API key (env LONGRUN_API_KEY, preferred: arguments show in process lists)
  --body <file>             JSON request body for \`submit\`; \`-\` reads standard input
  --idempotency-key <key>   Idempotency-Key for \`submit\`, so running it again does not start a second operation
  --timeout <seconds>       stop waiting after this long (the operation goes on)
  --mode <auto|sse|long-poll|poll>  how to wait (default auto: the event stream, else the long poll, else polls)
  --json                    print one JSON document on stdout: {"status", "outcome" | "problem", "monitor", "monitorUrl"}
  -h, --help                show this help

Progress goes to stderr: a live bar with the current step and ETA on a terminal, one line per change otherwise.
The outcome (the created resource or the inline result) goes to stdout as JSON.

Exit codes: 0 succeeded, 1 failed, 2 usage error, 3 cancelled, 4 timed out, 5 API error or unreachable, 130 interrupted.
`;

const modes: readonly WaitMode[] = ['auto', 'sse', 'long-poll', 'poll'];

class UsageError extends Error {}

/** What the command prints as its result with `--json`. */
type JsonResult = {
  status: 'succeeded' | 'failed' | 'cancelled' | 'timed-out' | 'interrupted' | 'error';
  monitorUrl?: string | undefined;
  outcome?: unknown;
  problem?: unknown;
  monitor?: AnyMonitor | undefined;
  message?: string;
};

/**
 * Runs the command and resolves to its exit code (see {@link exitCodes}); never throws.
 * @example process.exitCode = await runCli(process.argv.slice(2), io);
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    io.stderr.write(`longrun: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return exitCodes.usage;
  }
  if (args.help) {
    io.stdout.write(usage);
    return exitCodes.succeeded;
  }

  const apiKey = args.apiKey ?? io.env.LONGRUN_API_KEY;
  const progress = createProgressView(io.stderr, io.waitOptions?.clock);
  let monitorUrl: string | undefined;
  let lastMonitor: AnyMonitor | undefined;
  const report = (result: JsonResult, human: string, code: ExitCode): ExitCode => {
    progress.finish();
    if (args.json) io.stdout.write(`${JSON.stringify({ ...result, monitorUrl: result.monitorUrl ?? monitorUrl })}\n`);
    else io.stderr.write(human);
    return code;
  };

  try {
    const { client, target } = await prepare(args, io, apiKey);
    const options: WaitOptions = {
      ...io.waitOptions,
      mode: args.mode,
      ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
      ...(io.signal ? { signal: io.signal } : {}),
      onProgress: (monitor) => {
        lastMonitor = monitor;
        monitorUrl = new URL(monitor.links.self.href, `${client.baseUrl}/`).href;
        progress.update(monitor);
      },
    };
    let outcome: unknown;
    if (typeof target === 'string') {
      monitorUrl = target;
      outcome = await waitFor(client, target, options);
    } else {
      // The body is whatever the server answered: the wait checks at run time that it is a monitor.
      outcome = await waitFor(client, target as AcceptedResponse & { data: AnyMonitor }, options);
    }
    progress.finish();
    if (args.json) io.stdout.write(`${JSON.stringify({ status: 'succeeded', outcome, monitorUrl })}\n`);
    else {
      io.stderr.write('✔ succeeded\n');
      if (outcome !== undefined) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    }
    return exitCodes.succeeded;
  } catch (error) {
    if (error instanceof UsageError) {
      progress.finish();
      io.stderr.write(`longrun: ${error.message}\n\n${usage}`);
      return exitCodes.usage;
    }
    if (error instanceof OperationFailedError) {
      const { problem } = error;
      const why = problem ? `${problem.title}${problem.detail ? `: ${problem.detail}` : ''}` : 'no problem given';
      return report({ status: 'failed', problem, monitor: error.monitor }, `✖ failed: ${why}\n`, exitCodes.failed);
    }
    if (error instanceof OperationCancelledError) {
      return report({ status: 'cancelled', monitor: error.monitor }, '✖ cancelled\n', exitCodes.cancelled);
    }
    if (error instanceof WaitTimeoutError) {
      const url = error.monitorUrl ?? monitorUrl;
      return report(
        { status: 'timed-out', monitor: error.monitor, monitorUrl: url },
        `✖ ${error.message} It goes on; resume with: longrun wait ${url}\n`,
        exitCodes.timedOut,
      );
    }
    if (io.signal?.aborted) {
      return report(
        { status: 'interrupted', monitor: lastMonitor },
        `\nStopped waiting; the operation goes on.${monitorUrl ? ` Resume with: longrun wait ${monitorUrl}` : ''}\n`,
        exitCodes.interrupted,
      );
    }
    const message = error instanceof Error ? error.message : String(error);
    const problem = error instanceof LongrunError ? error.problem : undefined;
    return report({ status: 'error', problem, message }, `✖ ${message}\n${invalidParts(problem)}`, exitCodes.apiError);
  }
}

/** The `errors` of a validation problem (RFC 9457 extension), one `  /body/x: message` line each. */
function invalidParts(problem: unknown): string {
  const errors = (problem as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return '';
  return errors
    .filter((item): item is { pointer: string; message: string } => typeof item?.pointer === 'string')
    .map((item) => `  ${item.pointer}: ${item.message}\n`)
    .join('');
}

/** Parsed command line. */
function parseCommandLine(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'base-url': { type: 'string' },
      'api-key': { type: 'string' },
      body: { type: 'string' },
      'idempotency-key': { type: 'string' },
      timeout: { type: 'string' },
      mode: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const mode = values.mode as WaitMode;
  if (!modes.includes(mode)) throw new UsageError(`--mode must be one of ${modes.join(', ')}`);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError('--timeout must be a positive number of seconds');
    timeoutMs = seconds * 1000;
  }
  const [command, ...rest] = positionals;
  const common = {
    help: values.help,
    json: values.json,
    mode,
    timeoutMs,
    baseUrl: values['base-url'],
    apiKey: values['api-key'],
  };
  if (values.help) return { ...common, command: 'help' as const };
  if (command === 'submit') {
    const [method, path, ...extra] = rest;
    if (method === undefined || path === undefined || extra.length > 0) {
      throw new UsageError('submit needs a method and a path, e.g. `longrun submit POST /cars --body car.json`');
    }
    return {
      ...common,
      command: 'submit' as const,
      method: method.toUpperCase(),
      path,
      body: values.body,
      idempotencyKey: values['idempotency-key'],
    };
  }
  if (command === 'wait') {
    const [url, ...extra] = rest;
    if (url === undefined || extra.length > 0) throw new UsageError('wait needs one monitor URL');
    return { ...common, command: 'wait' as const, url };
  }
  throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
}

/** The client and what to wait on: for `submit`, the answer to the request it sends. */
async function prepare(
  args: ReturnType<typeof parseCommandLine>,
  io: CliIo,
  apiKey: string | undefined,
): Promise<{ client: LongrunClient; target: AcceptedResponse | string }> {
  const clientFor = (baseUrl: string) =>
    createClient({
      baseUrl,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });

  if (args.command === 'wait') {
    const absolute = URL.canParse(args.url) ? new URL(args.url).origin : undefined;
    const client = clientFor(validBaseUrl(args.baseUrl ?? absolute ?? io.env.LONGRUN_BASE_URL ?? defaultBaseUrl));
    return { client, target: new URL(args.url, `${client.baseUrl}/`).href };
  }
  if (args.command !== 'submit') throw new UsageError('no command given');

  const client = clientFor(validBaseUrl(args.baseUrl ?? io.env.LONGRUN_BASE_URL ?? defaultBaseUrl));
  let body: string | undefined;
  if (args.body !== undefined) {
    let text: string;
    try {
      text = await io.readFile(args.body);
    } catch (error) {
      throw new UsageError(`cannot read ${args.body}: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      body = JSON.stringify(JSON.parse(text));
    } catch {
      throw new UsageError(`${args.body === '-' ? 'standard input' : args.body} is not valid JSON`);
    }
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (args.idempotencyKey !== undefined) headers['Idempotency-Key'] = args.idempotencyKey;
  let response: Response;
  try {
    response = await client.fetchLink(args.path, {
      method: args.method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(io.signal ? { signal: io.signal } : {}),
    });
  } catch (error) {
    if (io.signal?.aborted) throw error;
    throw apiErrorFrom(undefined, undefined, `${args.method} ${args.path} failed`, error, client.baseUrl + args.path);
  }
  const data = await readJson(response);
  if (!response.ok) throw apiErrorFrom(response, data, `${args.method} ${args.path} was refused`);
  return { client, target: { data, response } };
}

function validBaseUrl(baseUrl: string): string {
  if (!URL.canParse(baseUrl)) throw new UsageError(`the base URL must be absolute, got "${baseUrl}"`);
  return baseUrl;
}
