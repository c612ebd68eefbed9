/**
 * waitFor's event-stream branch (modes 'auto' and 'sse') against a scripted fetch whose answers are
 * `text/event-stream` bodies built from ReadableStreams. Nothing sleeps: pauses go through the fake
 * clock, a stream that "hangs" is a body whose next read never comes until it is cancelled, and the
 * watch over an open stream (deadline, silence) fires only when a test says so.
 */
import { describe, expect, test } from 'vitest';
import { createClient } from './create-client.ts';
import { ApiError, OperationCancelledError, OperationFailedError, WaitTimeoutError } from './errors.ts';
import { fakeTime, json, type MonitorFields, monitor, type ScriptedAnswer, scriptedFetch } from './testing/fake-api.ts';
import type { AnyMonitor } from './types.ts';
import { type WaitOptions, waitFor } from './wait-for.ts';

const api = 'https://api.test';
const monitorPath = '/monitors/op_01JABCDEF0123456789ABCDEFG';
const monitorUrl = `${api}${monitorPath}`;
const eventsUrl = `${monitorUrl}/events`;
const carPath = '/cars/car_01JABCDEF0123456789ABCDEFH';
const car = { id: 'car_01JABCDEF0123456789ABCDEFH', brand: 'Ford', vin: '1FA6P8TH0E5123456' };

/** A monitor that links its event stream, as the server renders it. */
function linked(fields: MonitorFields = {}): AnyMonitor {
  const base = monitor(fields);
  return { ...base, links: { ...base.links, events: { href: `${monitorPath}/events` } } } as AnyMonitor;
}
const queued = () => linked({ state: 'queued' });
const running = (percent: number, message?: string) =>
  linked({ state: 'running', percent, ...(message === undefined ? {} : { message }) });
const succeeded = (fields: MonitorFields = {}) =>
  linked({ state: 'succeeded', percent: 100, product: carPath, ...fields });

/** One `monitor` event as the server writes it. */
const frame = (version: number, body: AnyMonitor) =>
  `id: ${version}\nevent: monitor\ndata: ${JSON.stringify(body)}\n\n`;

/** What a test stream did: whether the client cancelled its body, and why. */
interface StreamProbe {
  cancelled: boolean;
  reason: unknown;
  /** Settles once a `'hang'` stream has sent everything and the client waits for more. */
  silent: Promise<void>;
}

/**
 * A `text/event-stream` answer delivering `frames` one read at a time, then closing (`'close'`), failing
 * (an Error: the connection dropped) or never sending anything more (`'hang'`). Each chunk is made
 * when the client reads (no read-ahead), so `probe.silent` means the client has handled every frame.
 */
function eventStream(
  frames: readonly string[],
  end: 'close' | 'hang' | Error = 'close',
  headers: Record<string, string> = {},
): { response: Response; probe: StreamProbe } {
  let fallSilent = () => {};
  const probe: StreamProbe = {
    cancelled: false,
    reason: undefined,
    silent: new Promise<void>((resolve) => {
      fallSilent = resolve;
    }),
  };
  const queue = [...frames];
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = queue.shift();
        if (next !== undefined) controller.enqueue(encoder.encode(next));
        else if (end === 'close') controller.close();
        else if (end instanceof Error) controller.error(end);
        else {
          fallSilent();
          return new Promise<void>(() => {}); // no more reads come
        }
        return undefined;
      },
      cancel(reason) {
        probe.cancelled = true;
        probe.reason = reason;
      },
    },
    { highWaterMark: 0 },
  );
  const response = new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream', ...headers } });
  return { response, probe };
}

/** A `text/event-stream` answer that sends what the test tells it to, when it tells it to. */
function liveEventStream(): { response: Response; probe: StreamProbe; send(text: string): void } {
  const probe: StreamProbe = { cancelled: false, reason: undefined, silent: Promise.resolve() };
  const encoder = new TextEncoder();
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel(reason) {
      probe.cancelled = true;
      probe.reason = reason;
    },
  });
  const response = new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  return { response, probe, send: (text) => controller?.enqueue(encoder.encode(text)) };
}

