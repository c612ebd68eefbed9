/**
 * The event-stream strategy: follow `GET /monitors/{id}/events` (server-sent events read with
 * `fetch`, so `Authorization` is sent), reopening it with `Last-Event-ID` after jittered backoff
 * from the stream's `retry:`, watching for a silent (half-open) connection, and handing each
 * monitor event to the session as the poll it saved.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import { clampDelay, EVENT_STREAM_MEDIA_TYPE, MonitorEventType } from '@longrun/openapi/contract';
import { backoffDelay } from '../backoff.ts';
import { ApiError, apiErrorFrom } from '../errors.ts';
import { isMonitor, isTerminal } from '../monitor-changes.ts';
import { type EventStreamItem, readEventStream } from '../read-event-stream.ts';
import { readJson } from '../read-json.ts';
import type { AnyMonitor } from '../types.ts';
import { transientStatus, type WaitSession } from './wait-session.ts';
import { nothingNew, type Step } from './wait-status.ts';

/** How one attempt to follow the event stream ended, when it did not end the wait. */
type StreamAttempt =
  | { kind: 'done'; step: Step }
  /** The server has no stream here (404, 405, 406, 415, or an answer that is not one). */
  | { kind: 'unavailable'; error: ApiError }
  /** `204`: the monitor has ended and nothing is left to send; a plain GET reads its outcome. */
  | { kind: 'ended' }
  /** A transient failure, or the stream dropped before the operation ended: reopen it. */
  | { kind: 'dropped'; error: ApiError; newEvents: boolean; retryAfterMs: number | undefined };

/** What the watch over one connection to the event stream tells (see `watchStream`). */
interface StreamWatch {
  /** Bytes came (the answer's head, a chunk of its body): the connection is alive now. */
  heard(): void;
  /** Why the watch aborted the connection, if it did. */
  ended(): 'deadline' | 'idle' | undefined;
}

/** Statuses that say "no event stream here": Not Found, Method Not Allowed, Not Acceptable, Unsupported Media Type. */
const noStreamStatus = (status: number) => status === 404 || status === 405 || status === 406 || status === 415;

