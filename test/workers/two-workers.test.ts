/**
 * 200 operations done by two outside worker processes, one TypeScript (`@longrun/client/worker`)
 * and one Python (python3-pika), through a real RabbitMQ, with the TypeScript worker killed with
 * SIGKILL mid-run and the API process restarted once. Everything is a real process; what the test
 * counts comes from the API over HTTP (monitors, event streams, `waitFor`), from the processes'
 * own logs and from the broker's dead-letter queue.
 *
 * Leases last 2 s: a killed worker's tasks go to the next attempt quickly, yet a lease outlasts
 * the stalls of a loaded machine and the API's restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AcceptedResponse, createClient, waitFor } from '@longrun/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStream } from '../../server/src/testing/event-stream-reader.ts';
import { startTestBroker, type TestBroker } from '../support/rabbitmq.ts';
import { type LogLine, type SuiteProcess, startSuiteProcess } from './child-process.ts';
import { connectScriptedWorker, type ScriptedWorker } from './scripted-worker.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const KEY = 'test-key-acme';
const HEADERS = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
const OPERATIONS = 200;
/** Debian's interpreter, where python3-pika is installed (not whatever `python3` is first on the PATH). */
const PYTHON = '/usr/bin/python3';

let broker: TestBroker;
let prefix: string;
let dataDir: string;
let scripted: ScriptedWorker;
const processes: SuiteProcess[] = [];
const apiLogs: LogLine[][] = [];

function startApi(port = 0): Promise<{ process: SuiteProcess; url: string }> {
  return startSuiteProcess(
    `api-${apiLogs.length + 1}`,
    process.execPath,
    [join(HERE, 'api-process.ts')],
    {
      DATA_DIR: dataDir,
      AMQP_URL: broker.url,
      BROKER_PREFIX: prefix,
      LEASE_MS: '2000',
      MAX_ATTEMPTS: '4',
      PORT: String(port),
    },
    'longrun is serving',
  ).then((started) => {
    processes.push(started);
    apiLogs.push(started.logs as LogLine[]);
    const ready = started.logs.find((line) => line.msg === 'longrun is serving');
    return { process: started, url: String(ready?.url) };
  });
}

function startTsWorker(name: string): Promise<SuiteProcess> {
  return startSuiteProcess(
    name,
    process.execPath,
    [join(HERE, 'ts-worker.ts')],
    { AMQP_URL: broker.url, BROKER_PREFIX: prefix, WORKER_NAME: name, STEP_MS: '100' },
    'ready',
  ).then((started) => {
    processes.push(started);
    return started;
  });
}

beforeAll(async () => {
  broker = await startTestBroker();
  prefix = broker.newPrefix();
  dataDir = await mkdtemp(join(tmpdir(), 'longrun-two-workers-'));
  scripted = await connectScriptedWorker(broker.url, prefix);
});