/** Lets everything that is not waiting on time happen (a turn of the event loop; nothing sleeps). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Fake time for waits on a stream. A pause (`delay` without a signal, or with the wait's own
 * `signal`) passes at once, moves the clock and is recorded in `delays`. The watch over an open
 * stream (`delay` with the connection's signal: the deadline, the silence) is recorded in `watches`
 * and lasts until `expire()` (the clock then moves to when it was due, if not past that already),
 * or until the connection ends.
 */
function streamTime(pauseSignal: () => AbortSignal | undefined) {
  const time = fakeTime();
  const delays: number[] = [];
  const watches: number[] = [];
  let expire = () => {};
  const delay = async (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    if (signal === undefined || signal === pauseSignal()) {
      delays.push(ms);
      time.advance(ms);
      return;
    }
    watches.push(ms);
    const dueAt = time.clock() + ms;
    await new Promise<void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      expire = () => {
        expire = () => {};
        time.advance(Math.max(0, dueAt - time.clock()));
        resolve();
      };
    });
  };
  return { delay, clock: time.clock, advance: time.advance, delays, watches, expire: () => expire() };
}

/** The answer openapi-fetch returns for POST /cars. */
function accepted(body: AnyMonitor = queued()) {
  const response = json(202, body, {
    Location: monitorPath,
    Link: `<${monitorPath}>; rel="monitor"`,
    'Retry-After': '1',
    ETag: '"op.1"',
  });
  return { data: body, response };
}

function setup(answers: ScriptedAnswer[], options: WaitOptions = {}) {
  const server = scriptedFetch(answers);
  const time = streamTime(() => waitOptions.signal);
  const client = createClient({ baseUrl: api, apiKey: 'secret', fetch: server.fetch });
  const progress: AnyMonitor[] = [];
  const waitOptions: WaitOptions = {
    delay: time.delay,
    clock: time.clock,
    random: () => 0.5,
    onProgress: (m) => progress.push(m),
    ...options,
  };
  const seen = () => progress.map((m) => `${m.state} ${m.progress.percent}`);
  const requests = () => server.requests.map((r) => `${r.method} ${r.url}`);
  return { server, time, client, progress, seen, requests, waitOptions };
}