/** The media type of a `Content-Type` without its parameters, lowercased. */
const mediaType = (contentType: string | null) => (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();

/** The status a poll of `monitor` would have answered with: 202 pending, 201 created, else 200. */
function monitorStatus(monitor: AnyMonitor): number {
  if (!isTerminal(monitor)) return 202;
  return monitor.state === 'succeeded' && monitor.links.product !== undefined ? 201 : 200;
}

/** The monitor an event's `data` holds, if it holds one. */
function monitorOf(data: string): AnyMonitor | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isMonitor(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The event stream to follow now, if any: the monitor's `links.events` once a monitor is in hand
 * (a wait resumed from a URL reads it first), while streams are on.
 */
export function eventStreamUrl(session: WaitSession): string | undefined {
  if (!session.followStreams || session.monitor === undefined || session.clock() < session.streamsPausedUntil)
    return undefined;
  const href = session.monitor.links.events?.href;
  if (href !== undefined) return new URL(href, session.monitorUrl).href;
  if (session.mode === 'sse') {
    const detail = `The monitor at ${session.monitorUrl} links no event stream (links.events); wait with mode 'auto'.`;
    throw new ApiError(detail, { url: session.monitorUrl });
  }
  return undefined;
}

/**
 * Follows the event stream until the operation ends, reopening it with `Last-Event-ID` when it
 * drops. Gives up after `maxRetries` + 1 attempts in a row that brought no new event: then, and
 * when the server has no stream, auto mode returns a pending step (the wait polls on) and sse mode
 * throws. After a `204` (nothing left to send) both return one, for a plain GET of the outcome.
 * A `429` (the server holds as many of the caller's streams as it will) returns one too, with the
 * stream paused until its `Retry-After`: the wait long-polls the monitor meanwhile.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection
 */
export async function followEventStream(session: WaitSession, url: string): Promise<Step> {
  for (let failures = 0; ; ) {
    const attempt = await streamOnce(session, url);
    if (attempt.kind === 'done') return attempt.step;
    if (attempt.kind === 'ended') {
      session.followStreams = false;
      return nothingNew;
    }
    if (attempt.kind === 'unavailable') {
      if (session.mode === 'sse') throw attempt.error;
      session.followStreams = false;
      return nothingNew;
    }
    if (attempt.error.status === 429) {
      // The server holds as many streams of this caller as it will (it says: close one, or poll
      // the monitor). Sleeping out its Retry-After would leave the change unseen meanwhile: the
      // wait long-polls the monitor until then, and asks for the stream again after.
      session.streamsPausedUntil =
        session.clock() +
        (attempt.retryAfterMs ??
          backoffDelay(0, {
            initialDelayMs: session.initialBackoffMs,
            maxDelayMs: session.bounds.maxDelayMs,
            random: session.random,
          }));
      return nothingNew;
    }
    // A stream that brought news was working: its drop starts a new count.
    failures = attempt.newEvents ? 1 : failures + 1;
    if (failures > session.maxRetries) {
      if (session.mode === 'sse') {
        throw new ApiError(`The event stream failed ${failures} times in a row: ${attempt.error.message}`, {
          status: attempt.error.status,
          problem: attempt.error.problem,
          cause: attempt.error,
          url,
          method: 'GET',
        });
      }
      session.followStreams = false;
      return nothingNew;
    }
    const pause =
      attempt.retryAfterMs ??
      backoffDelay(failures - 1, {
        initialDelayMs: session.reconnectMs ?? session.initialBackoffMs,
        maxDelayMs: session.bounds.maxDelayMs,
        random: session.random,
      });
    await session.sleep(clampDelay(pause, session.bounds));
  }
}

/**
 * Opens the event stream once and reads it until the operation ends or the stream does. The
 * connection is aborted when `signal` aborts (rejecting with its reason), at the deadline (a
 * {@link WaitTimeoutError}), when it stays silent for `streamIdleTimeoutMs` (a drop: it is
 * reopened), and whenever this returns or throws.
 */
export async function streamOnce(session: WaitSession, url: string): Promise<StreamAttempt> {
  session.signal?.throwIfAborted();
  if (session.deadline - session.clock() <= 0) throw session.timeout();
  const connection = new AbortController();
  const stop = () => connection.abort(session.signal?.reason);
  session.signal?.addEventListener('abort', stop, { once: true });
  const watch = watchStream(session, connection);
  /** Why the connection ended, when it was the caller or the deadline: that ends the wait. */
  const throwIfStopped = () => {
    session.signal?.throwIfAborted();
    if (watch.ended() === 'deadline') throw session.timeout();
  };
  const sentEventId = session.streamParser.lastEventId;
  let newEvents = false;
  /** A drop: the connection failed with `error`, or went silent (the watch cut it). */
  const dropped = (message: string, error: unknown): StreamAttempt => {
    const failure =
      watch.ended() === 'idle'
        ? new ApiError(
            `The event stream sent nothing for ${session.streamIdleTimeoutMs} ms, not even a keep-alive comment: taken for a dead connection.`,
            { cause: error, url, method: 'GET' },
          )
        : apiErrorFrom(undefined, undefined, message, error, url);
    return { kind: 'dropped', error: failure, newEvents, retryAfterMs: undefined };
  };
  try {
    const headers = new Headers({ Accept: EVENT_STREAM_MEDIA_TYPE });
    if (sentEventId !== '') headers.set('Last-Event-ID', sentEventId);
    let response: Response;
    try {
      response = await session.client.fetchLink(url, { headers, signal: connection.signal });
    } catch (error) {
      throwIfStopped();
      return dropped('Opening the event stream failed', error);
    }
    watch.heard();
    const isStream = response.ok && mediaType(response.headers.get('Content-Type')) === EVENT_STREAM_MEDIA_TYPE;
    if (response.status === 204) {
      await response.body?.cancel();
      return { kind: 'ended' };
    }
    if (!isStream || response.body === null) {
      const body = await readJson(response);
      const failure = apiErrorFrom(response, body, 'Opening the event stream failed', undefined, url);
      if (transientStatus(response.status)) {
        return { kind: 'dropped', error: failure, newEvents, retryAfterMs: session.retryAfter(response) };
      }
      if (response.ok || noStreamStatus(response.status)) {
        const type = mediaType(response.headers.get('Content-Type')) || 'no Content-Type';
        const why = response.ok ? `the answer is ${response.status} ${type}, not text/event-stream` : failure.message;
        return {
          kind: 'unavailable',
          error: new ApiError(`The monitor's event stream is unavailable: ${why}`, {
            status: response.status,
            problem: failure.problem,
            url,
            method: 'GET',
          }),
        };
      }
      throw failure;
    }

    const base = response.url || url;
    const items = readEventStream(response.body, {
      signal: connection.signal,
      parser: session.streamParser,
      onChunk: watch.heard,
    });
    try {
      for (;;) {
        let next: IteratorResult<EventStreamItem, void>;
        try {
          next = await items.next();
        } catch (error) {
          throwIfStopped();
          return dropped('The event stream broke', error);
        }
        if (next.done) break;
        const item = next.value;
        if (item.kind === 'retry') session.reconnectMs = item.ms;
        if (item.kind !== 'event' || item.type !== MonitorEventType.monitor) continue; // comments, other event types
        const monitor = monitorOf(item.data);
        if (monitor === undefined) continue;
        if (item.lastEventId !== sentEventId) newEvents = true;
        const step = await session.readMonitor(monitor, undefined, base, monitorStatus(monitor));
        if (step.done) return { kind: 'done', step };
      }
    } finally {
      await items.return();
    }
    throwIfStopped();
    const failure = new ApiError('The event stream ended before the operation did.', {
      status: response.status,
      url,
      method: 'GET',
    });
    return { kind: 'dropped', error: failure, newEvents, retryAfterMs: undefined };
  } finally {
    session.signal?.removeEventListener('abort', stop);
    connection.abort(); // closes the stream, stops the watch's timer
  }
}

/**
 * Watches an open stream: aborts `connection` at the deadline, or once no byte came for
 * `streamIdleTimeoutMs` (a half-open connection: it would otherwise hang until the deadline, or
 * forever). One `delay` at a time, until the nearer of the two; when bytes came meanwhile
 * ({@link StreamWatch.heard}) it sleeps again for what is left. Stops when the connection ends.
 */
export function watchStream(session: WaitSession, connection: AbortController): StreamWatch {
  let lastHeardAt = session.clock();
  let ended: 'deadline' | 'idle' | undefined;
  const watching = async () => {
    for (;;) {
      const now = session.clock();
      const untilDeadline = session.deadline - now;
      const untilIdle = lastHeardAt + session.streamIdleTimeoutMs - now;
      if (untilDeadline <= 0) ended = 'deadline';
      else if (untilIdle <= 0) ended = 'idle';
      if (ended !== undefined) break;
      const ms = Math.min(untilDeadline, untilIdle);
      if (ms === Number.POSITIVE_INFINITY) return; // no timeout, no idle watch
      await session.delay(ms, connection.signal); // rejects when the connection ends first
    }
    connection.abort();
  };
  watching().catch(() => {}); // the connection ended first
  return {
    heard: () => {
      lastHeardAt = session.clock();
    },
    ended: () => ended,
  };
}
