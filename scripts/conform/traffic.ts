/**
 * Every request `longrun conform` sends goes through here: to the API under test only (a URL on any
 * other origin is refused, never fetched), through a local `prism proxy` that forwards to that API and
 * reports in `sl-violations` where the request or the answer breaks the spec, each bounded by a timeout.
 */
import { type PrismProcess, startPrism } from '../mock/prism-process.ts';

/** One violation Prism reported for an exchange. */
export interface Violation {
  location: string[];
  severity: string;
  message: string;
}

/** An answer, read whole, with what Prism said about it. */
export interface Answer {
  method: string;
  /** The URL on the API under test (not the proxy's). */
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  violations: Violation[];
  ms: number;
}

/** One exchange as kept for the spec check, labelled with the operation whose scenario sent it. */
export interface Exchange {
  operation: string;
  answer: Answer;
  /** The request broke the spec on purpose (the invalid-input check). */
  invalidOnPurpose: boolean;
}

/** Raised for a URL the API handed out that is not on `--url`: conform does not follow it. */
export class OutsideTargetError extends Error {
  override name = 'OutsideTargetError';
}

/** A request to send. */
export interface Outgoing {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Extra time on top of the request timeout (a long poll's wait). */
  extraMs?: number;
  invalidOnPurpose?: boolean;
}

/** Sends requests to one API through its validating proxy. */
export class Traffic {
  readonly exchanges: Exchange[] = [];
  /** The operation the current scenario belongs to (labels its exchanges). */
  operation = '';

  private readonly target: URL;
  private readonly proxy: PrismProcess;
  private readonly key: string | undefined;
  private readonly requestTimeoutMs: number;

  private constructor(target: URL, proxy: PrismProcess, key: string | undefined, requestTimeoutMs: number) {
    this.target = target;
    this.proxy = proxy;
    this.key = key;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  /**
   * Starts `prism proxy` on a free loopback port, forwarding only to `target`.
   * Without `--errors`: the API's own answers reach the checks unchanged, and violations come in
   * `sl-violations`, so one bad header is reported once instead of hiding the rest of the lifecycle.
   */
  static async start(options: {
    spec: string;
    target: string;
    key?: string;
    requestTimeoutMs: number;
  }): Promise<Traffic> {
    const target = new URL(options.target);
    const proxy = await startPrism({
      mode: 'proxy',
      spec: options.spec,
      upstream: target.href.replace(/\/$/, ''),
      errors: false,
    });
    return new Traffic(target, proxy, options.key, options.requestTimeoutMs);
  }

  /** The absolute URL on the API under test for a path or a URL it handed out. */
  resolve(reference: string): URL {
    const base = this.target.href.endsWith('/') ? this.target.href : `${this.target.href}/`;
    const prefix = this.target.pathname.replace(/\/$/, '');
    // A spec path (`/exports`) is under `--url`'s path; an absolute path the API handed out may already be.
    const underBase = prefix === '' || reference === prefix || reference.startsWith(`${prefix}/`);
    const url = reference.startsWith('/')
      ? new URL(underBase ? reference : `${prefix}${reference}`, this.target)
      : new URL(reference, base);
    if (url.origin !== this.target.origin)
      throw new OutsideTargetError(`${reference} is not on ${this.target.origin}; conform only sends traffic to --url`);
    return url;
  }

  /** The path of a URL on the API relative to `--url` (what the spec's paths are written against). */
  specPath(url: URL): string {
    const base = this.target.pathname.replace(/\/$/, '');
    return base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) || '/' : url.pathname;
  }

  /** Sends a request to `reference` (a path or a URL on the API) and reads the whole answer. */
  async send(reference: string, outgoing: Outgoing = {}): Promise<Answer> {
    const url = this.resolve(reference);
    const via = new URL(this.specPath(url) + url.search, this.proxy.url);
    const method = outgoing.method ?? 'GET';
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      ...outgoing.headers,
    };
    if (this.key !== undefined) headers.Authorization = `Bearer ${this.key}`;
    if (outgoing.body !== undefined) headers['Content-Type'] = 'application/json';
    const started = performance.now();
    const response = await fetch(via, {
      method,
      headers,
      ...(outgoing.body !== undefined ? { body: JSON.stringify(outgoing.body) } : {}),
      signal: AbortSignal.timeout(this.requestTimeoutMs + (outgoing.extraMs ?? 0)),
    }).catch((error: unknown) => {
      const reason =
        error instanceof Error && error.name === 'TimeoutError' ? 'no answer within the timeout' : String(error);
      throw new Error(`${method} ${url.pathname}: ${reason}`);
    });
    const text = await response.text();
    const answer: Answer = {
      method,
      url: url.href,
      status: response.status,
      headers: response.headers,
      text,
      json: parseJson(text),
      violations: readViolations(response.headers.get('sl-violations')),
      ms: Math.round(performance.now() - started),
    };
    this.exchanges.push({ operation: this.operation, answer, invalidOnPurpose: outgoing.invalidOnPurpose ?? false });
    return answer;
  }

  /** What Prism logged (to explain a proxy failure). */
  proxyOutput(): string {
    return this.proxy.output();
  }

  async stop(): Promise<void> {
    await this.proxy.stop();
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readViolations(header: string | null): Violation[] {
  if (header === null) return [];
  try {
    const parsed = JSON.parse(header) as unknown;
    return Array.isArray(parsed) ? (parsed as Violation[]) : [];
  } catch {
    return [{ location: ['response'], severity: 'Error', message: header }];
  }
}
