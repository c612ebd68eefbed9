/**
 * Declares a kind whose work is done by an outside worker: the API owns the HTTP contract and the
 * operation's record, a worker anywhere takes the task from the broker and reports back.
 */
import { defineKind, type KindDefinition, type KindStep } from '../operations/kind.ts';

/** What an outside kind is declared with: a kind's contract, minus the handler. */
export interface OutsideKindDefinition<Input> {
  /** Lower-case name, dotted when it helps: `video.transcode`. */
  readonly name: string;
  /** Initial workflow steps, all `pending`; workers may report others too. */
  readonly steps?: readonly KindStep[];
  /** Expected duration in ms, from which `estimatedCompletionAt` starts. */
  estimateMs?(input: Input): number;
  /** One at a time per tenant and key, as for local kinds. */
  lockKey?(input: Input): string | null;
  /** The task queue its workers consume. @default `<prefix>.tasks.<name>`, `prefix` being the broker's */
  readonly queue?: string;
}

/** Thrown if a runner is ever handed an outside kind: its work is never done in the API process. */
export class OutsideKindRunError extends Error {
  override readonly name = 'OutsideKindRunError';
}

/**
 * An outside kind: accepted and tracked like any other, its task published to `queue` for a
 * worker built with `createWorker` from `@longrun/client/worker` (or any worker that speaks
 * the protocol in `@longrun/openapi/worker-messages.schema.json`).
 *
 * @example
 * export const transcode = defineOutsideKind<TranscodeRequest, EncodedVideo>({
 *   name: 'transcode',
 *   steps: [{ name: 'probe' }, { name: 'encode' }, { name: 'package' }],
 *   queue: 'media.transcode',
 * });
 */
export function defineOutsideKind<Input, Product extends object = never, Result = never>(
  definition: OutsideKindDefinition<Input>,
): KindDefinition<Input, Product, Result> {
  const { queue, ...contract } = definition;
  return defineKind<Input, Product, Result>({
    ...contract,
    outside: { queue },
    run() {
      return Promise.reject(
        new OutsideKindRunError(`kind ${definition.name} is done by outside workers, not in this process`),
      );
    },
  });
}
