/**
 * The three things the contract suite runs against, each reached through Prism so that every request
 * and every answer is checked against the spec:
 *
 * - `server`: the real server (`startTestServer`) behind `prism proxy --errors`;
 * - `stateful-mock`: the stateful mock behind `prism proxy --errors`;
 * - `prism-mock`: `prism mock --errors` itself, steered with Prism directives in `Prefer`.
 *
 * Every exchange goes through {@link ContractTarget.fetch}, which records what Prism reported: the
 * `sl-violations` header (Prism 5.16 sets it on any request or response violation, warnings included),
 * a `500` problem of type `…#VIOLATIONS` (what `--errors` answers instead of a response that breaks the
 * spec), and any other answer Prism made up itself (`https://stoplight.io/prism/errors#…`).
 */
import { loadBundledSpec } from '@longrun/openapi';
import { mergePreferences } from '@longrun/openapi/contract';
import { startTestServer, TEST_TENANTS } from '@longrun/server/testing';
import { type PrismProcess, startPrism } from '../../scripts/mock/prism-process.ts';
import { SpecIndex } from '../../scripts/mock/spec-index.ts';
import { startStatefulMock } from '../../scripts/mock/stateful-mock.ts';

/** Which implementation of the contract a target is. */
export type TargetName = 'server' | 'stateful-mock' | 'prism-mock';

/** Prism directives (`code=201, example=succeeded`) to add to requests, by operationId. */
export type Directives = Partial<Record<string, string>>;

/** One violation Prism reported, as found in `sl-violations` or a `VIOLATIONS` problem. */
export interface PrismViolation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

/** One request that went through a target, with what Prism said about it. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  violations: PrismViolation[];
  /** The `type` of a problem Prism answered itself, if it did. */
  prismProblem: string | undefined;
}

/** What a scenario allows Prism to report (everything else fails it). */
export interface Allowances {
  /** The scenario sends requests that break the spec on purpose. */
  requestViolations?: boolean;
  /** The scenario expects Prism itself to answer (e.g. its 401 for a request without a key). */
  prismAnswers?: boolean;
}

/** A running target. */
export interface ContractTarget {
  readonly name: TargetName;
  /** The URL clients use: always a Prism. */
  readonly url: string;
  /** An API key of tenant `acme`, and of another tenant. */
  readonly apiKey: string;
  readonly otherApiKey: string;
  /** A `fetch` that records each exchange and adds this scenario's directives (prism-mock only). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Every exchange since the last {@link reset}. */
  readonly exchanges: Exchange[];
  /** Sets the directives for the prism-mock target (ignored by the others: they need none). */
  direct(directives: Directives): void;
  /** Lets the current scenario break the spec on purpose. */
  allow(allowances: Allowances): void;
  /** The exchanges Prism objected to, given the allowances; `[]` is a clean run. */
  objections(): Exchange[];
  /** Clears exchanges, directives and allowances (between scenarios). */
  reset(): void;
  /** What Prism logged (for diagnosing a failure). */
  prismOutput(): string;
  stop(): Promise<void>;
}

const prismErrorType = 'https://stoplight.io/prism/errors#';

/**
 * Starts a target. The stateful mock's operations take `statefulDurationMs` (default 2 s: long enough
 * that a scenario can still cancel one while Prism compiles its validators on first use).
 * @example const target = await startTarget('server'); … await target.stop();
 */