describe('auto mode follows the event stream the monitor links', () => {
  test('one stream request, then the product: every change reported once, no pause', async () => {
    const stream = eventStream([
      'retry: 2000\n\n',
      frame(1, queued()), // the stream starts with the monitor as it is: already seen in the 202
      frame(2, running(0)),
      ': keep-alive\n\n',
      frame(3, running(40, 'Painting')),
      frame(4, { ...running(40, 'Painting'), updatedAt: '2026-11-22T10:00:03.000Z' } as AnyMonitor), // only a timestamp
      frame(5, succeeded()),
    ]);
    const { server, time, client, seen, requests, waitOptions } = setup([stream.response, json(200, car)]);

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);

    expect(requests()).toEqual([`GET ${eventsUrl}`, `GET ${api}${carPath}`]);
    const [streamRequest] = server.requests;
    expect(streamRequest?.headers.get('Accept')).toBe('text/event-stream');
    expect(streamRequest?.headers.get('Authorization')).toBe('Bearer secret');
    expect(streamRequest?.headers.get('Last-Event-ID')).toBeNull();
    expect(server.requests[1]?.headers.get('Authorization')).toBe('Bearer secret');
    expect(seen()).toEqual(['queued 0', 'running 0', 'running 40', 'succeeded 100']);
    expect(time.delays).toEqual([]);
  });

  test('a car’s 30 progress ticks cost no extra request: stream + product', async () => {
    const frames = [frame(1, queued())];
    for (let percent = 0; percent < 100; percent += 3.5) frames.push(frame(frames.length + 1, running(percent)));
    frames.push(frame(frames.length + 1, succeeded()));
    const { server, seen, waitOptions, client } = setup([eventStream(frames).response, json(200, car)]);

    await waitFor(client, accepted(), waitOptions);
    expect(frames.length).toBeGreaterThanOrEqual(30);
    expect(server.requests).toHaveLength(2);
    expect(seen()).toHaveLength(frames.length);
  });

  test('the stream is also used when the wait resumes from a URL, after one plain GET of the monitor', async () => {
    const { server, requests, client, waitOptions } = setup([
      json(202, running(70), { ETag: '"op.7"' }),
      eventStream([frame(7, running(70)), frame(8, succeeded())]).response,
      json(200, car),
    ]);
    await expect(waitFor(client, monitorPath, waitOptions)).resolves.toEqual(car);
    expect(requests()).toEqual([`GET ${monitorUrl}`, `GET ${eventsUrl}`, `GET ${api}${carPath}`]);
    expect(server.requests[0]?.headers.get('Prefer')).toBeNull();
  });

  test('a monitor without links.events is long-polled as before', async () => {
    const { server, client, waitOptions } = setup([
      json(200, monitor({ state: 'succeeded', percent: 100, result: { ok: true } }), {
        'Preference-Applied': 'wait=30',
      }),
    ]);
    await expect(waitFor(client, accepted(monitor({ state: 'queued' })), waitOptions)).resolves.toEqual({ ok: true });
    expect(server.requests.map((r) => [r.url, r.headers.get('Prefer')])).toEqual([[monitorUrl, 'wait=30']]);
  });

  test('events of other types, comments and data that is no monitor are ignored', async () => {
    const { client, seen, waitOptions } = setup([
      eventStream([
        ': hello\n\n',
        'event: notice\ndata: {"state":"succeeded"}\n\n',
        'data: {"id":"op_1","kind":"car.create","state":"succeeded"}\n\n', // a plain "message" event
        'id: 2\nevent: monitor\ndata: not json\n\n',
        'id: 3\nevent: monitor\ndata: {"hello":"world"}\n\n',
        frame(4, running(50)),
        frame(5, succeeded({ product: undefined, kind: 'reindex', result: { documentsIndexed: 3 } })),
      ]).response,
    ]);
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual({ documentsIndexed: 3 });
    expect(seen()).toEqual(['queued 0', 'running 50', 'succeeded 100']);
  });
});

describe('outcomes read from the stream follow the same rules as polling', () => {
  const problem = {
    type: 'https://longrun.dev/problems/operation-failed',
    title: 'The operation failed',
    status: 500,
    detail: 'The paint shop is on fire.',
  };

  test('failed → OperationFailedError with the monitor’s problem, and no further request', async () => {
    const failed = linked({ state: 'failed', percent: 40, error: problem });
    const { server, client, waitOptions } = setup([eventStream([frame(2, running(40)), frame(3, failed)]).response]);
    const error = await waitFor(client, accepted(), { ...waitOptions, mode: 'sse' }).catch((e) => e);
    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toMatchObject({ status: 500, problem, monitor: failed });
    expect(server.requests).toHaveLength(1);
  });

  test('cancelled → OperationCancelledError, with the 200 a poll would have answered', async () => {
    const cancelled = linked({ state: 'cancelled', percent: 40 });
    const { client, waitOptions } = setup([eventStream([frame(3, cancelled)]).response]);
    const error = await waitFor(client, accepted(), { ...waitOptions, mode: 'sse' }).catch((e) => e);
    expect(error).toBeInstanceOf(OperationCancelledError);
    expect(error).toMatchObject({ status: 200, monitor: cancelled });
  });

  test('an inline result is the outcome, with no further request', async () => {
    const { server, client, waitOptions } = setup([
      eventStream([frame(3, succeeded({ kind: 'reindex', product: undefined, result: { scope: 'all' } }))]).response,
    ]);
    await expect(waitFor(client, accepted(), { ...waitOptions, mode: 'sse' })).resolves.toEqual({ scope: 'all' });
    expect(server.requests).toHaveLength(1);
  });

  test('the product is read with the API key, relative to the stream’s URL', async () => {
    const { server, client, waitOptions } = setup([eventStream([frame(3, succeeded())]).response, json(200, car)]);
    await waitFor(client, accepted(), { ...waitOptions, mode: 'sse' });
    expect(server.requests[1]).toMatchObject({ method: 'GET', url: `${api}${carPath}` });
    expect(server.requests[1]?.headers.get('Authorization')).toBe('Bearer secret');
  });
});

