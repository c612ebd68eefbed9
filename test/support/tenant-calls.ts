/**
 * Requests to a server process as one tenant: its API key as a bearer token and a JSON body, as the
 * multi-process suites send them to each of their API processes.
 */
import type { ServerProcess } from './server-process.ts';

/** What a {@link TenantCall} may set: the method (else GET, or POST with a body), a JSON body, headers. */
export interface CallInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request to `server` at `path` as the tenant of the key it was made for. */
export type TenantCall = (server: ServerProcess, path: string, init?: CallInit) => Promise<Response>;

/** Requests as the tenant whose API key is `key`. */
export function callAs(key: string): TenantCall {
  return (server, path, init = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
}

/** The fields of a monitor the multi-process suites read. */
export interface SeenMonitor {
  id: string;
  state: string;
  steps: { name: string; state: string }[];
  links: { product?: { href: string } };
}

/**
 * Long-polls monitor `id` on `server` (`If-None-Match` + `Prefer: wait`) until `predicate` holds;
 * returns that monitor. A 503 (a request that met a database connection just ended) is retried after
 * its `Retry-After`, as a client would; any other answer that is not a monitor throws.
 */
export async function waitForMonitor<M extends SeenMonitor = SeenMonitor>(
  call: TenantCall,
  server: ServerProcess,
  id: string,
  predicate: (monitor: M) => boolean,
): Promise<M> {
  let response = await call(server, `/monitors/${id}`);
  for (;;) {
    while (response.status === 503) {
      await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(response.headers.get('retry-after'))));
      response = await call(server, `/monitors/${id}`);
    }
    if (response.status >= 300) throw new Error(`monitor ${id} on ${server.name}: ${response.status}`);
    const monitor = (await response.json()) as M;
    if (predicate(monitor)) return monitor;
    const etag = response.headers.get('etag') ?? '';
    do {
      response = await call(server, `/monitors/${id}`, { headers: { 'If-None-Match': etag, Prefer: 'wait=20' } });
    } while (response.status === 304);
  }
}

/** What a multi-process test does as one tenant: its requests, and its long poll of a monitor. */
export interface TenantClient<M extends SeenMonitor> {
  call: TenantCall;
  waitForMonitor(server: ServerProcess, id: string, predicate: (monitor: M) => boolean): Promise<M>;
}

/** {@link callAs} and {@link waitForMonitor} bound to the tenant of `key`. */
export function tenantClient<M extends SeenMonitor = SeenMonitor>(key: string): TenantClient<M> {
  const call = callAs(key);
  return { call, waitForMonitor: (server, id, predicate) => waitForMonitor<M>(call, server, id, predicate) };
}
