/**
 * The client's process for the `waitFor` figures: starts operations that end after a known sleep,
 * follows each with `waitFor` in one mode (or with Azure's `@azure/core-lro` poller, defaults
 * kept), and prints one JSON {@link WaitWorkerResult} line: for each operation, the time from its
 * completion on the server (`finishedAt`) to the moment the caller's promise resolved, and how
 * many requests following it took (the initial `POST` not counted).
 */
import { readFileSync } from 'node:fs';
import { createHttpPoller, type OperationResponse } from '@azure/core-lro';
import { createClient, type WaitMode, waitFor } from '@longrun/client';

/** What the worker is asked to do. */
export interface WaitWorkerOptions {
  url: string;
  apiKey: string;
  client: 'longrun' | 'azure';
  mode: Exclude<WaitMode, 'auto'> | 'defaults';
  operations: number;
  /** Each operation sleeps a random time in [minMs, maxMs] on the server. */
  minMs: number;
  maxMs: number;
}

/** One operation followed to its end. */
export interface WaitSample {
  /** Resolution time − the server's `finishedAt`, in ms. */
  latencyMs: number;
  /** Requests made while following it (polls, long polls, streams, product reads). */
  requests: number;
}

/** What the worker prints. */
export type WaitWorkerResult = { samples: WaitSample[] } | { error: string };

const options = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as WaitWorkerOptions;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.url)) throw new Error(`loopback targets only: ${options.url}`);
const headers = { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' };

function body(): string {
  const ms = Math.round(options.minMs + Math.random() * (options.maxMs - options.minMs));
  return JSON.stringify({ source: `https://media.example.com/sleep/${ms}`, format: 'mp4', resolution: '480p' });
}

async function finishedAt(id: string): Promise<number> {
  const response = await fetch(`${options.url}/monitors/${id}`, { headers });
  const monitor = (await response.json()) as { finishedAt: string | null };
  if (monitor.finishedAt === null) throw new Error(`${id} resolved before it finished`);
  return Date.parse(monitor.finishedAt);
}

async function followWithLongrun(): Promise<WaitSample> {
  let requests = 0;
  let counting = false;
  const longrun = createClient({
    baseUrl: options.url,
    apiKey: options.apiKey,
    fetch: (request) => {
      if (counting) requests += 1;
      return fetch(request);
    },
  });
  const accepted = await longrun.POST('/transcodes', { body: JSON.parse(body()), parseAs: 'json' });
  if (accepted.response.status !== 202 || accepted.data === undefined)
    throw new Error(`POST answered ${accepted.response.status}`);
  const id = (accepted.data as { id: string }).id;
  counting = true;
  await waitFor(longrun, accepted, { mode: options.mode as WaitMode, timeoutMs: 60_000 });
  const resolvedAt = Date.now();
  counting = false;
  return { latencyMs: resolvedAt - (await finishedAt(id)), requests };
}

async function followWithAzure(): Promise<WaitSample> {
  let requests = 0;
  let id = '';
  const send = async (method: string, url: string, payload?: string): Promise<OperationResponse<unknown>> => {
    const response = await fetch(new URL(url, options.url), {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return {
      flatResponse: parsed,
      rawResponse: { statusCode: response.status, request: { method, url }, headers: responseHeaders, body: parsed },
    };
  };
  const poller = createHttpPoller(
    {
      sendInitialRequest: async () => {
        const initial = await send('POST', '/transcodes', body());
        id = (initial.flatResponse as { id: string }).id;
        return initial;
      },
      sendPollRequest: (path) => {
        requests += 1;
        return send('GET', path);
      },
    },
    {},
  );
  await poller.pollUntilDone();
  const resolvedAt = Date.now();
  return { latencyMs: resolvedAt - (await finishedAt(id)), requests };
}

let result: WaitWorkerResult;
try {
  const follow = options.client === 'azure' ? followWithAzure : followWithLongrun;
  const samples = await Promise.all(Array.from({ length: options.operations }, follow));
  result = { samples };
} catch (error) {
  result = { error: error instanceof Error ? error.message : String(error) };
}
console.log(JSON.stringify(result));