describe('a dropped stream is reopened with Last-Event-ID', () => {
  test('after the stream closes early: Last-Event-ID is the last id received, the pause is jittered from retry:', async () => {
    const { server, time, client, seen, waitOptions } = setup([
      eventStream([
        'retry: 1000\n\n',
        frame(2, running(10)),
        frame(3, running(20)),
        'id: 4\nevent: monitor\ndata: {"cut',
      ]).response,
      eventStream([frame(5, running(60)), frame(6, succeeded())]).response,
      json(200, car),
    ]);

    await expect(waitFor(client, accepted(), { ...waitOptions, mode: 'sse' })).resolves.toEqual(car);
    expect(server.requests.map((r) => [r.url, r.headers.get('Last-Event-ID')])).toEqual([
      [eventsUrl, null],
      [eventsUrl, '3'], // the event cut off (id 4) does not count
      [`${api}${carPath}`, null],
    ]);
    expect(time.delays).toEqual([750]); // equal jitter of 1000 ms with random 0.5
    expect(seen()).toEqual(['queued 0', 'running 10', 'running 20', 'running 60', 'succeeded 100']);
  });

  test('after the connection breaks mid-stream (a network error while reading)', async () => {
    const { server, client, waitOptions } = setup([
      eventStream([frame(2, running(10))], new TypeError('terminated')).response,
      eventStream([frame(3, succeeded())]).response,
      json(200, car),
    ]);
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => r.headers.get('Last-Event-ID'))).toEqual([null, '2', null]);
  });

  test('without a retry: field the pause starts from initialBackoffMs and grows while nothing new comes', async () => {
    const { time, client, waitOptions } = setup(
      [
        eventStream([frame(2, running(10))]).response,
        eventStream([]).response,
        new TypeError('fetch failed'),
        eventStream([frame(3, succeeded())]).response,
        json(200, car),
      ],
      { mode: 'sse', initialBackoffMs: 400, minDelayMs: 100 },
    );
    await waitFor(client, accepted(), waitOptions);
    // failures 1 (a stream with news dropped), 2, 3: 400, 800, 1600 with equal jitter at 0.5.
    expect(time.delays).toEqual([300, 600, 1200]);
  });

  test('a 503 on reopening waits its Retry-After', async () => {
    const unavailable = json(
      503,
      { type: 'about:blank', title: 'Service Unavailable', status: 503 },
      { 'Retry-After': '7' },
    );
    const { time, client, waitOptions } = setup([
      eventStream([frame(2, running(10))]).response,
      unavailable,
      eventStream([frame(3, succeeded())]).response,
      json(200, car),
    ]);
    await expect(waitFor(client, accepted(), { ...waitOptions, mode: 'sse' })).resolves.toEqual(car);
    expect(time.delays).toEqual([375, 7000]); // the drop: jittered 500 ms; the 503: its Retry-After
  });

  test('streams that keep bringing news are reopened however often they drop', async () => {
    const answers: ScriptedAnswer[] = [];
    for (let version = 2; version < 10; version++)
      answers.push(eventStream([frame(version, running(version * 10))]).response);
    answers.push(eventStream([frame(10, succeeded())]).response, json(200, car));
    const { server, client, waitOptions } = setup(answers, { mode: 'sse', maxRetries: 1 });

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests).toHaveLength(10);
  });
});

