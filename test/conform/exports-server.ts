/**
 * A data-export API written with plain `node:http` and nothing of longrun, serving
 * `fixtures/exports.yaml`: what a team with its own spec and its own server would point
 * `longrun conform` at. It keeps the async contract unless told to break it in one named way, so the
 * suite can check that conform catches each fault and names it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The ways this server can break the contract on purpose. */
export type PlantedFault =
  /** `POST /exports` answers 202 without `Retry-After`. */
  | 'no-retry-after'
  /** A monitor says `queued` again after it said `running`. */
  | 'state-goes-back'
  /** The exported file lacks its required `bytes`. */
  | 'product-breaks-schema'
  /** The 409 of a second compaction names no monitor (no `monitor` field, no `Link`). */
  | 'conflict-without-monitor'
  /** A replay with the same `Idempotency-Key` starts a second export. */
  | 'replay-creates-second';

/** A running exports server. */
export interface ExportsServer {
  url: string;
  /** The bearer key it accepts. */
  key: string;
  /** How many operations it started, by kind (a replay must not add one). */
  started: Record<string, number>;
  stop(): Promise<void>;
}

type State = 'queued' | 'running' | 'succeeded' | 'cancelled';
type Kind = 'export' | 'row-count' | 'compaction';

interface Operation {
  id: string;
  kind: Kind;
  input: Record<string, unknown>;
  createdAt: number;
  cancelledAt?: number;
  /** A monitor answer said `running` (the planted fault then says `queued` once). */
  reportedRunning?: boolean;
  wentBack?: boolean;
}

const durations: Record<Kind, number> = { export: 1200, 'row-count': 600, compaction: 1200 };
const queuedMs = 120;
const key = 'exports-test-key';