afterAll(async () => {
  await Promise.all(processes.map((started) => started.stop()));
  await scripted?.close();
  await broker?.cleanUp(prefix, [`${prefix}.tasks.transcode`]);
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface MonitorEvent {
  state: string;
  progress: { percent: number; message?: string };
  steps: { name: string; state: string }[];
}

describe('two outside workers, one killed, the API restarted', () => {
  it('ends every operation exactly once, with their progress and steps on the monitors', {
    timeout: 240_000,
  }, async () => {
    let api = await startApi();

    let client = createClient({ baseUrl: api.url, apiKey: KEY });
    const accepted: AcceptedResponse[] = [];
    const ids: string[] = [];
    for (let batch = 0; batch < OPERATIONS / 20; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          client.POST('/transcodes', {
            body: { source: `https://media.example.com/raw/${batch}-${index}.mov`, format: 'mp4', resolution: '720p' },
          }),
        ),
      );
      for (const answer of answers) {
        expect(answer.response.status).toBe(202);
        accepted.push(answer as AcceptedResponse);
        ids.push((answer.data as { id: string }).id);
      }
    }

    // The first ten, watched as a client would: their event streams and `waitFor`.
    const watched = ids.slice(0, 10);
    const streams = watched.map(async (id) => {
      const stream = await openEventStream(`${api.url}/monitors/${id}/events`, HEADERS);
      const seen: MonitorEvent[] = [];
      for (;;) {
        const event = await stream.nextEvent();
        if (!event) break;
        const monitor = JSON.parse(event.data) as MonitorEvent;
        seen.push(monitor);
        if (['succeeded', 'failed', 'cancelled'].includes(monitor.state)) break;
      }
      await stream.close();
      return seen;
    });
    const firstWaits = accepted.slice(0, 10).map((answer) => waitFor(client, answer as never));

    // The workers start only now: the tasks waited in their durable queue, and every change of
    // the watched ten reaches their streams.
    const tsWorker = await startTsWorker('ts-1');

    // Mid-run: the first moment the TypeScript worker has finished twenty and holds at least two
    // more, it is killed. (Watched line by line as they come, so that moment is not missed.)
    const startedBy = (worker: SuiteProcess) => worker.logs.filter((line) => line.msg === 'started').length;
    const finishedBy = (worker: SuiteProcess) => worker.logs.filter((line) => line.msg === 'succeeded').length;
    const heldAtKill = new Set<string>();
    const killed = tsWorker
      .waitForLog(() => finishedBy(tsWorker) >= 20 && startedBy(tsWorker) - finishedBy(tsWorker) >= 2)
      .then(async () => {
        tsWorker.kill('SIGKILL');
        for (const line of tsWorker.logs) if (line.msg === 'started') heldAtKill.add(String(line.operationId));
        for (const line of tsWorker.logs) if (line.msg === 'succeeded') heldAtKill.delete(String(line.operationId));
        await tsWorker.exited;
      });
    const pyWorker = await startSuiteProcess(
      'py-1',
      PYTHON,
      [join(HERE, 'python_worker.py')],
      { AMQP_URL: broker.url, BROKER_PREFIX: prefix, WORKER_NAME: 'py-1', STEP_MS: '20' },
      'ready',
    );
    processes.push(pyWorker);

    // Three malformed reports, on purpose: they, and only they, end in the dead-letter queue.
    await scripted.sendRaw('{"protocol": 1, "type": "progress"');
    await scripted.sendRaw(
      JSON.stringify({ protocol: 1, type: 'progress', operationId: ids[0], token: 'x', seq: 0, percent: -5 }),
    );
    await scripted.sendRaw(JSON.stringify({ protocol: 1, type: 'done', operationId: ids[0], token: 'x', seq: 0 }));

    const products = await Promise.all(firstWaits);
    expect(products.map((product) => (product as { id: string }).id)).toEqual(
      watched.map((id) => `prd_${id.slice(3)}`),
    );
    const streamed = await Promise.all(streams);
    for (const seen of streamed) {
      expect(seen.at(-1)?.state).toBe('succeeded');
      // The workers' reports reached the monitors: a step running, progress between 0 and 100.
      expect(seen.some((m) => m.steps.some((step) => step.state === 'running'))).toBe(true);
      expect(seen.some((m) => m.progress.percent > 0 && m.progress.percent < 100 && m.progress.message)).toBe(true);
    }

    await killed;
    // And restart the API once, while the Python worker goes on reporting into the queue.
    await api.process.stop();
    api = await startApi(Number(new URL(api.url).port));
    client = createClient({ baseUrl: api.url, apiKey: KEY });
    const replacement = await startTsWorker('ts-2');

    const outcomes = await Promise.all(
      accepted.map((answer) => waitFor(client, answer as never, { timeoutMs: 180_000 })),
    );
    expect(outcomes).toHaveLength(OPERATIONS);
    for (const id of ids) {
      const response = await fetch(`${api.url}/monitors/${id}`, { headers: HEADERS });
      const monitor = (await response.json()) as MonitorEvent;
      expect(monitor.state).toBe('succeeded');
    }

    // Exactly once: each operation's ending was applied once, across both API processes.
    const endings = new Map<string, number>();
    for (const line of apiLogs.flat()) {
      if (line.msg === 'an outside operation ended') {
        endings.set(String(line.operationId), (endings.get(String(line.operationId)) ?? 0) + 1);
      }
    }
    expect([...endings.keys()].sort()).toEqual([...ids].sort());
    expect([...endings.values()].every((count) => count === 1)).toBe(true);

    // What the killed worker held went to another worker, as the next attempt.
    expect(heldAtKill.size).toBeGreaterThan(0);
    const rerun = [...pyWorker.logs, ...replacement.logs].filter(
      (line) => line.msg === 'started' && heldAtKill.has(String(line.operationId)),
    );
    expect(rerun.some((line) => Number(line.attempt) >= 2)).toBe(true);
    // Both languages did real work.
    expect(finishedBy(pyWorker)).toBeGreaterThan(0);

    const dead = await scripted.deadLetters();
    expect(dead.map((letter) => letter.reason)).toEqual([
      expect.stringMatching(/^not JSON/),
      expect.stringMatching(/\/percent must be >= 0/),
      expect.stringMatching(/\/type must be one of/),
    ]);
  });
});
