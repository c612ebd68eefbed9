/**
 * One outbound `POST` to a checked target: it connects to the checked address (never resolving the
 * name again), sends `Host` and the TLS server name of the URL, follows no redirect (a 3xx is just
 * an answer), reads at most a little of the answer, and gives up after a timeout.
 */
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { LongrunServerError } from '../operations/longrun-server-error.ts';
import type { CheckedTarget } from './ssrf-guard.ts';

// Required, not imported: Node's ESM face of `node:http` reads every export, and its `WebSocket`
// getter then loads the whole fetch implementation (undici), about 10 MiB resident for good.
const { request: httpRequest } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

/** Most of an answer's body read before the connection is dropped. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** How one POST is made. */
export interface OutboundPostOptions {
  /** Gives up after this long, from connecting to the end of the answer. */
  timeoutMs: number;
  /** Aborts the request (the process is stopping). */
  signal?: AbortSignal | undefined;
}

/** Why an outbound POST got no answer. */
export class OutboundRequestError extends LongrunServerError {
  override readonly name = 'OutboundRequestError';
  readonly code = 'outbound-request-failed';
}

/**
 * POSTs `body` to `target` and resolves with the answer's status.
 *
 * @throws OutboundRequestError when no answer came (refused, reset, timed out, aborted).
 */
export function postToTarget(
  target: CheckedTarget,
  body: string,
  headers: Record<string, string>,
  options: OutboundPostOptions,
): Promise<number> {
  const { url } = target;
  const secure = url.protocol === 'https:';
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    const request = (secure ? httpsRequest : httpRequest)(
      {
        // The checked address, so the name is not resolved again between check and connect.
        host: target.address,
        family: target.family,
        port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)) },
        // TLS checks the certificate against the URL's name, not the address.
        ...(secure && isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
        agent: false,
        signal,
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const done = () => {
          if (settled) return;
          settled = true;
          resolve(status);
        };
        response.once('end', done);
        response.once('close', done);
        response.once('error', done);
      },
    );
    request.once('error', (error: Error) => {
      if (timeout.aborted) fail(new OutboundRequestError(`no answer within ${options.timeoutMs} ms`));
      else if (options.signal?.aborted) fail(new OutboundRequestError('aborted: the dispatcher is stopping'));
      else fail(new OutboundRequestError(error.message));
    });
    request.end(body);
  });
}
