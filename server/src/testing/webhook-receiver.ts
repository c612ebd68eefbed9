/**
 * A real webhook receiver for tests: a `node:http` server on 127.0.0.1 that records every request
 * and answers what the test says. It can be taken down (connections refused) and brought back up
 * on the same port, to play an endpoint that is away for a while.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
  /** What it was answered. */
  status: number;
}

/** A status, and optional headers. */
type Answer = number | { status: number; headers?: Record<string, string> };

/**
 * What the receiver answers a request with: a status, and optional headers; or a promise of them,
 * to hold the answer while the test does something (takes the database away mid-delivery).
 */
export type ReceiverAnswer = (request: Omit<ReceivedRequest, 'status'>) => Answer | Promise<Answer>;

/** A running {@link startWebhookReceiver}. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  /** Every request so far, in arrival order. */
  readonly received: readonly ReceivedRequest[];
  /** Changes what later requests are answered. */
  answer(with_: ReceiverAnswer): void;
  /** Resolves once `predicate` holds for the requests received (checked on each arrival). */
  waitFor(predicate: (received: readonly ReceivedRequest[]) => boolean): Promise<readonly ReceivedRequest[]>;
  /** Stops listening: connections to the port are refused until {@link up}. */
  down(): Promise<void>;
  /** Listens on the same port again. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on 127.0.0.1 (port 0 picks a free one) that answers 204 until told otherwise.
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * receiver.answer(() => 503);
 * await receiver.waitFor((all) => all.length >= 3);
 */
export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  let answer: ReceiverAnswer = () => 204;
  let server: Server | undefined;

  const listen = async (onPort: number): Promise<number> => {
    const created = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const request = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        const given = await answer(request);
        const { status, headers = {} } = typeof given === 'number' ? { status: given } : given;
        received.push({ ...request, status });
        res.writeHead(status, headers).end();
        for (const wake of [...waiters]) wake();
      });
    });
    created.listen(onPort, '127.0.0.1');
    await once(created, 'listening');
    server = created;
    return (created.address() as AddressInfo).port;
  };

  const down = async (): Promise<void> => {
    const current = server;
    server = undefined;
    if (current === undefined) return;
    const closed = once(current, 'close');
    current.close();
    current.closeAllConnections();
    await closed;
  };

  const boundPort = await listen(port);
  return {
    origin: `http://127.0.0.1:${boundPort}`,
    port: boundPort,
    received,
    answer(with_) {
      answer = with_;
    },
    waitFor(predicate) {
      if (predicate(received)) return Promise.resolve(received);
      return new Promise((resolve) => {
        const check = () => {
          if (!predicate(received)) return;
          waiters.delete(check);
          resolve(received);
        };
        waiters.add(check);
      });
    },
    down,
    async up() {
      if (server === undefined) await listen(boundPort);
    },
    close: down,
  };
}