/** Starts the server on a free loopback port. */
export async function startExportsServer(fault?: PlantedFault): Promise<ExportsServer> {
  const operations = new Map<string, Operation>();
  const idempotency = new Map<string, { body: string; id: string }>();
  const started: Record<string, number> = { export: 0, 'row-count': 0, compaction: 0 };

  const stateOf = (op: Operation): State => {
    if (op.cancelledAt !== undefined) return 'cancelled';
    const elapsed = Date.now() - op.createdAt;
    return elapsed < queuedMs ? 'queued' : elapsed < durations[op.kind] ? 'running' : 'succeeded';
  };
  const representation = (op: Operation, state: State) => ({
    id: op.id,
    state,
    ...(state === 'succeeded' && op.kind === 'row-count' ? { result: { table: op.input.table, rows: 1234 } } : {}),
    ...(state === 'succeeded' && op.kind === 'compaction' ? { result: { freedBytes: 4096 } } : {}),
  });
  /** The state a monitor answer reports: the planted fault says `queued` once, on the answer after one said `running`. */
  const reportedState = (op: Operation): State => {
    const state = stateOf(op);
    return fault === 'state-goes-back' && state === 'running' && op.reportedRunning && !op.wentBack ? 'queued' : state;
  };
  const etagOf = (op: Operation, state: State) => `"${op.id}.${state}"`;
  const fileOf = (op: Operation) =>
    fault === 'product-breaks-schema'
      ? { id: `file-${op.id}`, table: op.input.table, format: op.input.format }
      : { id: `file-${op.id}`, table: op.input.table, format: op.input.format, bytes: 52_000 };

  /** The monitor's answer as it stands: 202 while pending, 201 → file for an export, 200 otherwise. */
  const monitorAnswer = (response: ServerResponse, op: Operation, extra: Record<string, string> = {}) => {
    const state = reportedState(op);
    if (state === 'running') op.reportedRunning = true;
    if (state === 'queued' && op.reportedRunning) op.wentBack = true;
    const headers: Record<string, string> = { ETag: etagOf(op, state), ...extra };
    if (state === 'queued' || state === 'running') {
      if (fault !== 'no-retry-after') headers['Retry-After'] = '1';
      return json(response, 202, representation(op, state), headers);
    }
    if (state === 'succeeded' && op.kind === 'export') headers.Location = `/files/file-${op.id}`;
    return json(
      response,
      state === 'succeeded' && op.kind === 'export' ? 201 : 200,
      representation(op, state),
      headers,
    );
  };
  const pending = (op: Operation) => ['queued', 'running'].includes(stateOf(op));

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const body = await readBody(request);
      if (request.headers.authorization !== `Bearer ${key}`)
        return problem(response, 401, 'unauthorized', 'Send Authorization: Bearer <key>.');
      const kind = ({ '/exports': 'export', '/row-counts': 'row-count', '/compactions': 'compaction' } as const)[
        url.pathname
      ];
      if (request.method === 'POST' && kind !== undefined) return accept(request, response, kind, body);
      const monitor = /^\/operations\/([^/]+)(\/cancel)?$/.exec(url.pathname);
      const op = monitor ? operations.get(monitor[1] ?? '') : undefined;
      if (monitor && !op) return problem(response, 404, 'not-found', `No operation ${monitor[1]}.`);
      if (op && monitor?.[2] && request.method === 'POST') {
        if (!pending(op)) return problem(response, 409, 'finished', `Operation ${op.id} already ended.`);
        op.cancelledAt = Date.now();
        return monitorAnswer(response, op);
      }
      if (op && request.method === 'GET') return getMonitor(request, response, op);
      const file = /^\/files\/file-([^/]+)$/.exec(url.pathname);
      const exported = file ? operations.get(file[1] ?? '') : undefined;
      if (exported && request.method === 'GET' && stateOf(exported) === 'succeeded')
        return json(response, 200, fileOf(exported));
      return problem(response, 404, 'not-found', `No ${url.pathname}.`);
    } catch (error) {
      return problem(response, 400, 'bad-request', error instanceof Error ? error.message : String(error));
    }
  });

  async function accept(request: IncomingMessage, response: ServerResponse, kind: Kind, text: string) {
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch {
      return problem(response, 400, 'invalid', 'The body is not JSON.');
    }
    const invalid = validate(kind, input);
    if (invalid) return problem(response, 400, 'invalid', invalid);
    const idempotencyKey = request.headers['idempotency-key'];
    if (kind === 'export' && typeof idempotencyKey === 'string' && fault !== 'replay-creates-second') {
      const earlier = idempotency.get(idempotencyKey);
      if (earlier && earlier.body !== JSON.stringify(input))
        return problem(response, 422, 'key-reused', 'This Idempotency-Key was used with another body.');
      const op = earlier && operations.get(earlier.id);
      if (op) return json(response, 202, representation(op, stateOf(op)), acceptedHeaders(op));
    }
    if (kind === 'compaction') {
      const running = [...operations.values()].find((op) => op.kind === 'compaction' && pending(op));
      if (running) {
        const headers: Record<string, string> = { 'Retry-After': '1' };
        if (fault !== 'conflict-without-monitor') headers.Link = `</operations/${running.id}>; rel="monitor"`;
        return problem(response, 409, 'compaction-pending', 'A compaction is already running.', headers, {
          ...(fault !== 'conflict-without-monitor' ? { monitor: `/operations/${running.id}` } : {}),
        });
      }
    }
    const op: Operation = { id: randomUUID(), kind, input: input as Record<string, unknown>, createdAt: Date.now() };
    operations.set(op.id, op);
    started[kind] = (started[kind] ?? 0) + 1;
    if (kind === 'export' && typeof idempotencyKey === 'string')
      idempotency.set(idempotencyKey, { body: JSON.stringify(input), id: op.id });

    const preferences = String(request.headers.prefer ?? '').toLowerCase();
    const wait = /wait=(\d+)/.exec(preferences);
    if (wait && !preferences.includes('respond-async')) {
      const until = Date.now() + Number(wait[1]) * 1000;
      while (pending(op) && Date.now() < until) await sleep(20);
      if (!pending(op)) return monitorAnswer(response, op, { 'Preference-Applied': `wait=${wait[1]}` });
    }
    const headers = acceptedHeaders(op);
    if (preferences.includes('respond-async')) headers['Preference-Applied'] = 'respond-async';
    return json(response, 202, representation(op, stateOf(op)), headers);
  }

  function acceptedHeaders(op: Operation): Record<string, string> {
    const headers: Record<string, string> = {
      Location: `/operations/${op.id}`,
      Link: `</operations/${op.id}>; rel="monitor"`,
    };
    if (fault !== 'no-retry-after') headers['Retry-After'] = '1';
    return headers;
  }

  async function getMonitor(request: IncomingMessage, response: ServerResponse, op: Operation) {
    const etag = request.headers['if-none-match'];
    const wait = /wait=(\d+)/.exec(String(request.headers.prefer ?? ''));
    if (etag !== undefined && wait) {
      // A long poll: answer as soon as the monitor differs from the ETag the client holds.
      const until = Date.now() + Number(wait[1]) * 1000;
      while (etagOf(op, reportedState(op)) === etag && Date.now() < until) await sleep(20);
    }
    const state = reportedState(op);
    if (etag !== undefined && etag === etagOf(op, state)) {
      response.writeHead(304, { ETag: etag }).end();
      return;
    }
    return monitorAnswer(response, op);
  }

  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    key,
    started,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The request body's problem, checked by hand as a server without a spec-driven validator would. */
function validate(kind: Kind, input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'The body must be an object.';
  const body = input as Record<string, unknown>;
  const allowed: Record<Kind, Record<string, (value: unknown) => boolean>> = {
    export: {
      table: (value) => typeof value === 'string' && value.length > 0 && value.length <= 64,
      format: (value) => value === 'csv' || value === 'parquet',
    },
    'row-count': { table: (value) => typeof value === 'string' && value.length > 0 && value.length <= 64 },
    compaction: { level: (value) => value === 'quick' || value === 'full' },
  };
  for (const [name, valid] of Object.entries(allowed[kind]))
    if (!valid(body[name])) return `${name} is missing or invalid.`;
  const extra = Object.keys(body).find((name) => !(name in allowed[kind]));
  return extra === undefined ? undefined : `${extra} is not allowed.`;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

function problem(
  response: ServerResponse,
  status: number,
  type: string,
  detail: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) {
  response
    .writeHead(status, { 'Content-Type': 'application/problem+json', ...headers })
    .end(JSON.stringify({ type: `https://exports.example/problems/${type}`, title: detail, status, detail, ...extra }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  request.setEncoding('utf8');
  for await (const chunk of request) text += chunk;
  return text;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