export async function startTarget(
  name: TargetName,
  options: { statefulDurationMs?: number } = {},
): Promise<ContractTarget> {
  const spec = new SpecIndex(await loadBundledSpec());
  let prism: PrismProcess;
  let stopUpstream: () => Promise<void> = async () => {};
  let apiKey = 'mock-key-acme';
  let otherApiKey = 'mock-key-globex';
  if (name === 'server') {
    const server = await startTestServer();
    stopUpstream = server.stop;
    apiKey = TEST_TENANTS.acme;
    otherApiKey = TEST_TENANTS.globex;
    prism = await startPrism({ mode: 'proxy', upstream: server.url }).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
  } else if (name === 'stateful-mock') {
    const mock = await startStatefulMock({ durationMs: options.statefulDurationMs ?? 2000 });
    stopUpstream = mock.close;
    prism = await startPrism({ mode: 'proxy', upstream: mock.url }).catch(async (error: unknown) => {
      await mock.close();
      throw error;
    });
  } else {
    prism = await startPrism({ mode: 'mock' });
  }

  const exchanges: Exchange[] = [];
  let directives: Directives = {};
  let allowances: Allowances = {};

  async function recordingFetch(request: Request): Promise<Response> {
    let outgoing = request;
    if (name === 'prism-mock') {
      const match = spec.match(request.method, new URL(request.url).pathname);
      const directive = typeof match === 'object' ? directives[match.operation.operationId] : undefined;
      if (directive !== undefined) {
        const headers = new Headers(request.headers);
        headers.set('Prefer', mergePreferences(request.headers.get('Prefer'), directive) ?? directive);
        // Prism ignores `code=4xx` when `Accept` rules out the error's problem+json (it falls back to a 2xx).
        const accept = headers.get('Accept');
        if (accept !== null && !/problem\+json|\*\/\*/.test(accept))
          headers.set('Accept', `${accept}, application/problem+json`);
        outgoing = new Request(request, { headers });
      }
    }
    const response = await fetch(outgoing);
    exchanges.push(await inspect(outgoing, response));
    return response;
  }

  return {
    name,
    url: prism.url,
    apiKey,
    otherApiKey,
    fetch: recordingFetch,
    exchanges,
    direct(next) {
      directives = next;
    },
    allow(next) {
      allowances = { ...allowances, ...next };
    },
    objections() {
      return exchanges.filter(
        (exchange) =>
          exchange.violations.some(
            (violation) => violation.location[0] !== 'request' || !allowances.requestViolations,
          ) ||
          (exchange.prismProblem !== undefined && !allowances.prismAnswers),
      );
    },
    reset() {
      exchanges.length = 0;
      directives = {};
      allowances = {};
    },
    prismOutput: prism.output,
    async stop() {
      await prism.stop();
      await stopUpstream();
    },
  };
}

/** What Prism reported about one exchange (reads a clone of the body only for Prism's own problems). */
export async function inspect(request: Request, response: Response): Promise<Exchange> {
  const violations: PrismViolation[] = [];
  const header = response.headers.get('sl-violations');
  if (header !== null) {
    // Prism cuts a long list as `Too many violations! [...` (then it is not JSON).
    try {
      violations.push(...(JSON.parse(header) as PrismViolation[]));
    } catch {
      violations.push({ location: ['response'], severity: 'Error', message: header });
    }
  }
  let prismProblem: string | undefined;
  if (/problem\+json/.test(response.headers.get('content-type') ?? '')) {
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { type?: unknown; validation?: PrismViolation[] } | undefined;
    if (typeof body?.type === 'string' && body.type.startsWith(prismErrorType)) {
      prismProblem = body.type;
      // `--errors` puts the violations of a refused response in the body as well.
      if (body.type.endsWith('#VIOLATIONS') && header === null) violations.push(...(body.validation ?? []));
    }
  }
  return { method: request.method, url: request.url, status: response.status, violations, prismProblem };
}

/** A readable list of objections for an assertion message. */
export function describeObjections(exchanges: readonly Exchange[]): string {
  return exchanges
    .map((exchange) => {
      const found = exchange.violations
        .map((v) => `\n    ${v.severity} ${v.location.join('.')}: ${v.message}`)
        .join('');
      return `${exchange.method} ${exchange.url} → ${exchange.status}${exchange.prismProblem ? ` (${exchange.prismProblem})` : ''}${found}`;
    })
    .join('\n');
}
