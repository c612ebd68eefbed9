/**
 * Runs the real Prism CLI (`@stoplight/prism-cli`) as a child process: `prism mock` on the spec, or
 * `prism proxy` in front of a server so every request and response is checked against the spec.
 *
 * @see https://docs.stoplight.io/docs/prism/
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { specPath } from '@longrun/openapi';
import { freePort } from './free-port.ts';

/** How to start Prism. */
export interface PrismOptions {
  /** `mock` answers from the spec's examples; `proxy` forwards to `upstream` and validates both ways. */
  mode: 'mock' | 'proxy';
  /** The server a proxy forwards to, e.g. `http://127.0.0.1:3000`. Required for `proxy`. */
  upstream?: string;
  /**
   * `--errors`: a response that breaks the spec is replaced by a 500 problem (type
   * `https://stoplight.io/prism/errors#VIOLATIONS`); a proxy also refuses requests that break it (422).
   * @default true
   */
  errors?: boolean;
  /** Proxy only, `--validate-request`: check requests before forwarding them. @default true */
  validateRequest?: boolean;
  /** Mock only, `--dynamic`: generate bodies from the schemas instead of answering examples. @default false */
  dynamic?: boolean;
  /** The spec Prism reads. @default openapi/openapi.yaml */
  spec?: string;
  /** @default a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Stream Prism's log to this process's output (for `pnpm mock`) instead of keeping it. @default false */
  inheritOutput?: boolean;
  /** How long Prism may take to start listening. @default 30_000 */
  startTimeoutMs?: number;
}

/** A running Prism. */
export interface PrismProcess {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** What Prism logged so far (the last 256 KiB; empty with `inheritOutput`). */
  output(): string;
  /** Stops Prism and waits until it has exited. */
  stop(): Promise<void>;
}

const prismBin = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')),
  'dist',
  'index.js',
);
const readyLine = 'Prism is listening on';
const keptOutputChars = 256 * 1024;

/** The command-line arguments for `options` (exported for `pnpm mock --print`-style use and tests). */
export function prismArguments(options: PrismOptions, port: number): string[] {
  const host = options.host ?? '127.0.0.1';
  const args: string[] = [options.mode, '--port', String(port), '--host', host];
  if (options.errors ?? true) args.push('--errors');
  if (options.mode === 'proxy' && options.validateRequest === false) args.push('--validate-request=false');
  if (options.mode === 'mock' && options.dynamic) args.push('--dynamic');
  args.push(options.spec ?? specPath);
  if (options.mode === 'proxy') {
    if (options.upstream === undefined) throw new TypeError('prism proxy needs an upstream URL');
    args.push(options.upstream);
  }
  return args;
}

/**
 * Starts Prism and resolves once it listens (1–3 s: it parses the whole spec first). Runs the Prism
 * bin with this Node (`process.execPath`), so the pinned Node 24 is used.
 *
 * @throws {Error} with Prism's output when it exits or does not listen within `startTimeoutMs`
 * @example
 * const prism = await startPrism({ mode: 'proxy', upstream: server.url });
 * const res = await fetch(`${prism.url}/healthz`); // validated against the spec
 * await prism.stop();
 */
export async function startPrism(options: PrismOptions): Promise<PrismProcess> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const inherit = options.inheritOutput ?? false;
  const child = spawn(process.execPath, [prismBin, ...prismArguments(options, port)], {
    stdio: ['ignore', inherit ? 'inherit' : 'pipe', inherit ? 'inherit' : 'pipe'],
    // Colour codes would only get in the way of reading the log.
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-keptOutputChars);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const url = `http://${host}:${port}`;

  try {
    await waitUntilListening(child, url, () => output, options.startTimeoutMs ?? 30_000, inherit);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, port, output: () => output, stop: () => stopChild(child) };
}

/** Resolves when Prism logs that it listens (or, with inherited output, when the port answers). */
async function waitUntilListening(
  child: ChildProcess,
  url: string,
  output: () => string,
  timeoutMs: number,
  inherit: boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });
  for (;;) {
    if (exitCode !== undefined) throw new Error(`Prism exited (code ${exitCode}) before listening:\n${output()}`);
    if (!inherit && output().includes(readyLine)) return;
    if (inherit && (await answers(url))) return;
    if (Date.now() > deadline) throw new Error(`Prism did not listen on ${url} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: 'OPTIONS' });
    return true;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