describe('a silent stream (a half-open connection) is taken for dead after streamIdleTimeoutMs', () => {
  test('no byte for 45 s: the stream is closed and reopened with Last-Event-ID, like a drop', async () => {
    const silent = eventStream([frame(2, running(10))], 'hang');
    const { server, time, client, seen, waitOptions } = setup(
      [silent.response, eventStream([frame(3, succeeded())]).response, json(200, car)],
      { mode: 'sse' },
    );
    silent.probe.silent.then(() => setTimeout(time.expire, 0)); // nothing comes, not even a keep-alive

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(silent.probe.cancelled).toBe(true);
    expect(server.requests.map((r) => [r.url, r.headers.get('Last-Event-ID')])).toEqual([
      [eventsUrl, null],
      [eventsUrl, '2'],
      [`${api}${carPath}`, null],
    ]);
    expect(time.watches).toEqual([45_000, 45_000]); // one watch per connection
    expect(time.delays).toEqual([375]); // the backoff of a drop that came after news
    expect(seen()).toEqual(['queued 0', 'running 10', 'succeeded 100']);
  });

  test('any bytes (a keep-alive comment) put the watch back: it fires the timeout after the last of them', async () => {
    const live = liveEventStream();
    const { server, time, client, waitOptions } = setup(
      [live.response, eventStream([frame(3, succeeded())]).response, json(200, car)],
      { mode: 'sse', streamIdleTimeoutMs: 45_000 },
    );
    const openedAt = time.clock();
    const waiting = waitFor(client, accepted(), waitOptions);
    await settle();
    live.send(frame(2, running(10)));
    time.advance(30_000);
    live.send(': keep-alive\n\n');
    await settle();

    time.expire(); // 45 s after opening; but bytes came 15 s ago
    await settle();
    expect(live.probe.cancelled).toBe(false);
    expect(time.watches).toEqual([45_000, 30_000]);

    time.expire(); // 45 s after the keep-alive
    await expect(waiting).resolves.toEqual(car);
    expect(live.probe.cancelled).toBe(true);
    expect(time.clock() - openedAt).toBe(75_000 + 375); // then the backoff before reopening
    expect(server.requests.map((r) => r.headers.get('Last-Event-ID'))).toEqual([null, '2', null]);
  });

  test('a server that never sends the answer’s head is given up the same way', async () => {
    const { server, time, client, waitOptions } = setup(
      [
        (request) => {
          setTimeout(time.expire, 0);
          return new Promise<Response>((_resolve, reject) => {
            request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
          });
        },
        eventStream([frame(3, succeeded())]).response,
        json(200, car),
      ],
      { streamIdleTimeoutMs: 10_000 },
    );
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => r.url)).toEqual([eventsUrl, eventsUrl, `${api}${carPath}`]);
    expect(server.requests[0]?.signal.aborted).toBe(true);
    expect(time.watches).toEqual([10_000, 10_000]);
  });

  test('silent attempts count toward maxRetries: auto mode then long-polls', async () => {
    const first = eventStream([], 'hang');
    const second = eventStream([], 'hang');
    const { server, time, client, waitOptions } = setup(
      [
        first.response,
        second.response,
        json(201, succeeded(), { Location: carPath, 'Preference-Applied': 'wait=30', ETag: '"op.3"' }),
        json(200, car),
      ],
      { maxRetries: 1 },
    );
    for (const stream of [first, second]) stream.probe.silent.then(() => setTimeout(time.expire, 0));

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => [r.url, r.headers.get('Prefer')])).toEqual([
      [eventsUrl, null],
      [eventsUrl, null],
      [monitorUrl, 'wait=30'],
      [`${api}${carPath}`, null],
    ]);
    expect([first.probe.cancelled, second.probe.cancelled]).toEqual([true, true]);
  });

  test('sse mode: the error says the stream went silent', async () => {
    const streams = [eventStream([], 'hang'), eventStream([], 'hang')];
    const { client, time, waitOptions } = setup(
      streams.map((stream) => stream.response),
      { mode: 'sse', maxRetries: 1, streamIdleTimeoutMs: 20_000 },
    );
    for (const stream of streams) stream.probe.silent.then(() => setTimeout(time.expire, 0));

    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/failed 2 times in a row: The event stream sent nothing for 20000 ms/);
    expect(error).toMatchObject({ url: eventsUrl, method: 'GET' });
  });

  test('Infinity turns the watch off (with no timeoutMs, nothing watches the stream)', async () => {
    const { time, client, waitOptions } = setup([eventStream([frame(3, succeeded())]).response, json(200, car)], {
      streamIdleTimeoutMs: Number.POSITIVE_INFINITY,
    });
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(time.watches).toEqual([]);
  });

  test('the watch never outlasts the deadline: it fires at whichever comes first', async () => {
    const { time, client, waitOptions } = setup([eventStream([frame(3, succeeded())]).response, json(200, car)], {
      timeoutMs: 100_000,
    });
    await waitFor(client, accepted(), waitOptions);
    expect(time.watches).toEqual([45_000]);
  });
});

