/**
 * The monitor operations of the contract: read (with long polls and `If-None-Match`), the event
 * stream, cancel, and the list.
 */
import { EVENT_STREAM_MEDIA_TYPE, ifNoneMatchMatches, MAX_WAIT_SECONDS } from '@longrun/openapi/contract';
import { acceptsEventStream } from '@longrun/openapi/contract/accept';
import { type Exchange, header, problem, send } from './exchange.ts';
import {
  etagOf,
  type MockState,
  monitorAnswer,
  monitorHref,
  monitorLink,
  retryAfter,
  visible,
  waitForChange,
} from './mock-state.ts';
import { terminalStates } from './monitor-templates.ts';
import { monitorAt } from './monitor-timeline.ts';
import { waitSeconds } from './preferences.ts';

/** `GET /monitors/{id}`: the monitor now, or after its next change with `Prefer: wait`. */
export async function getMonitor(state: MockState, exchange: Exchange): Promise<void> {
  const operation = visible(state, exchange.tenant, exchange.params.monitorId);
  if (operation === undefined) return problem(exchange, '404', { detail: `No monitor ${exchange.params.monitorId}.` });
  const wait = waitSeconds(exchange.preferences, MAX_WAIT_SECONDS);
  const ifNoneMatch = header(exchange.request, 'if-none-match');
  let snapshot = monitorAt(operation, Date.now());
  const held = ifNoneMatch === undefined || ifNoneMatchMatches(ifNoneMatch, etagOf(operation, snapshot));
  if (wait !== undefined && wait > 0 && held && !terminalStates.has(snapshot.state)) {
    const version = snapshot.version;
    snapshot = await waitForChange(operation, wait, exchange.signal, (s) => s.version !== version);
  }
  const etag = etagOf(operation, snapshot);
  const applied = wait === undefined ? undefined : `wait=${wait}`;
  if (ifNoneMatchMatches(ifNoneMatch, etag)) {
    return send(exchange, '304', {
      headers: {
        ETag: etag,
        'Retry-After': retryAfter(state, snapshot),
        'Cache-Control': 'no-store',
        'Preference-Applied': applied,
      },
    });
  }
  const answer = monitorAnswer(state, operation, snapshot);
  return send(exchange, answer.code, {
    headers: { ...answer.headers, ETag: etag, Link: monitorLink(operation.id), 'Preference-Applied': applied },
    body: snapshot.monitor,
  });
}

/**
 * The monitor's changes as server-sent events: the monitor now, then one event per change, closed
 * after the terminal one; `204` when `Last-Event-ID` already is the terminal version; `406` when
 * `Accept` does not take `text/event-stream`.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export async function streamEvents(state: MockState, exchange: Exchange): Promise<void> {
  // As the server: the stream is the only representation, so a client that does not take it is told.
  if (!acceptsEventStream(header(exchange.request, 'accept'))) {
    return problem(exchange, '406', {
      detail: `The events are sent as ${EVENT_STREAM_MEDIA_TYPE} only; accept it, or read the monitor at ${monitorHref(String(exchange.params.monitorId))}.`,
    });
  }
  const operation = visible(state, exchange.tenant, exchange.params.monitorId);
  if (operation === undefined) return problem(exchange, '404', { detail: `No monitor ${exchange.params.monitorId}.` });
  const lastEventId = Number(header(exchange.request, 'last-event-id') ?? Number.NaN);
  let snapshot = monitorAt(operation, Date.now());
  if (terminalStates.has(snapshot.state) && lastEventId >= snapshot.version) return send(exchange, '204', {});
  const declared = exchange.operation.responses.find((response) => response.code === '200');
  exchange.response.writeHead(200, {
    'Content-Type': declared?.mediaType ?? 'text/event-stream',
    'Cache-Control': 'no-store',
    Link: monitorLink(operation.id),
    ...(header(exchange.request, 'origin') === undefined ? {} : { 'Access-Control-Allow-Origin': '*' }),
  });
  exchange.response.write('retry: 2000\n\n');
  let sent = Number.isFinite(lastEventId) ? lastEventId : 0;
  for (;;) {
    if (snapshot.version > sent) {
      exchange.response.write(`id: ${snapshot.version}\nevent: monitor\ndata: ${JSON.stringify(snapshot.monitor)}\n\n`);
      sent = snapshot.version;
    }
    if (terminalStates.has(snapshot.state) || exchange.signal.aborted) break;
    const version = snapshot.version;
    snapshot = await waitForChange(operation, 15, exchange.signal, (s) => s.version !== version);
    if (snapshot.version === version && !exchange.signal.aborted) exchange.response.write(': keep-alive\n\n');
  }
  exchange.response.end();
}

/** `POST /monitors/{id}/cancel`: `200` once cancelled, `202` while it winds down, `409` after the end. */
export function cancel(state: MockState, exchange: Exchange): Promise<void> {
  const operation = visible(state, exchange.tenant, exchange.params.monitorId);
  if (operation === undefined) return problem(exchange, '404', { detail: `No monitor ${exchange.params.monitorId}.` });
  const before = monitorAt(operation, Date.now());
  if (terminalStates.has(before.state)) {
    return problem(exchange, '409', {
      detail: `Operation ${operation.id} ended ${before.state}; it cannot be cancelled.`,
      headers: { Link: monitorLink(operation.id) },
    });
  }
  operation.cancelRequestedAt ??= Date.now();
  const after = monitorAt(operation, Date.now());
  if (after.state === 'cancelled') {
    return send(exchange, '200', { headers: { Link: monitorLink(operation.id) }, body: after.monitor });
  }
  return send(exchange, '202', {
    headers: {
      ETag: etagOf(operation, after),
      Location: monitorHref(operation.id),
      'Retry-After': retryAfter(state, after),
      Link: monitorLink(operation.id),
    },
    body: after.monitor,
  });
}

/** `GET /monitors`: the tenant's monitors, newest first, filtered by state and kind, a page at a time. */
export function listMonitors(state: MockState, exchange: Exchange): Promise<void> {
  const query = exchange.url.searchParams;
  const limit = Number(query.get('limit') ?? 20);
  const cursor = query.get('cursor');
  const offset = cursor === null ? 0 : decodeCursor(cursor);
  if (offset === undefined) {
    return problem(exchange, '400', {
      detail: 'The cursor is not one this server issued.',
      extensions: { errors: [{ pointer: '/query/cursor', message: 'is not a cursor this server issued' }] },
    });
  }
  const now = Date.now();
  const matching = [...state.operations.values()]
    .filter((operation) => operation.tenant === exchange.tenant)
    .reverse()
    .map((operation) => monitorAt(operation, now))
    .filter((snapshot) => (query.get('state') ?? snapshot.state) === snapshot.state)
    .filter((snapshot) => (query.get('kind') ?? snapshot.monitor.kind) === snapshot.monitor.kind);
  const items = matching.slice(offset, offset + limit).map((snapshot) => snapshot.monitor);
  let next: string | null = null;
  if (offset + limit < matching.length) {
    const params = new URLSearchParams();
    for (const name of ['state', 'kind']) {
      const value = query.get(name);
      if (value !== null) params.set(name, value);
    }
    params.set('cursor', Buffer.from(`o${offset + limit}`).toString('base64url'));
    params.set('limit', String(limit));
    next = `/monitors?${params.toString()}`;
  }
  return send(exchange, '200', {
    headers: { Link: next === null ? undefined : `<${next}>; rel="next"` },
    body: { items, next },
  });
}

function decodeCursor(cursor: string): number | undefined {
  const decoded = /^o(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1];
  return decoded === undefined ? undefined : Number(decoded);
}
