/**
 * Comparison server: bare `node:http`, no framework. Same routes, JSON shape and contract headers
 * as the plain Express server. Started by the benchmark as a child process.
 */
import { createServer } from 'node:http';
import { comparisonId, queuedTranscodeMonitor } from '../monitor-fixture.ts';
import { reportReady } from './report-ready.ts';

const monitors = new Map<string, Record<string, unknown>>();
const MONITOR_PREFIX = '/monitors/';

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/transcodes') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = comparisonId();
      const monitor = queuedTranscodeMonitor(id, JSON.parse(Buffer.concat(chunks).toString('utf8')), new Date());
      monitors.set(id, monitor);
      res.writeHead(202, {
        'Content-Type': 'application/json; charset=utf-8',
        Location: `/monitors/${id}`,
        'Retry-After': '10',
        Link: `</monitors/${id}>; rel="monitor"`,
      });
      res.end(JSON.stringify(monitor));
    });
    return;
  }
  if (req.method === 'GET' && req.url?.startsWith(MONITOR_PREFIX)) {
    const id = req.url.slice(MONITOR_PREFIX.length);
    const monitor = monitors.get(id);
    if (monitor !== undefined) {
      res.writeHead(202, {
        'Content-Type': 'application/json; charset=utf-8',
        ETag: `"${id}.1"`,
        'Retry-After': '10',
        'Cache-Control': 'no-store',
      });
      res.end(JSON.stringify(monitor));
      return;
    }
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end('{"type":"about:blank","title":"Not Found","status":404}');
});

server.listen(0, '127.0.0.1', () => reportReady(server));

// The benchmark disconnects to stop it.
process.on('disconnect', () => process.exit(0));
