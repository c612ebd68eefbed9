import { describe, expect, test } from 'vitest';
import { fakeTime, json, monitor, type ScriptedAnswer, scriptedFetch } from '../testing/fake-api.ts';
import { exitCodes } from './exit-codes.ts';
import { type CliIo, runCli } from './run-cli.ts';

const api = 'https://api.test';
const monitorPath = '/monitors/op_01JABCDEF0123456789ABCDEFG';
const car = { id: 'car_1', brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };
const carJson = JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' });

function run(argv: string[], answers: ScriptedAnswer[], overrides: Partial<CliIo> = {}) {
  const server = scriptedFetch(answers);
  const time = fakeTime();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: { write: (text) => stdout.push(text) },
    stderr: { write: (text) => stderr.push(text), isTTY: false },
    env: { LONGRUN_API_KEY: 'secret' },
    readFile: async (path) => {
      if (path === 'car.json') return carJson;
      if (path === 'broken.json' || path === '-') return '{';
      throw new Error('ENOENT: no such file');
    },
    fetch: server.fetch,
    waitOptions: { delay: time.delay, clock: time.clock, random: () => 0.5 },
    ...overrides,
  };
  return runCli(argv, io).then((code) => ({ code, stdout: stdout.join(''), stderr: stderr.join(''), server, time }));
}

const acceptedCar = () =>
  json(202, monitor({ state: 'queued' }), {
    Location: monitorPath,
    Link: `<${monitorPath}>; rel="monitor"`,
    'Retry-After': '1',
  });
const carDone = () =>
  json(201, monitor({ state: 'succeeded', percent: 100 }), { Location: '/cars/car_1', ETag: '"2"' });

describe('longrun submit', () => {
  test('sends the JSON body with the key, waits, prints progress to stderr and the product to stdout (exit 0)', async () => {
    const result = await run(
      ['submit', 'post', '/cars', '--body', 'car.json', '--base-url', api, '--idempotency-key', 'k-1'],
      [
        acceptedCar(),
        json(202, monitor({ state: 'running', percent: 50 }), { ETag: '"1"', 'Retry-After': '1' }),
        carDone(),
        json(200, car),
      ],
    );

    expect(result.code).toBe(exitCodes.succeeded);
    expect(JSON.parse(result.stdout)).toEqual(car);
    expect(result.stderr).toBe('queued 0%\nrunning 50%\nsucceeded 100%\n✔ succeeded\n');
    const [post] = result.server.requests;
    expect(post).toMatchObject({ method: 'POST', url: `${api}/cars`, body: carJson });
    expect(post?.headers.get('Authorization')).toBe('Bearer secret');
    expect(post?.headers.get('Content-Type')).toBe('application/json');
    expect(post?.headers.get('Idempotency-Key')).toBe('k-1');
  });

  test('--json prints one JSON document with the status, outcome and monitor URL', async () => {
    const result = await run(
      ['submit', 'POST', '/cars', '--body', 'car.json', '--json'],
      [acceptedCar(), carDone(), json(200, car)],
      {
        env: { LONGRUN_API_KEY: 'secret', LONGRUN_BASE_URL: api },
      },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'succeeded',
      outcome: car,
      monitorUrl: `${api}${monitorPath}`,
    });
  });

  test('--api-key wins over LONGRUN_API_KEY', async () => {
    const result = await run(
      ['submit', 'POST', '/cars', '--body', 'car.json', '--base-url', api, '--api-key', 'flag'],
      [acceptedCar(), carDone(), json(200, car)],
    );
    expect(result.server.requests[0]?.headers.get('Authorization')).toBe('Bearer flag');
  });

  test('a refused request exits 5 with the problem', async () => {
    const problem = {
      type: 'https://longrun.dev/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: '1 problem',
    };
    const result = await run(
      ['submit', 'POST', '/cars', '--body', 'car.json', '--base-url', api],
      [json(400, problem)],
    );
    expect(result.code).toBe(exitCodes.apiError);
    expect(result.stderr).toContain('The request is not valid: 1 problem');
  });

  test('a request refused as invalid names each invalid part by its pointer', async () => {
    const problem = {
      type: 'https://longrun.dev/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: '2 problems in the request.',
      errors: [
        { pointer: '/body/make', message: "must have required property 'make'" },
        { pointer: '/body/model', message: 'must be >= 1886' },
      ],
    };
    const result = await run(
      ['submit', 'POST', '/cars', '--body', 'car.json', '--base-url', api],
      [json(400, problem)],
    );
    expect(result.code).toBe(exitCodes.apiError);
    expect(result.stderr).toContain(
      "  /body/make: must have required property 'make'\n  /body/model: must be >= 1886\n",
    );
  });

  test('an unreachable server exits 5', async () => {
    const result = await run(
      ['submit', 'POST', '/cars', '--body', 'car.json', '--base-url', api, '--json'],
      [new TypeError('fetch failed')],
    );
    expect(result.code).toBe(exitCodes.apiError);
    expect(JSON.parse(result.stdout)).toMatchObject({
      status: 'error',
      message: expect.stringContaining('fetch failed'),
    });
  });

  test('an unreadable or invalid body file is a usage error (exit 2), before any request', async () => {
    for (const file of ['missing.json', 'broken.json']) {
      const result = await run(['submit', 'POST', '/cars', '--body', file, '--base-url', api], []);
      expect(result.code).toBe(exitCodes.usage);
      expect(result.server.requests).toHaveLength(0);
    }
    const piped = await run(['submit', 'POST', '/cars', '--body', '-', '--base-url', api], []);
    expect(piped.stderr).toContain('standard input is not valid JSON');
  });
});