describe('a stream that keeps failing is given up after maxRetries + 1 attempts in a row', () => {
  /** A server that accepts the stream, resends the version the client has, and hangs up. */
  const stale = () => eventStream([frame(2, running(10))]).response;

  test('auto mode then falls back to the long poll', async () => {
    const { server, client, seen, waitOptions } = setup(
      [
        stale(),
        stale(),
        stale(),
        json(201, succeeded(), { Location: carPath, 'Preference-Applied': 'wait=30', ETag: '"op.3"' }),
        json(200, car),
      ],
      { maxRetries: 2 },
    );

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => [r.url, r.headers.get('Last-Event-ID'), r.headers.get('Prefer')])).toEqual([
      [eventsUrl, null, null],
      [eventsUrl, '2', null],
      [eventsUrl, '2', null],
      [monitorUrl, null, 'wait=30'],
      [`${api}${carPath}`, null, null],
    ]);
    expect(seen()).toEqual(['queued 0', 'running 10', 'succeeded 100']);
  });

  test('and after the fallback it does not try the stream again', async () => {
    const applied = { 'Preference-Applied': 'wait=30' };
    const { server, client, waitOptions } = setup(
      [
        new TypeError('fetch failed'),
        new TypeError('fetch failed'),
        json(202, running(50), { ...applied, ETag: '"op.2"' }),
        json(200, succeeded({ product: undefined, kind: 'reindex', result: 1 }), applied),
      ],
      { maxRetries: 1 },
    );
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toBe(1);
    expect(server.requests.map((r) => r.url)).toEqual([eventsUrl, eventsUrl, monitorUrl, monitorUrl]);
  });

  test('sse mode then throws an ApiError saying so', async () => {
    const { server, client, waitOptions } = setup([stale(), stale(), stale()], { mode: 'sse', maxRetries: 2 });
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/event stream failed 3 times in a row.*ended before the operation did/);
    expect(error).toMatchObject({ url: eventsUrl, method: 'GET' });
    expect(server.requests).toHaveLength(3);
  });

  test('sse mode keeps the last status and problem of a server that keeps refusing', async () => {
    const busy = () =>
      json(503, { type: 'about:blank', title: 'Service Unavailable', status: 503 }, { 'Retry-After': '1' });
    const { client, waitOptions } = setup([busy(), busy()], { mode: 'sse', maxRetries: 1 });
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 503, problem: { title: 'Service Unavailable' } });
  });
});

