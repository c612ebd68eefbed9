/**
 * Holds many long polls open at once: one raw keep-alive socket per poll, each sending
 * `GET /monitors/{id}` with `If-None-Match` (the current ETag) and `Prefer: wait=60`, opened in
 * batches so the server's accept queue keeps up. Prints `opened` once every request was written,
 * then waits for a line on stdin and closes them all. Loopback only.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const [url, apiKey, idsFile] = process.argv.slice(2) as [string, string, string];
const target = new URL(url);
if (target.hostname !== '127.0.0.1') throw new Error(`loopback targets only: ${url}`);
const ids = JSON.parse(readFileSync(idsFile, 'utf8')) as string[];
const sockets: Socket[] = [];
let answered = 0;

for (let from = 0; from < ids.length; from += 500) {
  await Promise.all(
    ids.slice(from, from + 500).map(
      (id) =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port: Number(target.port) }, () => {
            socket.write(
              `GET /monitors/${id} HTTP/1.1\r\nHost: ${target.host}\r\nAuthorization: Bearer ${apiKey}\r\n` +
                `If-None-Match: "${id}.1"\r\nPrefer: wait=60\r\nAccept: application/json\r\n\r\n`,
              () => resolve(),
            );
          });
          // An answer before we close means the poll was not held (or ended early).
          socket.once('data', () => {
            answered += 1;
          });
          socket.on('error', reject);
          sockets.push(socket);
        }),
    ),
  );
}
console.log(JSON.stringify({ opened: sockets.length }));

const lines = createInterface({ input: process.stdin });
for await (const _line of lines) break;
console.log(JSON.stringify({ answeredEarly: answered }));
for (const socket of sockets) socket.destroy();
process.exit(0);