describe('longrun wait', () => {
  test('resumes from a monitor URL, taking the API root from it', async () => {
    const result = await run(
      ['wait', `${api}${monitorPath}`],
      [
        json(202, monitor({ state: 'running', percent: 70 }), { ETag: '"7"', 'Retry-After': '1' }),
        json(
          200,
          monitor({ kind: 'reindex', state: 'succeeded', percent: 100, result: { scope: 'all', documentsIndexed: 3 } }),
          {
            ETag: '"8"',
          },
        ),
      ],
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ scope: 'all', documentsIndexed: 3 });
    expect(result.server.requests.map((r) => [r.url, r.headers.get('Authorization')])).toEqual([
      [`${api}${monitorPath}`, 'Bearer secret'],
      [`${api}${monitorPath}`, 'Bearer secret'],
    ]);
  });

  test('a failed operation exits 1 with its problem', async () => {
    const error = {
      type: 'https://longrun.dev/problems/operation-failed',
      title: 'The operation failed',
      status: 500,
      detail: 'No capacity.',
    };
    const result = await run(
      ['wait', `${api}${monitorPath}`, '--json'],
      [json(200, monitor({ state: 'failed', error }))],
    );
    expect(result.code).toBe(exitCodes.failed);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'failed', problem: error, monitor: { state: 'failed' } });
  });

  test('a failed operation reads as one line for people', async () => {
    const error = {
      type: 'https://longrun.dev/problems/operation-failed',
      title: 'The operation failed',
      status: 500,
      detail: 'No capacity.',
    };
    const result = await run(['wait', `${api}${monitorPath}`], [json(200, monitor({ state: 'failed', error }))]);
    expect(result.stderr).toContain('✖ failed: The operation failed: No capacity.\n');
  });

  test('a cancelled operation exits 3', async () => {
    const result = await run(['wait', `${api}${monitorPath}`], [json(200, monitor({ state: 'cancelled' }))]);
    expect(result.code).toBe(exitCodes.cancelled);
    expect(result.stderr).toContain('✖ cancelled');
  });

  test('--timeout exits 4 and says how to resume', async () => {
    const result = await run(
      ['wait', `${api}${monitorPath}`, '--timeout', '3', '--mode', 'poll'],
      [json(202, monitor({ state: 'running', percent: 10 }), { ETag: '"1"', 'Retry-After': '5' })],
    );
    expect(result.code).toBe(exitCodes.timedOut);
    expect(result.stderr).toContain(`resume with: longrun wait ${api}${monitorPath}`);
  });

  test('Ctrl-C stops waiting with exit 130 and leaves the operation alone', async () => {
    const interrupt = new AbortController();
    const result = await run(
      ['wait', `${api}${monitorPath}`, '--mode', 'poll'],
      [
        () => {
          interrupt.abort(new Error('interrupted'));
          return json(202, monitor({ state: 'running', percent: 10 }), { ETag: '"1"', 'Retry-After': '5' });
        },
      ],
      { signal: interrupt.signal },
    );
    expect(result.code).toBe(exitCodes.interrupted);
    expect(result.stderr).toContain(`Resume with: longrun wait ${api}${monitorPath}`);
    expect(result.server.requests.map((r) => r.method)).toEqual(['GET']);
  });
});

describe('usage', () => {
  test('--help prints the usage with the exit codes', async () => {
    const result = await run(['--help'], []);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes: 0 succeeded, 1 failed, 2 usage error, 3 cancelled, 4 timed out');
  });

  test.each([
    [[]],
    [['launch']],
    [['submit', 'POST']],
    [['wait']],
    [['wait', 'a', 'b']],
    [['wait', '/monitors/op_1', '--mode', 'websocket']],
    [['wait', '/monitors/op_1', '--timeout', '-1']],
    [['wait', '/monitors/op_1', '--unknown']],
    [['wait', '/monitors/op_1', '--base-url', 'not a url']],
  ])('%j is a usage error (exit 2)', async (argv) => {
    const result = await run(argv, []);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toContain('Usage:');
  });
});
