/**
 * Test support: a scripted `fetch` that answers each request with the next scripted answer and
 * records every request, a monitor factory, and a fake clock whose `delay` records and skips time.
 * Nothing here sleeps.
 */
import type { AnyMonitor, MonitorState } from '../types.ts';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** Aborts when the client gives up on the request (a closed stream, a stopped wait). */
  signal: AbortSignal;
}

/** Answers one request; may inspect it. */
export type ScriptedAnswer = Response | Error | ((request: RecordedRequest) => Response | Promise<Response>);

/** A `fetch` that plays `answers` in order and fails the test loudly when it runs out. */
export function scriptedFetch(answers: ScriptedAnswer[]) {
  const requests: RecordedRequest[] = [];
  const queue = [...answers];
  const fetch = async (request: Request): Promise<Response> => {
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body === null ? '' : await request.text(),
      signal: request.signal,
    };
    requests.push(recorded);
    if (request.signal.aborted) throw request.signal.reason;
    const answer = queue.shift();
    // A 4xx, so the client does not retry it as a transient failure; tests also check remaining().
    if (answer === undefined) {
      const detail = `unexpected request ${request.method} ${request.url}`;
      return json(418, { type: 'about:blank', title: "I'm a teapot", status: 418, detail });
    }
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(recorded) : answer;
  };
  return { fetch, requests, remaining: () => queue.length };
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType, ...headers } });
}

/** A `304 Not Modified`. */
export function notModified(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 304, headers });
}

/** Fields of a test monitor. */
export interface MonitorFields {
  id?: string;
  kind?: AnyMonitor['kind'];
  state?: MonitorState;
  percent?: number;
  message?: string;
  steps?: AnyMonitor['steps'];
  result?: unknown;
  error?: AnyMonitor['error'];
  product?: string;
  estimatedCompletionAt?: string | null;
}

/** A monitor as the server renders it. */
export function monitor(fields: MonitorFields = {}): AnyMonitor {
  const id = fields.id ?? 'op_01JABCDEF0123456789ABCDEFG';
  const state = fields.state ?? 'running';
  const terminal = state === 'succeeded' || state === 'failed' || state === 'cancelled';
  return {
    id,
    kind: fields.kind ?? 'car.create',
    state,
    progress:
      fields.message === undefined
        ? { percent: fields.percent ?? 0 }
        : { percent: fields.percent ?? 0, message: fields.message },
    estimatedCompletionAt: fields.estimatedCompletionAt ?? null,
    steps: fields.steps ?? [],
    request: { method: 'POST', path: '/cars' },
    ...(fields.result === undefined ? {} : { result: fields.result }),
    ...(fields.error === undefined ? {} : { error: fields.error }),
    cancelRequested: false,
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
    startedAt: null,
    finishedAt: terminal ? '2026-11-22T10:00:05.000Z' : null,
    links: {
      self: { href: `/monitors/${id}` },
      ...(fields.product === undefined ? {} : { product: { href: fields.product } }),
      ...(terminal ? {} : { cancel: { href: `/monitors/${id}/cancel` } }),
    },
  } as AnyMonitor;
}

/** A clock that only moves when told, and a `delay` that records each pause and moves the clock. */
export function fakeTime(start = Date.parse('2026-11-22T10:00:00.000Z')) {
  let now = start;
  const delays: number[] = [];
  return {
    delays,
    clock: () => now,
    advance(ms: number) {
      now += ms;
    },
    async delay(ms: number, signal?: AbortSignal): Promise<void> {
      signal?.throwIfAborted();
      delays.push(ms);
      now += ms;
    },
  };
}
