import { describe, expectTypeOf, it } from 'vitest';
import { createWorker, type TaskContext, type Worker, type WorkerKind, type WorkerOutcome } from './index.ts';

interface TranscodeRequest {
  source: string;
  resolution: '480p' | '720p';
}

describe('createWorker types', () => {
  it('gives each kind its own input type and the task context', () => {
    const kind: WorkerKind<TranscodeRequest> = {
      async run(input, ctx) {
        expectTypeOf(input).toEqualTypeOf<TranscodeRequest>();
        expectTypeOf(ctx).toEqualTypeOf<TaskContext>();
        expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
        expectTypeOf(ctx.waitForAction<{ approved: boolean }>).returns.toEqualTypeOf<Promise<{ approved: boolean }>>();
        return { result: { bytes: 1 } };
      },
    };
    const worker = createWorker({ broker: 'amqp://localhost', kinds: { transcode: kind } });
    expectTypeOf(worker).toEqualTypeOf<Worker>();
  });

  it('accepts a product, a result, or nothing — never a product and a result', () => {
    expectTypeOf<{ product: { collection: 'p'; id: '1'; href: '/p/1'; body: { a: 1 } } }>().toExtend<WorkerOutcome>();
    expectTypeOf<{ result: 42 }>().toExtend<WorkerOutcome>();
    expectTypeOf<undefined>().toExtend<WorkerOutcome>();
    const both = { product: { collection: 'p', id: '1', href: '/p/1', body: {} }, result: 1 };
    // @ts-expect-error a task returns a product or a result, not both
    const outcome: WorkerOutcome = both;
    void outcome;
  });

  it('refuses a step state the protocol does not have', () => {
    const kind: WorkerKind<TranscodeRequest> = {
      async run(_input, ctx) {
        // @ts-expect-error `done` is not a step state
        await ctx.step('encode', 'done');
      },
    };
    void kind;
  });
});
