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
