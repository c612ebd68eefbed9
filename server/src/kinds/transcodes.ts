/**
 * Transcodes (many at a time): each request has its own monitor and, on success, its
 * own product document at `/products/{id}`.
 */
import { randomInt } from 'node:crypto';
import { newId } from '../operations/ids.ts';
import { defineKind } from '../operations/kind.ts';
import { OperationProblemError } from '../operations/problems.ts';
import { runSimulatedSteps, type SimulatedStep, type Simulation, scaledTotal } from './simulation.ts';
import type { Schema } from './spec-types.ts';

/** What to transcode. */
export type TranscodeRequest = Schema<'TranscodeRequest'>;
/** The product document. */
export type EncodedVideo = Schema<'EncodedVideo'>;

/** Sources whose path ends like this have no video stream: a documented way to see a failure. */
export const UNREADABLE_SOURCE_SUFFIX = '.missing';

const ENCODE_MS: Record<TranscodeRequest['resolution'], number> = {
  '480p': 3_000,
  '720p': 5_000,
  '1080p': 8_000,
  '2160p': 16_000,
};

const BITS_PER_SECOND: Record<TranscodeRequest['resolution'], number> = {
  '480p': 1_000_000,
  '720p': 2_500_000,
  '1080p': 5_000_000,
  '2160p': 16_000_000,
};

function stepsFor(request: TranscodeRequest): SimulatedStep[] {
  return [
    { name: 'probe', title: 'Probe the source', ms: 1_000 },
    { name: 'encode', title: 'Encode', ms: ENCODE_MS[request.resolution] },
    { name: 'package', title: 'Package the product', ms: 1_000 },
  ];
}

/** `transcode`: probes, encodes and packages a video into a product document. */
export function transcodeKind(simulation: Simulation) {
  return defineKind<TranscodeRequest, EncodedVideo>({
    name: 'transcode',
    steps: stepsFor({ source: '', format: 'mp4', resolution: '480p' }).map(({ name, title }) => ({ name, title })),
    estimateMs: (request) => scaledTotal(simulation, stepsFor(request)),
    async run(request, ctx) {
      await runSimulatedSteps(ctx, simulation, stepsFor(request), (step) => {
        if (step.name === 'probe' && new URL(request.source).pathname.endsWith(UNREADABLE_SOURCE_SUFFIX)) {
          throw new OperationProblemError({
            type: 'operation-failed',
            title: 'The operation failed',
            status: 500,
            detail: 'The source has no video stream.',
          });
        }
      });
      const id = newId('prd', ctx.now());
      const href = `/products/${id}`;
      const durationSeconds = 60 + randomInt(3_540);
      const video: EncodedVideo = {
        id,
        source: request.source,
        format: request.format,
        resolution: request.resolution,
        sizeBytes: Math.round((durationSeconds * BITS_PER_SECOND[request.resolution]) / 8),
        durationSeconds,
        createdAt: ctx.now().toISOString(),
        links: { self: { href } },
      };
      return { product: { collection: 'products', id, href, body: video } };
    },
  });
}
