/**
 * Comparison server: plain Express 5, no validation, no auth, no durability. `GET /monitors/:id`
 * reads an in-memory Map; `POST /transcodes` inserts into it. Same JSON shape and contract headers
 * as longrun. Started by the benchmark as a child process; reports its port over IPC.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { comparisonId, queuedTranscodeMonitor } from '../monitor-fixture.ts';
import { reportReady } from './report-ready.ts';

/** The part of Express 5 used here (the scripts package has Express but not its types). */
interface ExpressRequest extends IncomingMessage {
  body: unknown;
  params: Record<string, string>;
}
interface ExpressResponse extends ServerResponse {
  status(code: number): ExpressResponse;
  set(headers: Record<string, string>): ExpressResponse;
  json(body: unknown): void;
}
type Handler = (req: ExpressRequest, res: ExpressResponse) => void;
interface ExpressApp {
  disable(setting: string): void;
  set(setting: string, value: unknown): void;
  use(middleware: unknown): void;
  get(path: string, handler: Handler): void;
  post(path: string, handler: Handler): void;
  listen(port: number, host: string, ready: () => void): Server;
}
const express = createRequire(import.meta.url)('express') as (() => ExpressApp) & { json(): unknown };

const monitors = new Map<string, Record<string, unknown>>();
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json());

app.post('/transcodes', (req, res) => {
  const id = comparisonId();
  const monitor = queuedTranscodeMonitor(id, req.body, new Date());
  monitors.set(id, monitor);
  res
    .status(202)
    .set({ Location: `/monitors/${id}`, 'Retry-After': '10', Link: `</monitors/${id}>; rel="monitor"` })
    .json(monitor);
});

app.get('/monitors/:id', (req, res) => {
  const id = req.params.id as string;
  const monitor = monitors.get(id);
  if (monitor === undefined) {
    res.status(404).json({ type: 'about:blank', title: 'Not Found', status: 404 });
    return;
  }
  res
    .status(202)
    .set({ ETag: `"${id}.1"`, 'Retry-After': '10', 'Cache-Control': 'no-store' })
    .json(monitor);
});

const server = app.listen(0, '127.0.0.1', () => reportReady(server));

// The benchmark disconnects to stop it.
process.on('disconnect', () => process.exit(0));