describe("a server that holds as many of the caller's streams as it will (429)", () => {
  const tooMany = () =>
    json(
      429,
      { type: 'https://longrun.dev/problems/too-many-requests', title: 'Too many requests', status: 429 },
      { 'Retry-After': '5' },
    );

  test.each(['auto', 'sse'] as const)(
    '%s mode: long-polls the monitor meanwhile, and sees the change at once',
    async (mode) => {
      const { server, time, client, waitOptions } = setup([
        tooMany(),
        json(201, succeeded(), { Location: carPath, 'Preference-Applied': 'wait=30', ETag: '"op.3"' }),
        json(200, car),
      ]);
      await expect(waitFor(client, accepted(), { ...waitOptions, mode })).resolves.toEqual(car);
      expect(server.requests.map((r) => [r.url, r.headers.get('Prefer')])).toEqual([
        [eventsUrl, null],
        [monitorUrl, 'wait=30'],
        [`${api}${carPath}`, null],
      ]);
      // Not the 5 s of its Retry-After: the long poll answered the change.
      expect(time.delays).toEqual([]);
    },
  );

  test('asks for the stream again once the Retry-After has passed', async () => {
    const later = eventStream([frame(4, succeeded())]);
    let advance = (_ms: number) => {};
    const { server, time, client, waitOptions } = setup(
      [
        tooMany(),
        // The long poll is held its 30 s and answers that nothing changed.
        () => {
          advance(30_000);
          return json(202, running(50), { 'Preference-Applied': 'wait=30', ETag: '"op.3"' });
        },
        later.response,
        json(200, car),
      ],
      { mode: 'sse' },
    );
    advance = time.advance;
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => r.url)).toEqual([eventsUrl, monitorUrl, eventsUrl, `${api}${carPath}`]);
    expect(time.delays.every((ms) => ms < 5000)).toBe(true);
  });
});

describe('a server without the stream', () => {
  const notFound = () => json(404, { type: 'https://longrun.dev/problems/not-found', title: 'Not found', status: 404 });
  const noStream: [string, () => Response][] = [
    ['404 Not Found', notFound],
    ['405 Method Not Allowed', () => new Response(null, { status: 405 })],
    ['406 Not Acceptable', () => new Response(null, { status: 406 })],
    ['415 Unsupported Media Type', () => new Response(null, { status: 415 })],
    ['200 application/json', () => json(200, running(10))],
    ['200 text/plain', () => new Response('hello', { status: 200, headers: { 'Content-Type': 'text/plain' } })],
  ];

  test.each(noStream)('auto mode: %s → the long poll, at once', async (_name, answer) => {
    const { server, time, client, waitOptions } = setup([
      answer(),
      json(201, succeeded(), { Location: carPath, 'Preference-Applied': 'wait=30' }),
      json(200, car),
    ]);
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => [r.url, r.headers.get('Prefer'), r.headers.get('If-None-Match')])).toEqual([
      [eventsUrl, null, null],
      [monitorUrl, 'wait=30', null],
      [`${api}${carPath}`, null, null],
    ]);
    expect(time.delays).toEqual([]);
  });

  test('auto mode: a server that ignores Prefer: wait is then polled plainly', async () => {
    const { server, time, client, waitOptions } = setup([
      notFound(),
      json(202, running(50), { 'Retry-After': '3' }),
      json(200, succeeded({ product: undefined, kind: 'reindex', result: 'done' })),
    ]);
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toBe('done');
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual([null, 'wait=30', null]);
    expect(time.delays).toEqual([3000]);
  });

  test.each(noStream)('sse mode: %s → ApiError', async (_name, answer) => {
    const { server, client, waitOptions } = setup([answer()], { mode: 'sse' });
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/event stream is unavailable/);
    expect(error).toMatchObject({ status: answer().status, url: eventsUrl });
    expect(server.requests).toHaveLength(1);
  });

  test('sse mode: a monitor that links no stream is an ApiError before any request', async () => {
    const { server, client, waitOptions } = setup([], { mode: 'sse' });
    const error = await waitFor(client, accepted(monitor({ state: 'queued' })), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toMatch(/links no event stream/);
    expect(server.requests).toHaveLength(0);
  });

  test('a refusal (401, 403) is an ApiError in auto mode too, not a reason to poll', async () => {
    const problem = { type: 'https://longrun.dev/problems/unauthorized', title: 'Unauthorized', status: 401 };
    const { server, client, waitOptions } = setup([json(401, problem)]);
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 401, problem, url: eventsUrl });
    expect(server.requests).toHaveLength(1);
  });

  test('204 (the monitor ended, nothing left to send): one GET reads the outcome', async () => {
    const { server, client, waitOptions } = setup(
      [
        new Response(null, { status: 204 }),
        json(200, succeeded({ product: undefined, kind: 'reindex', result: { scope: 'all' } })),
      ],
      { mode: 'sse' },
    );
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual({ scope: 'all' });
    expect(server.requests.map((r) => r.url)).toEqual([eventsUrl, monitorUrl]);
  });
});

