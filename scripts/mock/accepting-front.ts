/**
 * A thin HTTP front for `prism mock` that makes a request without directives get what the real server
 * gives. Prism answers the lowest documented `2xx`, and a long-running operation also documents the
 * `200`/`201` it answers when `Prefer: wait` is honoured, so a plain `POST` would get a finished
 * monitor. For a request that starts a long-running operation (any method of an async operation, a
 * read only with `Prefer: respond-async`) and names neither `code` nor `example`, the front adds
 * `code=202` to its `Prefer`: `202` + `Location` + `Retry-After` + the queued monitor. Every other
 * request, and every answer, passes through unchanged.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePreferences } from './preferences.ts';
import type { SpecIndex } from './spec-index.ts';

/** A running front. */
export interface AcceptingFront {
  readonly url: string;
  close(): Promise<void>;
}

/** The `Prefer` to forward: `code=202` added when the request starts an operation and asks for nothing. */
export function preferForPrism(
  spec: SpecIndex,
  method: string,
  path: string,
  prefer: string | undefined,
): string | undefined {
  const match = spec.match(method.toLowerCase(), path);
  if (match === undefined || match === 'method-not-allowed' || match.operation.async === undefined) return prefer;
  const preferences = parsePreferences(prefer);
  const startsWork = method.toLowerCase() !== 'get' || preferences.has('respond-async');
  if (!startsWork || preferences.has('code') || preferences.has('example')) return prefer;
  return prefer === undefined || prefer.trim() === '' ? 'code=202' : `${prefer}, code=202`;
}

/** Starts the front on `port`/`host`, forwarding to `upstream` (Prism's URL). */
export async function startAcceptingFront(
  spec: SpecIndex,
  upstream: string,
  options: { port?: number; host?: string } = {},
): Promise<AcceptingFront> {
  const target = new URL(upstream);
  const server: Server = createServer((incoming: IncomingMessage, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://front.invalid');
    const headers = { ...incoming.headers };
    const given = incoming.headers.prefer;
    const prefer = preferForPrism(
      spec,
      incoming.method ?? 'GET',
      url.pathname,
      Array.isArray(given) ? given.join(', ') : given,
    );
    if (prefer !== undefined) headers.prefer = prefer;
    headers.host = target.host;
    const forwarded = httpRequest(
      { hostname: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.once('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain' });
      outgoing.end('the mock behind this front did not answer');
    });
    incoming.pipe(forwarded);
  });
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
