/**
 * A minimal `text/event-stream` reader over `fetch`, for tests: it sends `Authorization` (which
 * the browser's EventSource cannot) and `Last-Event-ID`, and parses events as the WHATWG
 * "event stream interpretation" does (fields, comments, blank-line dispatch).
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

/** One parsed event, or a comment line. */
export type StreamItem =
  | { kind: 'event'; id: string | undefined; event: string; data: string }
  | { kind: 'comment'; text: string }
  | { kind: 'retry'; ms: number };

/** An open event stream. */
export interface EventStreamReader {
  readonly response: Response;
  /** The next item, or undefined once the server ended the stream. */
  next(): Promise<StreamItem | undefined>;
  /** The next event (skipping comments and `retry:`), or undefined at the end. */
  nextEvent(): Promise<Extract<StreamItem, { kind: 'event' }> | undefined>;
  /** Disconnects, as a client that goes away. */
  close(): Promise<void>;
}

/** Opens `url` as an event stream with `headers`; the response is returned whatever its status. */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let ended = false;
  const pending: StreamItem[] = [];
  let fields: { id?: string; event?: string; data: string[] } = { data: [] };

  const parseLine = (line: string) => {
    if (line === '') {
      if (fields.data.length > 0) {
        pending.push({ kind: 'event', id: fields.id, event: fields.event ?? 'message', data: fields.data.join('\n') });
      }
      fields = { data: [] };
      return;
    }
    if (line.startsWith(':')) {
      pending.push({ kind: 'comment', text: line.slice(1).trim() });
      return;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') fields.data.push(value);
    else if (name === 'event') fields.event = value;
    else if (name === 'id') fields.id = value;
    else if (name === 'retry' && /^\d+$/.test(value)) pending.push({ kind: 'retry', ms: Number(value) });
  };

  const next = async (): Promise<StreamItem | undefined> => {
    while (pending.length === 0) {
      if (ended || reader === undefined) return undefined;
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) {
        ended = true;
        continue;
      }
      buffer += chunk.value;
      let newline = buffer.search(/\r\n|\r|\n/);
      while (newline !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(buffer.startsWith('\r\n', newline) ? newline + 2 : newline + 1);
        parseLine(line);
        newline = buffer.search(/\r\n|\r|\n/);
      }
    }
    return pending.shift();
  };

  return {
    response,
    next,
    async nextEvent() {
      for (let item = await next(); item !== undefined; item = await next()) {
        if (item.kind === 'event') return item;
      }
      return undefined;
    },
    async close() {
      controller.abort();
      await reader?.cancel().catch(() => undefined);
    },
  };
}
