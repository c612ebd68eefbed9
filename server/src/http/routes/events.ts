/**
 * `GET /monitors/{monitorId}/events`: the monitor's changes as server-sent events, resumable with
 * `Last-Event-ID`, closed after the terminal event; `204` when there is nothing more to send;
 * `406` to a client whose `Accept` does not take `text/event-stream`.
 *
 * @see ../../push/sse-stream.ts
 * Contract: "The monitor" of the async contract, as openapi/openapi.yaml states it.
 */
import { EVENT_STREAM_MEDIA_TYPE } from '@longrun/openapi/contract';
import { acceptsEventStream } from '@longrun/openapi/contract/accept';
import { isTerminal } from '../../operations/state.ts';
import type { PushOptions } from '../../push/push-settings.ts';
import { DEFAULT_KEEP_ALIVE_MS, DEFAULT_RECONNECT_MS, monitorEventStream } from '../../push/sse-stream.ts';
import { linkHeader } from '../headers.ts';
import type { HttpContext } from '../http-context.ts';
import { monitorHref } from '../monitor-view.ts';
import { HttpProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

/** The routes of the monitors' event streams. */
export function eventRoutes(
  context: HttpContext,
  settings: Pick<PushOptions, 'keepAliveMs' | 'reconnectMs' | 'maxStreamsPerTenant'> = {},
): RouteDefinition[] {
  const { engine } = context;
  const maxStreams = settings.maxStreamsPerTenant ?? 100;
  /** Open streams per tenant, in this process. */
  const open = new Map<string, number>();

  return [
    defineRoute('/monitors/{monitorId}/events', 'get', async (request) => {
      const { tenant, params } = request;
      // The stream is the one representation here: a client that takes only JSON would get bytes it
      // cannot read, so it is told (406) and pointed at the monitor, which is JSON.
      if (!acceptsEventStream(request.header('accept'))) {
        throw new HttpProblem('not-acceptable', {
          detail: `The events are sent as ${EVENT_STREAM_MEDIA_TYPE} only; accept it, or read the monitor at ${monitorHref(params.monitorId)}.`,
        });
      }
      const lastEventId = request.header('last-event-id');
      // The spec allows digits only; the validator has refused anything else.
      const since = lastEventId === undefined ? undefined : Number(lastEventId);
      const operation = await engine.get(tenant, params.monitorId);
      if (operation === undefined) throw new HttpProblem('not-found', { detail: `No monitor ${params.monitorId}.` });
      // Ended, and the client has its last version: 204 tells an EventSource to stop reconnecting.
      if (isTerminal(operation.state) && since !== undefined && since >= operation.version) return { status: 204 };

      const streams = open.get(tenant) ?? 0;
      if (streams >= maxStreams) {
        throw new HttpProblem('too-many-requests', {
          detail: `At most ${maxStreams} event streams may be open at once; close one or poll the monitor.`,
          headers: { 'Retry-After': '5' },
        });
      }
      open.set(tenant, streams + 1);
      const signal = request.signal;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (open.get(tenant) ?? 1) - 1;
        if (left > 0) open.set(tenant, left);
        else open.delete(tenant);
      };
      // The stream may end by itself (terminal event) or with the client; either releases once.
      signal.addEventListener('abort', release, { once: true });
      const frames = monitorEventStream({
        operationId: operation.id,
        read: () => engine.get(tenant, operation.id),
        subscribe: (id, listener) => engine.subscribe(id, listener),
        render: context.toMonitor,
        lastEventId: since,
        signal,
        keepAliveMs: settings.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS,
        retryMs: settings.reconnectMs ?? DEFAULT_RECONNECT_MS,
      });
      return {
        status: 200,
        headers: {
          'Content-Type': EVENT_STREAM_MEDIA_TYPE,
          'Cache-Control': 'no-store',
          // Asks nginx-style proxies not to buffer the stream.
          'X-Accel-Buffering': 'no',
          Link: linkHeader(monitorHref(operation.id), 'monitor'),
        },
        body: releasing(frames, release),
      };
    }),
  ];
}

/** `frames`, calling `release` when they end. */
async function* releasing(
  frames: AsyncGenerator<string, void, undefined>,
  release: () => void,
): AsyncGenerator<string, void, undefined> {
  try {
    yield* frames;
  } finally {
    release();
  }
}
