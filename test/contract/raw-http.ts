/**
 * One HTTP/1.1 exchange over a raw socket: the request is sent byte for byte as given, so a test can
 * send what no HTTP client would (invalid UTF-8 in the target, NUL bytes, duplicate framing headers,
 * a body that does not match its headers).
 */
import { connect } from 'node:net';

/** The answer to a raw request; `status` 0 when the server closed the connection without one. */
export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** Sends `request` to `url`'s host and port and reads until the server closes (send `Connection: close`, or rely on the server's request timeout). */
export function sendRaw(url: string, request: Buffer, timeoutMs = 30_000): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    // Written, not ended: a client that half-closes makes Node abort the requests it is still answering.
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may close while the request is still being written (it refused early): not a failure.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: split === -1 ? '' : text.slice(split + 4) });
    });
  });
}

/** A request as bytes: request line, headers (in order, duplicates kept), and body. */
export function rawRequest(
  method: string,
  target: string | Buffer,
  headers: readonly (readonly [string, string | Buffer])[],
  body?: string | Buffer,
): Buffer {
  const parts: Buffer[] = [
    Buffer.from(`${method} `),
    typeof target === 'string' ? Buffer.from(target, 'latin1') : target,
    Buffer.from(' HTTP/1.1\r\n'),
  ];
  for (const [name, value] of headers) {
    parts.push(
      Buffer.from(`${name}: `),
      typeof value === 'string' ? Buffer.from(value, 'latin1') : value,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from('\r\n'));
  if (body !== undefined) parts.push(typeof body === 'string' ? Buffer.from(body) : body);
  return Buffer.concat(parts);
}
