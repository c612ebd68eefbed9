/**
 * Checks any recorded answer against the spec with Prism, whatever request it answered: the answer is
 * replayed by a tiny upstream behind `prism proxy --errors --validate-request=false`, and a request for
 * the same method and path is sent through that proxy, so Prism validates the replayed status, headers
 * and body of that operation. Used where the original request could not go through Prism itself (Prism
 * 5.16 drops the connection on a body that is not valid JSON).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PrismProcess, startPrism } from '../../scripts/mock/prism-process.ts';
import { type Exchange, inspect } from './targets.ts';

/** An answer as received. */
export interface RecordedAnswer {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

/** A running validator. */
export interface ResponseValidator {
  /** What Prism reports about `answer` as the answer to `method target`. */
  validate(method: string, target: string, answer: RecordedAnswer): Promise<Exchange>;
  stop(): Promise<void>;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/** Starts the replaying upstream and its Prism. */
export async function startResponseValidator(): Promise<ResponseValidator> {
  const answers = new Map<string, RecordedAnswer>();
  const upstream = createServer((request, response) => {
    const answer = answers.get(String(request.headers['x-replay']));
    request.resume();
    if (answer === undefined) {
      response.writeHead(599).end();
      return;
    }
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!hopByHop.has(name)) headers[name] = value;
    });
    response.writeHead(answer.status, headers).end(Buffer.from(answer.body));
  });
  upstream.listen(0, '127.0.0.1');
  await new Promise((resolve) => upstream.once('listening', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  let prism: PrismProcess;
  try {
    prism = await startPrism({ mode: 'proxy', upstream: upstreamUrl, validateRequest: false });
  } catch (error) {
    upstream.close();
    throw error;
  }
  let next = 0;
  return {
    async validate(method, target, answer) {
      const id = String(++next);
      answers.set(id, answer);
      try {
        const request = new Request(`${prism.url}${target}`, {
          method,
          // The security requirement is checked even without request validation.
          headers: { Authorization: 'Bearer replay', 'x-replay': id },
        });
        const response = await fetch(request);
        const exchange = await inspect(request, response);
        await response.body?.cancel();
        return exchange;
      } finally {
        answers.delete(id);
      }
    },
    async stop() {
      await prism.stop();
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    },
  };
}
