/**
 * The outside worker of the benchmark, in its own process: `@longrun/client/worker` doing no work,
 * so the figures are longrun's and the broker's. For each task it prints one JSON line with the
 * operation's id and the time (epoch ms) it reported `succeeded`. Configured by `BENCH_AMQP_URL`
 * and `BENCH_BROKER_PREFIX`; prints `ready` once consuming.
 */
import { createWorker } from '@longrun/client/worker';

const worker = createWorker({
  broker: { url: process.env.BENCH_AMQP_URL ?? '', prefix: process.env.BENCH_BROKER_PREFIX ?? 'longrun-bench' },
  concurrency: 64,
  kinds: {
    transcode: {
      async run(_input, ctx) {
        // Taken just before the report is sent: the start of the latency the benchmark reports.
        process.stdout.write(
          `${JSON.stringify({ operationId: ctx.operationId, succeededAt: performance.timeOrigin + performance.now() })}\n`,
        );
        return {};
      },
    },
  },
});
await worker.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.stop().then(() => process.exit(0));
});
