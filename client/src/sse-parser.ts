/**
 * Reading a `text/event-stream` body: a small parser that follows the WHATWG "event stream
 * interpretation" rules, fed by a `fetch` body (`ReadableStream<Uint8Array>`) through `TextDecoder`.
 * Works in browsers and Node ≥ 20: no Node module is imported.
 *
 * The parser is fed text in chunks of any size (a chunk may end inside a line, between the CR and
 * LF of a CRLF, or, on the byte level, inside a UTF-8 sequence) and yields each item as soon as its
 * line is complete.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

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

const lineBreak = /\r\n|\r|\n/g;
const asciiDigits = /^[0-9]+$/;

/**
 * An incremental event-stream parser: {@link EventStreamParser.feed} it decoded text, get the items
 * completed by that text.
 *
 * @example
 * const parser = new EventStreamParser();
 * parser.feed('id: 7\nevent: monitor\nda'); // []
 * parser.feed('ta: {}\n\n'); // [{ kind: 'event', type: 'monitor', data: '{}', lastEventId: '7' }]
 */
export class EventStreamParser {
  /** The part of a line not ended yet. */
  #partialLine = '';
  /** The previous chunk ended with a CR: a LF starting the next one belongs to it (CRLF). */
  #afterCarriageReturn = false;
  /** Whether any text came yet (a leading BOM is dropped once). */
  #started = false;
  #data = '';
  #eventType = '';
  /** The `id:` of the event being read; becomes the last event ID when the event is dispatched. */
  #idBuffer = '';
  #lastEventId = '';

  /**
   * The ID of the last event dispatched (kept across {@link end}): what to send as `Last-Event-ID`
   * when reconnecting. An `id:` of an event the stream cut off does not count.
   */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** Parses the next piece of text; returns the items it completed. */
  feed(text: string): EventStreamItem[] {
    if (text === '') return [];
    let chunk = text;
    if (!this.#started) {
      this.#started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (this.#afterCarriageReturn) {
      this.#afterCarriageReturn = false;
      if (chunk.charCodeAt(0) === 0x0a) chunk = chunk.slice(1);
    }
    const items: EventStreamItem[] = [];
    let start = 0;
    lineBreak.lastIndex = 0;
    for (let match = lineBreak.exec(chunk); match !== null; match = lineBreak.exec(chunk)) {
      const line = this.#partialLine + chunk.slice(start, match.index);
      this.#partialLine = '';
      start = match.index + match[0].length;
      // A CR that ends the chunk may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && start === chunk.length) this.#afterCarriageReturn = true;
      this.#processLine(line, items);
    }
    this.#partialLine += chunk.slice(start);
    return items;
  }

  /**
   * The stream ended: an event without its closing blank line is discarded, as the spec requires.
   * The parser can then be fed the next stream (a reconnection): {@link lastEventId} is kept, the
   * buffers start empty.
   */
  end(): void {
    this.#partialLine = '';
    this.#afterCarriageReturn = false;
    this.#started = false;
    this.#data = '';
    this.#eventType = '';
    this.#idBuffer = '';
  }

  #processLine(line: string, items: EventStreamItem[]): void {
    if (line === '') {
      this.#dispatch(items);
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      items.push({ kind: 'comment', text: line.slice(line.charCodeAt(1) === 0x20 ? 2 : 1) });
      return;
    }
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#eventType = value;
        break;
      case 'data':
        this.#data += `${value}\n`;
        break;
      case 'id':
        // An id with U+0000 is ignored (it could not be sent back in a header).
        if (!value.includes('\0')) this.#idBuffer = value;
        break;
      case 'retry':
        if (asciiDigits.test(value)) items.push({ kind: 'retry', ms: Number.parseInt(value, 10) });
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
  }

  #dispatch(items: EventStreamItem[]): void {
    this.#lastEventId = this.#idBuffer;
    const data = this.#data;
    const type = this.#eventType;
    this.#data = '';
    this.#eventType = '';
    // A blank line after no data dispatches nothing (but it did set the last event ID).
    if (data === '') return;
    items.push({
      kind: 'event',
      type: type === '' ? 'message' : type,
      data: data.slice(0, -1),
      lastEventId: this.#lastEventId,
    });
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
