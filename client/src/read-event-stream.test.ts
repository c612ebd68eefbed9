import { describe, expect, test } from 'vitest';
import { type EventStreamItem, EventStreamParser, readEventStream } from './read-event-stream.ts';

/** Everything the parser yields for `text` fed in one piece. */
function parse(text: string): EventStreamItem[] {
  return new EventStreamParser().feed(text);
}

/** Everything the parser yields for `text` fed in the given pieces. */
function parseChunks(chunks: readonly string[]): EventStreamItem[] {
  const parser = new EventStreamParser();
  return chunks.flatMap((chunk) => parser.feed(chunk));
}

const event = (data: string, type = 'message', lastEventId = ''): EventStreamItem => ({
  kind: 'event',
  type,
  data,
  lastEventId,
});

/** A body that delivers `chunks` one read at a time. */
function body(chunks: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const queue = chunks.map((chunk) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk));
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<EventStreamItem[]> {
  const items: EventStreamItem[] = [];
  for await (const item of readEventStream(stream)) items.push(item);
  return items;
}

/** The stream the server writes for one monitor: retry, two events, a keep-alive, the terminal event. */
const serverStream = [
  'retry: 2000\n\n',
  'id: 3\nevent: monitor\ndata: {"state":"running","progress":{"percent":10}}\n\n',
  ': keep-alive\n\n',
  'id: 4\nevent: monitor\ndata: {"state":"running","progress":{"percent":50,"message":"Déjà peint ✓"}}\n\n',
  'id: 5\nevent: monitor\ndata: {"state":"succeeded","progress":{"percent":100}}\n\n',
].join('');

const serverItems: EventStreamItem[] = [
  { kind: 'retry', ms: 2000 },
  event('{"state":"running","progress":{"percent":10}}', 'monitor', '3'),
  { kind: 'comment', text: 'keep-alive' },
  event('{"state":"running","progress":{"percent":50,"message":"Déjà peint ✓"}}', 'monitor', '4'),
  event('{"state":"succeeded","progress":{"percent":100}}', 'monitor', '5'),
];

