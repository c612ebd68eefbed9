/**
 * The load generator's process: runs autocannon against one server on loopback for a bounded time
 * (or a bounded number of requests) and prints one JSON {@link LoadResult} line. Run by `load.ts`,
 * never by hand; its own CPU is kept out of the server's process.
 *
 * Latencies are recorded from autocannon's per-response timings (float milliseconds), since its
 * own histogram keeps whole milliseconds only.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './load.ts';
import { quantile } from './stats.ts';

const options = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadOptions;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.url)) throw new Error(`loopback targets only: ${options.url}`);

const ids = options.ids ?? [];
let next = 0;
const latencies: number[] = [];
const started = performance.now();
const instance = autocannon({
  url: options.url,
  connections: options.connections,
  ...(options.amount === undefined ? { duration: options.durationSeconds } : { amount: options.amount }),
  timeout: 30,
  requests: [
    {
      method: options.method,
      headers: options.headers,
      ...(options.body === undefined ? {} : { body: options.body }),
      setupRequest: (request) => {
        if (!options.path.includes('{id}')) return { ...request, path: options.path };
        const id = ids[next++ % ids.length] as string;
        return { ...request, path: options.path.replace('{id}', id) };
      },
    },
  ],
});
instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  if (statusCode < 400) latencies.push(responseTime);
});
const result = await instance;
const elapsedSeconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const ok = result['2xx'] + (result.non2xx - countErrors(result));
const output: LoadResult = {
  requests: result.requests.total,
  ok,
  failed: result.errors + result.timeouts + countErrors(result),
  elapsedSeconds,
  requestsPerSecond: ok / elapsedSeconds,
  p50Ms: quantile(latencies, 0.5),
  p99Ms: quantile(latencies, 0.99),
};
console.log(JSON.stringify(output));

/** Non-2xx answers that are errors (4xx/5xx); a 3xx (304) is a valid answer. */
function countErrors(r: typeof result): number {
  const stats = (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  let errors = 0;
  for (const [code, { count }] of Object.entries(stats)) if (Number(code) >= 400) errors += count;
  return errors;
}
