import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago: bound on port 0, read, released. For tools such as Prism that
 * cannot listen on port 0 themselves; a race with another process taking it is possible but rare.
 * @default host '127.0.0.1'
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