describe('fields', () => {
  test('data lines are joined with LF, and the final LF is dropped', () => {
    expect(parse('data: first\ndata: second\ndata\ndata:\n\n')).toEqual([event('first\nsecond\n\n')]);
  });

  test('one space after the colon is dropped, no more; a line without a colon is a field with an empty value', () => {
    expect(parse('data:no space\n\ndata:  two spaces\n\ndata\n\n')).toEqual([
      event('no space'),
      event(' two spaces'),
      event(''),
    ]);
  });

  test('the value keeps any further colons', () => {
    expect(parse('data: {"a":"b:c"}\n\n')).toEqual([event('{"a":"b:c"}')]);
  });

  test('event: names the type, which resets after each event; without one it is "message"', () => {
    expect(parse('event: monitor\ndata: a\n\ndata: b\n\n')).toEqual([event('a', 'monitor'), event('b')]);
  });

  test('id: carries over to later events until the next id:', () => {
    expect(parse('id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: c\n\nid\ndata: d\n\n')).toEqual([
      event('a', 'message', '7'),
      event('b', 'message', '7'),
      event('c', 'message', '8'),
      event('d', 'message', ''),
    ]);
  });

  test('an id: containing U+0000 is ignored', () => {
    expect(parse('id: 1\n\nid: 2\0x\ndata: a\n\n')).toEqual([event('a', 'message', '1')]);
  });

  test('an event without data is not dispatched, but its id: still becomes the last event ID', () => {
    const parser = new EventStreamParser();
    expect(parser.feed('id: 9\nevent: monitor\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('9');
    expect(parser.feed('data: x\n\n')).toEqual([event('x', 'message', '9')]);
  });

  test('retry: with ASCII digits only is reported; anything else is ignored', () => {
    expect(parse('retry: 1500\nretry: 15s\nretry:\nretry: -1\nretry: 1.5\nretry:0\n')).toEqual([
      { kind: 'retry', ms: 1500 },
      { kind: 'retry', ms: 0 },
    ]);
  });

  test('comments are reported without the colon and one space; unknown fields are ignored', () => {
    expect(parse(': keep-alive\n:x\nfoo: bar\nData: no\ndata: yes\n\n')).toEqual([
      { kind: 'comment', text: 'keep-alive' },
      { kind: 'comment', text: 'x' },
      event('yes'),
    ]);
  });

  test('field names are case-sensitive and need the exact name', () => {
    expect(parse('EVENT: x\nevents: y\ndata: z\n\n')).toEqual([event('z')]);
  });
});

describe('line endings and framing', () => {
  test.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('%s ends lines', (_name, eol) => {
    expect(parse(serverStream.replaceAll('\n', eol))).toEqual(serverItems);
  });

  test('line endings may be mixed in one stream', () => {
    expect(parse('data: a\rdata: b\r\ndata: c\n\r\n')).toEqual([event('a\nb\nc')]);
  });

  test('CR CR is two line ends (an empty line), not one', () => {
    expect(parse('data: a\r\rdata: b\r\r')).toEqual([event('a'), event('b')]);
  });

  test('one leading BOM is dropped; a second one is part of the first line', () => {
    expect(parse('\uFEFFdata: a\n\n')).toEqual([event('a')]);
    // The second BOM makes the first field name "\uFEFFdata", an unknown field.
    expect(parse('\uFEFF\uFEFFdata: a\n\ndata: b\n\n')).toEqual([event('b')]);
  });

  test('a BOM later in the stream is kept as data', () => {
    expect(parse('data: \uFEFFa\n\n')).toEqual([event('\uFEFFa')]);
  });

  test('an event the stream cut off is not dispatched, and the next stream starts clean', () => {
    const parser = new EventStreamParser();
    expect(parser.feed('id: 4\ndata: complete\n\nid: 5\nevent: monitor\ndata: cut off')).toEqual([
      event('complete', 'message', '4'),
    ]);
    parser.end();
    expect(parser.lastEventId).toBe('4'); // what to send as Last-Event-ID
    expect(parser.feed('\uFEFFdata: next\n\n')).toEqual([event('next', 'message', '')]);
  });

  test('text fed after the last line end waits for its line to end', () => {
    const parser = new EventStreamParser();
    expect(parser.feed('data: a\n')).toEqual([]);
    expect(parser.feed('')).toEqual([]);
    expect(parser.feed('\n')).toEqual([event('a')]);
  });
});

describe('chunk boundaries', () => {
  const samples = {
    lf: serverStream,
    crlf: serverStream.replaceAll('\n', '\r\n'),
    cr: serverStream.replaceAll('\n', '\r'),
    bom: `\uFEFF${serverStream.replaceAll('\n', '\r\n')}`,
  };

  test.each(Object.entries(samples))(
    '%s: every split into two pieces, and every split into three, gives the same items',
    (_name, text) => {
      const whole = parse(text);
      for (let i = 0; i <= text.length; i++) {
        expect(parseChunks([text.slice(0, i), text.slice(i)])).toEqual(whole);
      }
      // Three pieces: every first cut, with second cuts 7 characters apart (O(n²/7) parses of ~300 characters).
      for (let i = 0; i <= text.length; i++) {
        for (let j = i; j <= text.length; j += 7) {
          expect(parseChunks([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(whole);
        }
      }
    },
  );

  test.each(Object.entries(samples))('%s: one character at a time gives the same items', (_name, text) => {
    expect(parseChunks([...text])).toEqual(parse(text));
  });

  test('a CR ending one chunk and a LF starting the next are one line end', () => {
    expect(parseChunks(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([event('a\nb')]);
  });

  test('a CR ending one chunk followed by an empty chunk and then a LF is still one line end', () => {
    expect(parseChunks(['data: a\r', '', '\n\r\n'])).toEqual([event('a')]);
  });
});

describe('readEventStream: a fetch body', () => {
  test('decodes UTF-8 and parses the items as they come', async () => {
    expect(await collect(body([serverStream]))).toEqual(serverItems);
  });

  test('bytes split anywhere, even inside a multi-byte character or the BOM, give the same items', async () => {
    const bytes = new TextEncoder().encode(`\uFEFF${serverStream.replaceAll('\n', '\r\n')}`);
    for (let i = 0; i <= bytes.length; i++) {
      for (const j of [i, i + 1, i + 2, i + 3]) {
        if (j > bytes.length) continue;
        const items = await collect(body([bytes.slice(0, i), bytes.slice(i, j), bytes.slice(j)]));
        expect(items).toEqual(serverItems);
      }
    }
  });

  test('invalid UTF-8 becomes U+FFFD instead of failing the stream', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('data: a'), 0xff, 0x0a, 0x0a]);
    expect(await collect(body([bytes]))).toEqual([event('a\uFFFD')]);
  });

  test('an event the body cut off is dropped', async () => {
    expect(await collect(body(['data: a\n\ndata: b']))).toEqual([event('a')]);
  });

  test('the parser passed in keeps the last event ID for the reconnection', async () => {
    const parser = new EventStreamParser();
    for await (const _ of readEventStream(body(['id: 41\ndata: a\n\nid: 42\ndata: cut']), { parser })) {
      // drain
    }
    expect(parser.lastEventId).toBe('41');
  });

  test('onChunk hears every chunk as it arrives, before it is parsed, even one that completes no item', async () => {
    const heard: string[] = [];
    const seen: string[] = [];
    const chunks = [': keep-alive\n\n', 'data: hal', 'f\n\n'];
    for await (const item of readEventStream(body(chunks), {
      onChunk: () => heard.push(`chunk ${heard.length + 1}`),
    })) {
      seen.push(`${heard.length}: ${item.kind}`);
    }
    expect(heard).toEqual(['chunk 1', 'chunk 2', 'chunk 3']);
    expect(seen).toEqual(['1: comment', '3: event']);
  });

  test('an abort cancels the body while a read is pending, and the loop throws the reason', async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: a\n\n'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const controller = new AbortController();
    const seen: EventStreamItem[] = [];
    const reading = (async () => {
      for await (const item of readEventStream(stream, { signal: controller.signal })) {
        seen.push(item);
        controller.abort(new Error('stop'));
      }
    })();
    await expect(reading).rejects.toThrow('stop');
    expect(seen).toEqual([event('a')]);
    expect(cancelled).toMatchObject({ message: 'stop' });
  });

  test('an aborted signal throws before reading', async () => {
    const reading = readEventStream(body(['data: a\n\n']), { signal: AbortSignal.abort(new Error('gone')) });
    await expect(reading.next()).rejects.toThrow('gone');
  });

  test('leaving the loop early cancels the body', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: again\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const item of readEventStream(stream)) {
      expect(item).toEqual(event('again'));
      break;
    }
    expect(cancelled).toBe(true);
  });

  test('an error of the body reaches the loop', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: a\n\n'));
        controller.error(new TypeError('terminated'));
      },
    });
    const reading = (async () => {
      for await (const _ of readEventStream(stream)) {
        // drain
      }
    })();
    await expect(reading).rejects.toThrow('terminated');
  });
});
