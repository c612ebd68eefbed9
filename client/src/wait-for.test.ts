import { describe, expect, test, vi } from 'vitest';
import { createClient } from './create-client.ts';
import { maxTimerDelayMs } from './delay.ts';
import { ApiError, OperationCancelledError, OperationFailedError, WaitTimeoutError } from './errors.ts';
import { createCar } from './generated/sdk/index.ts';
import { fakeTime, json, monitor, notModified, type ScriptedAnswer, scriptedFetch } from './testing/fake-api.ts';
import type { AcceptedResponse, AnyMonitor } from './types.ts';
import { type WaitOptions, waitFor } from './wait-for.ts';

const api = 'https://api.test';
const monitorPath = '/monitors/op_01JABCDEF0123456789ABCDEFG';
const monitorUrl = `${api}${monitorPath}`;
const car = {
  id: 'car_01JABCDEF0123456789ABCDEFH',
  brand: 'Ford',
  make: 'Mustang',
  model: 2014,
  color: 'Blue',
  vin: '1FA6P8TH0E5123456',
  createdAt: '2026-11-22T10:00:05.000Z',
  links: { self: { href: '/cars/car_01JABCDEF0123456789ABCDEFH' } },
};

/** The 202 a POST /cars answers with, as openapi-fetch returns it. */
function accepted(body: AnyMonitor = monitor({ state: 'queued' }), headers: Record<string, string> = {}) {
  const response = json(202, body, {
    Location: monitorPath,
    Link: `<${monitorPath}>; rel="monitor"`,
    'Retry-After': '2',
    ...headers,
  });
  return { data: body, response };
}

/** A monitor answer with an ETag. */
function polled(status: number, body: AnyMonitor, version: number, headers: Record<string, string> = {}) {
  return json(status, body, { ETag: `"op.${version}"`, ...headers });
}

/** A hand-made answer, typed as if it came from an async operation (the compiler refuses the others). */
function untyped(answer: AcceptedResponse) {
  return answer as AcceptedResponse & { data: AnyMonitor };
}

function setup(answers: ScriptedAnswer[], options: WaitOptions = {}) {
  const server = scriptedFetch(answers);
  const time = fakeTime();
  const client = createClient({ baseUrl: api, apiKey: 'secret', fetch: server.fetch });
  const progress: AnyMonitor[] = [];
  const waitOptions: WaitOptions = {
    mode: 'poll',
    delay: time.delay,
    clock: time.clock,
    random: () => 0.5,
    onProgress: (m) => progress.push(m),
    ...options,
  };
  return { server, time, client, progress, waitOptions };
}

const running = (percent: number, message?: string) =>
  monitor({ state: 'running', percent, ...(message === undefined ? {} : { message }) });
const succeeded = (fields: Parameters<typeof monitor>[0] = {}) =>
  monitor({ state: 'succeeded', percent: 100, ...fields });

