/**
 * Shared scaffolding for the HTTP integration tests: a fetch client bound to one test server that
 * remembers every answer (so each suite can assert that nothing answered 5xx — with response
 * validation on, a response that breaks the spec answers 500), request bodies for the reference
 * resources, and bounded polling helpers. Not part of the public API.
 */

import type { AnyMonitor } from '../http/api-types.ts';
import type { TEST_TENANTS, TestServer } from './test-server.ts';

/** A tenant of the test server. */
export type TestTenant = keyof typeof TEST_TENANTS;

/** One answer the client saw. */
export interface SeenAnswer {
  method: string;
  path: string;
  status: number;
}

/** Options of {@link ApiClient.request}. */
export interface RequestOptions {
  tenant?: TestTenant;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (wins over `body`). */
  rawBody?: string;
  /** No `Authorization` header. */
  anonymous?: boolean;
}

/** Longest a polling helper keeps asking before it gives up (each ask long-polls up to 5 s). */
const MAX_POLLS = 200;

/** A fetch client for one test server that records every status it receives. */
export class ApiClient {
  readonly server: TestServer;
  readonly seen: SeenAnswer[] = [];

  constructor(server: TestServer) {
    this.server = server;
  }

  /** Sends a request; `path` is relative to the server (`/cars`). */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = options.anonymous
      ? { 'Content-Type': 'application/json', ...options.headers }
      : this.server.headers(options.tenant ?? 'acme', options.headers ?? {});
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${this.server.url}${path}`, { method, headers, body });
    this.seen.push({ method, path, status: response.status });
    return response;
  }

  get(path: string, headers: Record<string, string> = {}, tenant: TestTenant = 'acme'): Promise<Response> {
    return this.request('GET', path, { headers, tenant });
  }

  post(
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    tenant: TestTenant = 'acme',
  ): Promise<Response> {
    return this.request('POST', path, { body, headers, tenant });
  }

  /** Answers with a 5xx status seen so far (should stay empty). */
  serverErrors(): SeenAnswer[] {
    return this.seen.filter((answer) => answer.status >= 500);
  }

  /** Reads a monitor now. */
  async monitor(href: string, tenant: TestTenant = 'acme'): Promise<AnyMonitor> {
    return (await (await this.get(href, {}, tenant)).json()) as AnyMonitor;
  }

  /**
   * Long-polls a monitor (`Prefer: wait=5` + `If-None-Match`) until `done` holds; throws after a
   * bounded number of polls.
   */
  async pollUntil(
    href: string,
    done: (monitor: AnyMonitor) => boolean,
    tenant: TestTenant = 'acme',
  ): Promise<AnyMonitor> {
    let etag: string | undefined;
    let monitor: AnyMonitor | undefined;
    for (let poll = 0; poll < MAX_POLLS; poll += 1) {
      const response = await this.get(href, { Prefer: 'wait=5', ...(etag ? { 'If-None-Match': etag } : {}) }, tenant);
      if (response.status !== 304) monitor = (await response.json()) as AnyMonitor;
      etag = response.headers.get('etag') ?? undefined;
      if (monitor && done(monitor)) return monitor;
    }
    throw new Error(`${href} did not reach the expected state after ${MAX_POLLS} polls: ${JSON.stringify(monitor)}`);
  }

  /** Long-polls a monitor until it is terminal. */
  untilTerminal(href: string, tenant: TestTenant = 'acme'): Promise<AnyMonitor> {
    return this.pollUntil(href, (monitor) => TERMINAL.has(monitor.state), tenant);
  }

  /** Long-polls a monitor until one of its steps is `waiting`. */
  untilWaiting(href: string, tenant: TestTenant = 'acme'): Promise<AnyMonitor> {
    return this.pollUntil(href, (monitor) => monitor.steps.some((step) => step.state === 'waiting'), tenant);
  }

  /** Every monitor of `tenant` matching `query` (follows `next` to the end). */
  async listAll(query = '', tenant: TestTenant = 'acme'): Promise<AnyMonitor[]> {
    const items: AnyMonitor[] = [];
    let next: string | null = `/monitors?limit=100${query ? `&${query}` : ''}`;
    for (let page = 0; next !== null && page < MAX_POLLS; page += 1) {
      const body = (await (await this.get(next, {}, tenant)).json()) as { items: AnyMonitor[]; next: string | null };
      items.push(...body.items);
      next = body.next;
    }
    return items;
  }
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** The href in a `Link: <href>; rel="…"` header for `rel`, or undefined. */
export function linkTarget(link: string | null, rel: string): string | undefined {
  if (link === null) return undefined;
  for (const part of link.split(',')) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="?([^";]+)"?/.exec(part);
    if (match?.[2] === rel) return match[1];
  }
  return undefined;
}

/** Request bodies of the reference resources. */
export const BODIES = {
  car: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' },
  /** Fails at `paint` (the documented failure trigger). */
  ultravioletCar: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Ultraviolet' },
  vm: { configuration: { os: 'Linux', ram: '16GB', storage: '256GB SSD' } },
  /** Fails at `allocate`: more than 1024 GB of memory. */
  hugeVm: { configuration: { os: 'Linux', ram: '2048GB', storage: '256GB SSD' } },
  transcode: { source: 'https://media.example.com/raw/interview.mov', format: 'mp4', resolution: '480p' },
  /** Fails at `probe`: the source path ends in `.missing`. */
  missingTranscode: { source: 'https://media.example.com/raw/interview.missing', format: 'mp4', resolution: '480p' },
  reindex: { scope: 'cars' },
  widgetOrder: { items: [{ sku: 'WID-BLUE-01', quantity: 2 }] },
  /** Waits at `fulfilment` for `POST /widget-orders/{id}/fulfilment`. */
  manualWidgetOrder: {
    items: [
      { sku: 'WID-BLUE-01', quantity: 2 },
      { sku: 'WID-RED-07', quantity: 1 },
    ],
    manualFulfilment: true,
  },
} as const;
