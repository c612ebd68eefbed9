/**
 * A TypeScript outside worker for the workers suite, built with `@longrun/client/worker`: it
 * transcodes (simulated) in three steps, reporting progress, and honours cancel. Configured by
 * `AMQP_URL`, `BROKER_PREFIX`, `WORKER_NAME`, `STEP_MS`; logs one JSON line per task event.
 */
import { createWorker } from '@longrun/client/worker';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const stepMs = Number(env('STEP_MS'));
const name = env('WORKER_NAME');
const log = (fields: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ worker: name, time: Date.now(), ...fields })}\n`);
};

interface TranscodeRequest {
  source: string;
  format: string;
  resolution: string;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

const worker = createWorker({
  broker: { url: env('AMQP_URL'), prefix: env('BROKER_PREFIX') },
  concurrency: 8,
  onError: (error) => log({ msg: 'worker error', error: String(error) }),
  kinds: {
    transcode: {
      async run(input: TranscodeRequest, ctx) {
        log({ msg: 'started', operationId: ctx.operationId, attempt: ctx.attempt });
        try {
          const steps = ['probe', 'encode', 'package'];
          for (const [index, step] of steps.entries()) {
            await ctx.step(step, 'running');
            await sleep(stepMs, ctx.signal);
            await ctx.progress(Math.round(((index + 0.5) / steps.length) * 100), `${step} half done`, step);
            await sleep(stepMs, ctx.signal);
            await ctx.step(step, 'succeeded');
          }
        } catch (error) {
          log({ msg: 'stopped', operationId: ctx.operationId, reason: String(error) });
          throw error;
        }
        const id = `prd_${ctx.operationId.slice(3)}`;
        const href = `/products/${id}`;
        log({ msg: 'succeeded', operationId: ctx.operationId, attempt: ctx.attempt });
        return {
          product: {
            collection: 'products',
            id,
            href,
            body: {
              id,
              source: input.source,
              format: input.format,
              resolution: input.resolution,
              sizeBytes: 1_000_000,
              durationSeconds: 60,
              createdAt: new Date().toISOString(),
              links: { self: { href } },
            },
          },
        };
      },
    },
  },
});
await worker.start();
log({ msg: 'ready' });
process.once('SIGTERM', () => {
  void worker.stop().then(() => process.exit(0));
});
