/**
 * Responses are checked against the spec in full in the test suite and in development, and by a
 * sample in production (`LONGRUN_VALIDATE_RESPONSES_SAMPLE`): a route whose answer breaks the spec
 * must still fail the tests, every time, not one time in a hundred.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../operations/ids.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

const BREAKING_LOG = 'response breaks the spec; sent as it is';

/** Stores an operation whose monitor breaks the spec (a step name the spec's pattern refuses). */
async function seedBreakingOperation(t: TestServer): Promise<string> {
  const now = new Date();
  const id = newId('op', now);
  await t.server.store.createOperation({
    operation: {
      id,
      tenant: 'acme',
      kind: 'reindex',
      input: {},
      request: { method: 'POST', path: '/reindex', body: {} },
      steps: [{ name: 'Not A Step Name', title: 'bad', state: 'pending' }] as never,
      estimatedCompletionAt: null,
      lockKey: null,
      callbackUrl: null,
      createdAt: now.toISOString(),
    },
  });
  return id;
}

function logSink(lines: { msg: string; operationIds?: string[] }[]) {
  return pino(
    { level: 'error' },
    new Writable({
      write(line, _encoding, done) {
        lines.push(JSON.parse(String(line)));
        done();
      },
    }),
  );
}

describe('response validation', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('catches a response that breaks the spec on every request, as the test suite runs the server', async () => {
    t = await startTestServer({ engine: { runWorker: false } });
    const id = await seedBreakingOperation(t);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${t.url}/monitors/${id}`, { headers: t.headers() });
      statuses.push(response.status);
      const problem = (await response.json()) as { type?: string };
      expect(problem.type).toBe('https://longrun.dev/problems/internal-error');
    }
    expect(statuses).toStrictEqual(Array(20).fill(500));
  });

  it('in log mode checks the share it is given: none at 0, every response at 1', async () => {
    const lines: { msg: string; operationIds?: string[] }[] = [];
    const reads = async (sample: number) => {
      t = await startTestServer({
        engine: { runWorker: false },
        validateResponses: 'log',
        responseSample: sample,
        logger: logSink(lines),
      });
      const id = await seedBreakingOperation(t);
      for (let i = 0; i < 10; i++) {
        const response = await fetch(`${t.url}/monitors/${id}`, { headers: t.headers() });
        // Sent as it is either way: a stored record never makes its reads fail in log mode.
        expect(response.status).toBe(202);
        await response.arrayBuffer();
      }
      await t.stop();
      t = undefined;
      const logged = lines.filter((line) => line.msg === BREAKING_LOG && line.operationIds?.includes(id));
      return logged.length;
    };
    expect(await reads(0)).toBe(0);
    expect(await reads(1)).toBe(10);
  });

  it('refuses a share outside 0–1', async () => {
    await expect(startTestServer({ engine: { runWorker: false }, responseSample: 2 })).rejects.toThrow(RangeError);
  });
});