describe('stopping a wait on a stream', () => {
  test('an AbortSignal closes the open stream and rejects with its reason; nothing is requested after', async () => {
    const stop = new AbortController();
    const stream = eventStream([frame(2, running(10))], 'hang');
    const { server, client, waitOptions } = setup([stream.response], {
      signal: stop.signal,
      onProgress: (m) => {
        if (m.state === 'running') stop.abort(new Error('user went away'));
      },
    });

    await expect(waitFor(client, accepted(), waitOptions)).rejects.toThrow('user went away');
    expect(stream.probe.cancelled).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test('an abort while the stream is idle (a read pending) ends the wait too', async () => {
    const stop = new AbortController();
    const stream = eventStream([frame(2, running(10))], 'hang');
    const { client, waitOptions } = setup([stream.response], { signal: stop.signal });
    const waiting = waitFor(client, accepted(), waitOptions);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the stream open and go idle
    stop.abort(new Error('later'));

    await expect(waiting).rejects.toThrow('later');
    expect(stream.probe.cancelled).toBe(true);
  });

  test('timeoutMs closes the open stream with a WaitTimeoutError carrying the last monitor', async () => {
    const stream = eventStream([frame(2, running(40))], 'hang');
    const { server, time, client, waitOptions } = setup([stream.response], { mode: 'sse', timeoutMs: 5000 });
    stream.probe.silent.then(() => setTimeout(time.expire, 0)); // the deadline passes while the stream is idle

    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 5000, status: 202, monitorUrl, monitor: { state: 'running' } });
    expect(time.watches).toEqual([5000]);
    expect(stream.probe.cancelled).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  test('pauses before reopening count against timeoutMs: the one that would pass the deadline is cut there', async () => {
    const { server, time, client, waitOptions } = setup(
      [
        eventStream(['retry: 1000\n\n', frame(2, running(40))]).response,
        eventStream([]).response,
        eventStream([]).response,
      ],
      { mode: 'sse', timeoutMs: 4000 },
    );

    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.monitor).toMatchObject({ state: 'running' });
    // Backoff from retry: 1000 with equal jitter at 0.5: 750, 1500, then 3000 would pass the deadline.
    expect(time.delays).toEqual([750, 1500, 1750]);
    expect(time.watches).toEqual([4000, 3250, 1750]); // each stream was watched until the time left
    expect(server.requests).toHaveLength(3);
  });

  test('onProgress errors reach the caller and close the stream', async () => {
    const stream = eventStream([frame(2, running(10))], 'hang');
    const { client, waitOptions } = setup([stream.response], {
      onProgress: (m) => {
        if (m.state === 'running') throw new Error('render failed');
      },
    });
    await expect(waitFor(client, accepted(), waitOptions)).rejects.toThrow('render failed');
    expect(stream.probe.cancelled).toBe(true);
  });
});