describe('following an accepted request to its product', () => {
  test('polls the monitor after Retry-After, and on 201 fetches the product at Location with the API key', async () => {
    const { server, time, client, waitOptions } = setup([
      polled(202, running(40), 1, { 'Retry-After': '3' }),
      polled(201, succeeded(), 2, { Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
      json(200, car),
    ]);

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);

    expect(time.delays).toEqual([2000, 3000]);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${monitorUrl}`,
      `GET ${monitorUrl}`,
      `GET ${api}/cars/car_01JABCDEF0123456789ABCDEFH`,
    ]);
    expect(server.requests.map((r) => r.headers.get('Authorization'))).toEqual([
      'Bearer secret',
      'Bearer secret',
      'Bearer secret',
    ]);
  });

  test('a succeeded monitor that links its product in links.product (200) yields that product', async () => {
    const order = { id: 'wo_01JABCDEF0123456789ABCDEFG', status: 'fulfilled' };
    const { server, client, waitOptions } = setup([
      polled(
        200,
        succeeded({ kind: 'widget-order.fulfil', product: '/widget-orders/wo_01JABCDEF0123456789ABCDEFG' }),
        2,
      ),
      json(200, order),
    ]);

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(order);
    expect(server.requests[1]?.url).toBe(`${api}/widget-orders/wo_01JABCDEF0123456789ABCDEFG`);
  });

  test('a succeeded monitor with an inline result yields the result, with no further request', async () => {
    const report = { scope: 'all', documentsIndexed: 48210 };
    const { server, client, waitOptions } = setup([polled(200, succeeded({ kind: 'reindex', result: report }), 2)]);

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(report);
    expect(server.requests).toHaveLength(1);
  });

  test('a succeeded monitor with neither product nor result yields undefined', async () => {
    const { client, waitOptions } = setup([polled(200, succeeded(), 2)]);
    await expect(waitFor(client, accepted(), waitOptions)).resolves.toBeUndefined();
  });

  test('an accepted answer that is already final (201 after Prefer: wait) fetches the product without polling', async () => {
    const { server, time, client, waitOptions } = setup([json(200, car)]);
    const response = json(201, succeeded(), {
      Location: '/cars/car_01JABCDEF0123456789ABCDEFH',
      'Content-Location': monitorPath,
    });

    await expect(waitFor(client, { data: succeeded(), response }, waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => r.url)).toEqual([`${api}/cars/car_01JABCDEF0123456789ABCDEFH`]);
    expect(time.delays).toEqual([]);
  });

  test('an answer that is not a monitor and not a 202 is the outcome itself (a synchronous answer)', async () => {
    const { server, client, waitOptions } = setup([]);
    await expect(waitFor(client, untyped({ data: car, response: json(200, car) }), waitOptions)).resolves.toEqual(car);
    expect(server.requests).toHaveLength(0);
  });

  test('a 202 that names no monitor is an ApiError', async () => {
    const { client, waitOptions } = setup([]);
    await expect(waitFor(client, untyped({ data: {}, response: json(202, {}) }), waitOptions)).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  test('works with the answer of a generated SDK function', async () => {
    const { server, client, waitOptions } = setup([
      json(202, monitor({ state: 'queued' }), { Location: monitorPath, 'Retry-After': '1' }),
      polled(201, succeeded(), 2, { Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
      json(200, car),
    ]);

    const sdkAnswer = await createCar({
      client: client.sdkClient,
      body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' },
    });
    await expect(waitFor(client, sdkAnswer, waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => `${r.method} ${r.url} ${r.headers.get('Authorization')}`)).toEqual([
      `POST ${api}/cars Bearer secret`,
      `GET ${monitorUrl} Bearer secret`,
      `GET ${api}/cars/car_01JABCDEF0123456789ABCDEFH Bearer secret`,
    ]);
  });

  test('a refused request (an openapi-fetch error result) is thrown as ApiError with its problem', async () => {
    const problem = {
      type: 'https://longrun.dev/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
    };
    const { client, waitOptions } = setup([]);
    const error = await waitFor(client, untyped({ error: problem, response: json(400, problem) }), waitOptions).catch(
      (e) => e,
    );

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'ApiError', status: 400, problem });
  });

  test('a request that got no response (a hey-api network failure) is thrown as ApiError with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const { client, waitOptions } = setup([]);
    const error = await waitFor(client, untyped({ data: undefined, error: cause }), waitOptions).catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: undefined, cause });
  });
});

describe('embedded status: Location is the resource, Link rel="monitor" the monitor', () => {
  const vmPath = '/virtual-machines/vm_01JABCDEF0123456789ABCDEFG';
  const vm = { id: 'vm_01JABCDEF0123456789ABCDEFG', status: 'ready', links: { self: { href: vmPath } } };

  test('the monitor named by Link is polled, not the resource at Location', async () => {
    const { server, client, waitOptions } = setup([
      polled(201, succeeded({ kind: 'virtual-machine.provision', product: vmPath }), 2, { Location: vmPath }),
      json(200, vm),
    ]);
    const answer = accepted(monitor({ kind: 'virtual-machine.provision', state: 'queued' }), { Location: vmPath });

    await expect(waitFor(client, answer, waitOptions)).resolves.toEqual(vm);
    expect(server.requests.map((r) => r.url)).toEqual([monitorUrl, `${api}${vmPath}`]);
  });

  test('waiting on the resource URL moves to the monitor it links', async () => {
    const { server, client, waitOptions } = setup([
      json(200, { ...vm, status: 'provisioning' }, { Link: `<${monitorPath}>; rel="monitor"` }),
      polled(201, succeeded({ kind: 'virtual-machine.provision' }), 2, { Location: vmPath }),
      json(200, vm),
    ]);

    await expect(waitFor(client, `${api}${vmPath}`, waitOptions)).resolves.toEqual(vm);
    expect(server.requests.map((r) => r.url)).toEqual([`${api}${vmPath}`, monitorUrl, `${api}${vmPath}`]);
  });

  test('a URL that is no monitor and links none is an ApiError', async () => {
    const { client, waitOptions } = setup([json(200, vm)]);
    await expect(waitFor(client, `${api}${vmPath}`, waitOptions)).rejects.toThrow(/not a monitor/);
  });
});

describe('Retry-After', () => {
  test('an HTTP-date is measured from the answer’s Date header', async () => {
    const { time, client, waitOptions } = setup([
      polled(202, running(10), 1, {
        Date: 'Sun, 22 Nov 2026 10:00:00 GMT',
        'Retry-After': 'Sun, 22 Nov 2026 10:00:07 GMT',
      }),
      polled(200, succeeded(), 2),
    ]);

    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([2000, 7000]);
  });

  test('an HTTP-date without a Date header is measured from the clock', async () => {
    const { time, client, waitOptions } = setup([polled(200, succeeded(), 2)]);
    // The fake clock stands at 10:00:00.
    await waitFor(client, accepted(undefined, { 'Retry-After': 'Sun, 22 Nov 2026 10:00:04 GMT' }), waitOptions);
    expect(time.delays).toEqual([4000]);
  });

  test('is clamped between minDelayMs and maxDelayMs', async () => {
    const { time, client, waitOptions } = setup(
      [
        polled(202, running(10), 1, { 'Retry-After': '0' }),
        polled(202, running(20), 2, { 'Retry-After': '86400' }),
        polled(200, succeeded(), 3),
      ],
      { minDelayMs: 400, maxDelayMs: 10_000 },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([2000, 400, 10_000]);
  });

  test('a far-off Retry-After never asks for a timer beyond 2^31−1 ms, whatever maxDelayMs says', async () => {
    const { time, client, waitOptions } = setup([polled(200, succeeded(), 2)], {
      maxDelayMs: Number.POSITIVE_INFINITY,
    });
    await waitFor(client, accepted(undefined, { 'Retry-After': 'Thu, 01 Jan 2099 00:00:00 GMT' }), waitOptions);
    expect(time.delays).toEqual([maxTimerDelayMs]);
  });

  test('without Retry-After, polls back off with jitter, and start over after a change', async () => {
    const still = running(10);
    const { time, client, waitOptions } = setup(
      [
        polled(202, still, 1),
        polled(202, still, 1),
        polled(202, still, 1),
        polled(202, running(50), 2),
        polled(202, running(50), 2),
        polled(200, succeeded(), 3),
      ],
      { initialBackoffMs: 1000, minDelayMs: 100 },
    );
    const jitter = [0, 0.5, 1, 0, 0, 0];
    waitOptions.random = () => jitter.shift() ?? 0;

    await waitFor(client, accepted(still, { 'Retry-After': '' }), waitOptions);
    // Equal jitter: half of min(max, 1000 × 2^n), plus a random half.
    expect(time.delays).toEqual([500, 1500, 4000, 4000, 500, 1000]);
  });
});

describe('conditional requests and the long poll', () => {
  test('each poll sends the last ETag as If-None-Match; a 304 changes nothing and reports no progress', async () => {
    const { server, client, progress, waitOptions } = setup([
      polled(202, running(10), 1, { 'Retry-After': '1' }),
      notModified({ ETag: '"op.1"', 'Retry-After': '1' }),
      polled(200, succeeded(), 2),
    ]);

    await waitFor(client, accepted(), waitOptions);
    expect(server.requests.map((r) => r.headers.get('If-None-Match'))).toEqual([null, '"op.1"', '"op.1"']);
    expect(progress.map((m) => `${m.state} ${m.progress.percent}`)).toEqual([
      'queued 0',
      'running 10',
      'succeeded 100',
    ]);
  });

  test('in auto mode it long-polls when the server applies Prefer: wait, asking again at once after each answer', async () => {
    const applied = { 'Preference-Applied': 'wait=30', 'Retry-After': '5' };
    const { server, time, client, waitOptions } = setup(
      [
        polled(202, running(10), 1, applied),
        polled(202, running(60), 2, applied),
        polled(200, succeeded(), 3, applied),
      ],
      { mode: 'auto' },
    );

    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([]);
    expect(server.requests.map((r) => [r.headers.get('Prefer'), r.headers.get('If-None-Match')])).toEqual([
      ['wait=30', null],
      ['wait=30', '"op.1"'],
      ['wait=30', '"op.2"'],
    ]);
  });

  test('a long poll that ran out (304) is asked again at once', async () => {
    const { server, time, client, waitOptions } = setup(
      [
        polled(202, running(10), 1, { 'Preference-Applied': 'wait=30' }),
        (request) => {
          time.advance(30_000); // the server held it for the whole wait
          return notModified({ ETag: request.headers.get('If-None-Match') ?? '', 'Preference-Applied': 'wait=30' });
        },
        polled(200, succeeded(), 2, { 'Preference-Applied': 'wait=30' }),
      ],
      { mode: 'auto' },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });

  test('a 304 that comes back early from a long poll still keeps the minimum pause', async () => {
    const { time, client, waitOptions } = setup(
      [
        polled(202, running(10), 1, { 'Preference-Applied': 'wait=30' }),
        notModified({ ETag: '"op.1"', 'Preference-Applied': 'wait=30' }),
        polled(200, succeeded(), 2, { 'Preference-Applied': 'wait=30' }),
      ],
      { mode: 'auto', minDelayMs: 300 },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([300]);
  });

  test('in auto mode a server that ignores Prefer: wait is polled plainly from then on', async () => {
    const { server, time, client, waitOptions } = setup(
      [polled(202, running(10), 1, { 'Retry-After': '4' }), polled(200, succeeded(), 2)],
      { mode: 'auto' },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual(['wait=30', null]);
    expect(time.delays).toEqual([4000]);
  });

  test('in long-poll mode it keeps asking, spacing polls by Retry-After when the server does not hold them', async () => {
    const { server, time, client, waitOptions } = setup(
      [polled(202, running(10), 1, { 'Retry-After': '4' }), polled(200, succeeded(), 2)],
      { mode: 'long-poll', longPollSeconds: 10 },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual(['wait=10', 'wait=10']);
    expect(time.delays).toEqual([4000]);
  });

  test('in poll mode it never asks for a long poll', async () => {
    const { server, client, waitOptions } = setup([polled(202, running(10), 1), polled(200, succeeded(), 2)], {
      mode: 'poll',
    });
    await waitFor(client, accepted(), waitOptions);
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual([null, null]);
  });

  test('a long poll never asks the server to hold past the timeout', async () => {
    const applied = { 'Preference-Applied': 'wait=12' };
    const { server, client, waitOptions } = setup([polled(202, running(10), 1, applied), polled(200, succeeded(), 2)], {
      mode: 'auto',
      timeoutMs: 12_500,
    });
    await waitFor(client, accepted(), waitOptions);
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual(['wait=12', 'wait=12']);
  });
});

describe('a long poll the server answers at once with nothing new (a mock echoing its example)', () => {
  test('polls keep minDelayMs apart when each held answer repeats the ETag already held', async () => {
    const sentAt: number[] = [];
    // Prism's way: 202, the same ETag and Preference-Applied: wait=10 on every answer, at once.
    const echo: ScriptedAnswer = () => {
      sentAt.push(time.clock());
      return polled(202, running(10), 1, { 'Preference-Applied': 'wait=10' });
    };
    const { server, time, client, waitOptions } = setup(
      Array.from({ length: 500 }, () => echo),
      { mode: 'auto', minDelayMs: 250, timeoutMs: 10_000 },
    );

    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError); // not the scripted server running out of answers
    // The first answer is a version not held yet (asked again at once); from then on, one per 250 ms
    // at most (the last second's polls are plain ones: a long poll never asks to be held past the deadline).
    expect(server.requests.length).toBeGreaterThan(10);
    expect(server.requests.length).toBeLessThanOrEqual(2 + 10_000 / 250);
    const gaps = sentAt.slice(1).map((at, index) => at - (sentAt[index] ?? at));
    expect(gaps[0]).toBe(0);
    expect(gaps.slice(1).every((gap) => gap >= 250)).toBe(true);
  });

  test('the pause counts from when the poll was sent: a held answer that took a while is asked again sooner', async () => {
    const { time, client, waitOptions } = setup(
      [
        polled(202, running(10), 1, { 'Preference-Applied': 'wait=30' }),
        () => {
          time.advance(100);
          return polled(202, running(10), 1, { 'Preference-Applied': 'wait=30' });
        },
        polled(200, succeeded(), 2, { 'Preference-Applied': 'wait=30' }),
      ],
      { mode: 'auto', minDelayMs: 300 },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([200]);
  });

  test('a weak ETag matches its strong form', async () => {
    const { time, client, waitOptions } = setup(
      [
        polled(202, running(10), 1, { 'Preference-Applied': 'wait=30' }),
        json(202, running(10), { ETag: 'W/"op.1"', 'Preference-Applied': 'wait=30' }),
        polled(200, succeeded(), 2, { 'Preference-Applied': 'wait=30' }),
      ],
      { mode: 'auto', minDelayMs: 300 },
    );
    await waitFor(client, accepted(), waitOptions);
    expect(time.delays).toEqual([300]);
  });
});

describe('Prefer and Accept', () => {
  const prismClient = (fetch: (request: Request) => Promise<Response>, prefer: string) =>
    createClient({ baseUrl: api, apiKey: 'secret', fetch, headers: { Prefer: prefer } });

  test('the client’s Prefer, WaitOptions.prefer and the long poll’s wait=N go in one Prefer, each named once', async () => {
    const applied = { 'Preference-Applied': 'wait=30' };
    const { server, waitOptions } = setup([
      polled(202, running(10), 1, applied),
      polled(201, succeeded(), 2, { ...applied, Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
      json(200, car),
    ]);
    const client = prismClient(server.fetch, 'code=201, example=succeeded, wait=1');

    await waitFor(client, accepted(), { ...waitOptions, mode: 'auto', prefer: 'example=running, wait=5, x="a, b"' });
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual([
      // waitFor's wait first; then the wait's own preferences (its `wait` dropped); then the client's.
      'wait=30, example=running, x="a, b", code=201',
      'wait=30, example=running, x="a, b", code=201',
      // The product: only the client's (WaitOptions.prefer is for reads of the monitor).
      'code=201, example=succeeded, wait=1',
    ]);
  });

  test('a plain poll sends the preferences without wait', async () => {
    const { server, client, waitOptions } = setup([polled(200, succeeded(), 2)]);
    await waitFor(client, accepted(), { ...waitOptions, mode: 'poll', prefer: 'code=200, example=succeeded' });
    expect(server.requests.map((r) => r.headers.get('Prefer'))).toEqual(['code=200, example=succeeded']);
  });

  test('polls and the product accept application/json and application/problem+json', async () => {
    const { server, client, waitOptions } = setup([
      polled(202, running(10), 1, { 'Retry-After': '1' }),
      polled(201, succeeded(), 2, { Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
      json(200, car),
    ]);
    await waitFor(client, accepted(), waitOptions);
    expect(server.requests.map((r) => r.headers.get('Accept'))).toEqual([
      'application/json, application/problem+json',
      'application/json, application/problem+json',
      'application/json, application/problem+json',
    ]);
  });
});

describe('progress', () => {
  test('onProgress fires once per change of state, percent, message or step, never per poll', async () => {
    const step = (paint: 'pending' | 'running') => [
      { name: 'chassis', state: paint === 'pending' ? ('running' as const) : ('succeeded' as const) },
      { name: 'paint', state: paint },
    ];
    const { client, progress, waitOptions } = setup([
      polled(202, monitor({ state: 'running', percent: 30, steps: step('pending') }), 1),
      polled(202, monitor({ state: 'running', percent: 30, steps: step('pending') }), 2), // only timestamps moved
      polled(202, monitor({ state: 'running', percent: 30, steps: step('running') }), 3), // a step moved
      polled(202, monitor({ state: 'running', percent: 30, steps: step('running'), message: 'Painting' }), 4),
      notModified({ ETag: '"op.4"' }),
      polled(202, monitor({ state: 'running', percent: 70, steps: step('running'), message: 'Painting' }), 5),
      polled(200, succeeded(), 6),
    ]);

    await waitFor(client, accepted(monitor({ state: 'queued' })), waitOptions);
    expect(
      progress.map(
        (m) => `${m.state} ${m.progress.percent} ${m.progress.message ?? ''} ${m.steps.map((s) => s.state)}`,
      ),
    ).toEqual([
      'queued 0  ',
      'running 30  running,pending',
      'running 30  succeeded,running',
      'running 30 Painting succeeded,running',
      'running 70 Painting succeeded,running',
      'succeeded 100  ',
    ]);
  });
});

describe('outcomes other than success', () => {
  const problem = {
    type: 'https://longrun.dev/problems/operation-failed',
    title: 'The operation failed',
    status: 500,
    detail: 'The paint shop is on fire.',
  };

  test('failed → OperationFailedError with the monitor’s problem', async () => {
    const failed = monitor({ state: 'failed', percent: 40, error: problem });
    const { client, waitOptions } = setup([polled(200, failed, 2)]);
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);

    expect(error).toBeInstanceOf(OperationFailedError);
    expect(error).toMatchObject({ name: 'OperationFailedError', status: 500, problem, monitor: failed });
    expect(error.message).toContain('The paint shop is on fire.');
  });

  test('cancelled → OperationCancelledError with the final monitor', async () => {
    const cancelled = monitor({ state: 'cancelled', percent: 40 });
    const { client, waitOptions } = setup([polled(200, cancelled, 2)]);
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);

    expect(error).toBeInstanceOf(OperationCancelledError);
    expect(error).toMatchObject({ name: 'OperationCancelledError', status: 200, monitor: cancelled });
  });

  test('timeoutMs → WaitTimeoutError carrying the last monitor, without polling past the deadline', async () => {
    const last = running(40);
    const { server, time, client, waitOptions } = setup([polled(202, last, 1, { 'Retry-After': '5' })], {
      timeoutMs: 6000,
    });
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ name: 'WaitTimeoutError', status: 202, monitor: last, monitorUrl, timeoutMs: 6000 });
    expect(server.requests).toHaveLength(1);
    expect(time.delays).toEqual([2000, 4000]); // the second pause is cut at the deadline
  });

  test('a monitor that is gone (404) is an ApiError at once, not retried', async () => {
    const notFound = { type: 'https://longrun.dev/problems/not-found', title: 'Not found', status: 404 };
    const { server, client, waitOptions } = setup([json(404, notFound)]);
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);

    expect(error).toMatchObject({ name: 'ApiError', status: 404, problem: notFound, url: monitorUrl });
    expect(server.requests).toHaveLength(1);
  });

  test('a product that cannot be read is an ApiError', async () => {
    const { client, waitOptions } = setup([
      polled(201, succeeded(), 2, { Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
      json(404, { type: 'https://longrun.dev/problems/not-found', title: 'Not found', status: 404 }),
    ]);
    await expect(waitFor(client, accepted(), waitOptions)).rejects.toMatchObject({ name: 'ApiError', status: 404 });
  });
});

describe('transient failures', () => {
  const unavailable = () => json(503, { type: 'about:blank', title: 'Service Unavailable', status: 503 });

  test('network errors, 5xx and 429 are retried (429 after its Retry-After), then the wait goes on', async () => {
    const { server, time, client, waitOptions } = setup(
      [
        new TypeError('fetch failed'),
        unavailable(),
        json(
          429,
          { type: 'https://longrun.dev/problems/too-many-requests', title: 'Too many requests', status: 429 },
          {
            'Retry-After': '9',
          },
        ),
        polled(201, succeeded(), 2, { Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
        unavailable(),
        json(200, car),
      ],
      { initialBackoffMs: 1000, minDelayMs: 100 },
    );

    await expect(waitFor(client, accepted(), waitOptions)).resolves.toEqual(car);
    expect(server.requests).toHaveLength(6);
    // 2 s Retry-After of the 202, backoff 750 (try 1), 1500 (try 2), the 429's 9 s, backoff 750 for the product.
    expect(time.delays).toEqual([2000, 750, 1500, 9000, 750]);
  });

  test('they are retried up to maxRetries times in a row, then thrown as ApiError with the last status', async () => {
    const { server, client, waitOptions } = setup([unavailable(), unavailable(), unavailable()], { maxRetries: 2 });
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, problem: { title: 'Service Unavailable' } });
    expect(server.requests).toHaveLength(3);
  });

  test('a network error that outlasts the retries is thrown as ApiError with the error as cause', async () => {
    const cause = new TypeError('fetch failed');
    const { client, waitOptions } = setup([cause, cause], { maxRetries: 1 });
    const error = await waitFor(client, accepted(), waitOptions).catch((e) => e);

    expect(error).toMatchObject({ name: 'ApiError', status: undefined, cause, url: monitorUrl });
  });
});

describe('stopping the wait', () => {
  test('an AbortSignal stops waiting with its reason, and sends no cancel request', async () => {
    const controller = new AbortController();
    const { server, client, waitOptions } = setup([
      () => {
        controller.abort(new Error('user went away'));
        return polled(202, running(10), 1);
      },
      polled(200, succeeded(), 2),
    ]);
    waitOptions.signal = controller.signal;

    await expect(waitFor(client, accepted(), waitOptions)).rejects.toThrow('user went away');
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
  });

  test('an aborted signal rejects before any request', async () => {
    const { server, client, waitOptions } = setup([]);
    waitOptions.signal = AbortSignal.abort();
    await expect(waitFor(client, accepted(), waitOptions)).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(0);
  });

  test('an abort during a request is not retried as a network error', async () => {
    const controller = new AbortController();
    const { server, client, waitOptions } = setup([
      () => {
        controller.abort();
        throw new DOMException('The operation was aborted.', 'AbortError');
      },
    ]);
    waitOptions.signal = controller.signal;
    await expect(waitFor(client, accepted(), waitOptions)).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });
});

describe('resuming from a stored monitor URL', () => {
  test('the first poll is a plain GET (the state now), then it long-polls with the ETag', async () => {
    const applied = { 'Preference-Applied': 'wait=30' };
    const { server, time, client, progress, waitOptions } = setup(
      [
        polled(202, running(70), 7, { 'Retry-After': '3' }),
        polled(202, running(90), 8, applied),
        polled(201, succeeded(), 9, { ...applied, Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }),
        json(200, car),
      ],
      { mode: 'auto' },
    );

    await expect(waitFor(client, monitorPath, waitOptions)).resolves.toEqual(car);
    expect(server.requests.map((r) => [r.url, r.headers.get('Prefer'), r.headers.get('If-None-Match')])).toEqual([
      [monitorUrl, null, null],
      [monitorUrl, 'wait=30', '"op.7"'],
      [monitorUrl, 'wait=30', '"op.8"'],
      [`${api}/cars/car_01JABCDEF0123456789ABCDEFH`, null, null],
    ]);
    expect(time.delays).toEqual([]);
    expect(progress.map((m) => m.progress.percent)).toEqual([70, 90, 100]);
  });

  test('a monitor in hand is followed through its links.self', async () => {
    const { server, client, waitOptions } = setup([
      polled(200, succeeded({ kind: 'reindex', result: { scope: 'all' } }), 2),
    ]);
    await expect(waitFor(client, monitor({ kind: 'reindex', state: 'queued' }), waitOptions)).resolves.toEqual({
      scope: 'all',
    });
    expect(server.requests.map((r) => r.url)).toEqual([monitorUrl]);
  });
});

describe('request counts', () => {
  test('a poll-mode wait makes one request per Retry-After interval plus one for the product', async () => {
    const answers: ScriptedAnswer[] = [];
    for (let percent = 10; percent < 100; percent += 10)
      answers.push(polled(202, running(percent), percent, { 'Retry-After': '1' }));
    answers.push(polled(201, succeeded(), 100, { Location: '/cars/car_01JABCDEF0123456789ABCDEFH' }), json(200, car));
    const { server, time, client, waitOptions } = setup(answers);

    await waitFor(client, accepted(), waitOptions);
    expect(server.requests).toHaveLength(11);
    expect(time.delays).toHaveLength(10);
  });

  test('onProgress errors reach the caller', async () => {
    const { client, waitOptions } = setup([]);
    waitOptions.onProgress = vi.fn(() => {
      throw new Error('render failed');
    });
    await expect(waitFor(client, accepted(), waitOptions)).rejects.toThrow('render failed');
  });
});
