/**
 * Reading a `text/event-stream` body fed by `fetch` (`ReadableStream<Uint8Array>`): bytes decoded
 * as UTF-8, then parsed by `eventsource-parser` (the WHATWG "event stream interpretation": CR, LF
 * and CRLF line ends split anywhere, one leading BOM, multi-line `data:`, `id:` without U+0000,
 * digits-only `retry:`, comments). Works in browsers and Node ≥ 20: no Node module is imported.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One dispatched event. */
export interface EventStreamMessage {
  kind: 'event';
  /** The `event:` field, `'message'` when the event named none. */
  type: string;
  /** The `data:` lines joined by `\n`. */
  data: string;
  /** The last `id:` seen in the stream (it carries over to later events without one), `''` before any. */
  lastEventId: string;
}

/** A `retry:` field: the reconnection time the server advises, in milliseconds. */
export interface EventStreamRetry {
  kind: 'retry';
  ms: number;
}

/** A comment line (`: keep-alive`), without the colon and one leading space. */
export interface EventStreamComment {
  kind: 'comment';
  text: string;
}

/** What the parser yields, in stream order. */
export type EventStreamItem = EventStreamMessage | EventStreamRetry | EventStreamComment;

/**
 * An incremental event-stream parser: {@link EventStreamParser.feed} it decoded text, get the items
 * completed by that text. Keeps the last event ID, which the library reports per event block, across
 * events and reconnections, as `EventSource` does.
 *
 * @example
 * const parser = new EventStreamParser();
 * parser.feed('id: 7\nevent: monitor\nda'); // []
 * parser.feed('ta: {}\n\n'); // [{ kind: 'event', type: 'monitor', data: '{}', lastEventId: '7' }]
 */
export class EventStreamParser {
  /** Items completed by the text being fed. */
  #items: EventStreamItem[] = [];
  /** The last `id:` of this connection: a reconnection starts it empty, as the spec's buffer does. */
  #idBuffer = '';
  #lastEventId = '';
  readonly #parser: EventSourceParser = createParser({
    // Called at the end of each block that set an id, before its event: the spec's last event ID.
    onId: (id) => {
      this.#idBuffer = id;
      this.#lastEventId = id;
    },
    onEvent: (event) => {
      this.#lastEventId = this.#idBuffer;
      this.#items.push({
        kind: 'event',
        type: event.event ?? 'message',
        data: event.data,
        lastEventId: this.#lastEventId,
      });
    },
    onRetry: (ms) => {
      this.#items.push({ kind: 'retry', ms });
    },
    onComment: (text) => {
      this.#items.push({ kind: 'comment', text });
    },
  });

  /**
   * The ID of the last event dispatched (kept across {@link end}): what to send as `Last-Event-ID`
   * when reconnecting. An `id:` of an event the stream cut off does not count.
   */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** Parses the next piece of text; returns the items it completed. */
  feed(text: string): EventStreamItem[] {
    this.#parser.feed(text);
    const items = this.#items;
    this.#items = [];
    return items;
  }

  /**
   * The stream ended: an event without its closing blank line is discarded, as the spec requires.
   * The parser can then be fed the next stream (a reconnection): {@link lastEventId} is kept, the
   * buffers start empty.
   */
  end(): void {
    this.#parser.reset();
    this.#items = [];
    this.#idBuffer = '';
  }
}

/**
 * The items of a `text/event-stream` body, decoded as UTF-8 (invalid bytes become U+FFFD) and
 * parsed as they arrive. Ends when the body does; an event cut off by the end is dropped.
 *
 * When `signal` aborts, the body is cancelled and the iteration throws the signal's reason, even
 * while a read is pending (a body whose request ignores the signal is stopped all the same).
 * Leaving the loop early (`break`, `return`, a throw) cancels the body too.
 *
 * @param options.parser the parser to use; pass one to read its `lastEventId` afterwards
 * @param options.onChunk called as each chunk of bytes arrives, before it is parsed (a chunk may hold
 *   no whole item yet): lets a caller tell a silent connection from one still sending
 * @example
 * for await (const item of readEventStream(response.body, { signal })) if (item.kind === 'event') handle(item);
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
  options: {
    signal?: AbortSignal | undefined;
    parser?: EventStreamParser | undefined;
    onChunk?: (() => void) | undefined;
  } = {},
): AsyncGenerator<EventStreamItem, void, undefined> {
  const { signal, onChunk } = options;
  const parser = options.parser ?? new EventStreamParser();
  // The BOM is the parser's to drop (once, as the spec says); TextDecoder would drop it too.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  signal?.throwIfAborted();
  const reader = body.getReader();
  const cancel = () => {
    reader.cancel(signal?.reason).catch(() => {});
  };
  signal?.addEventListener('abort', cancel, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      onChunk?.();
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    yield* parser.feed(decoder.decode());
    finished = true;
  } finally {
    signal?.removeEventListener('abort', cancel);
    parser.end();
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
