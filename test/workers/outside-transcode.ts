/**
 * The reference API's `transcode` kind, done by outside workers: the same route, spec and monitor,
 * the work taken from the broker. What a team does when its transcoder lives elsewhere.
 */
import { type AnyKind, defineOutsideKind } from '@longrun/server';

/** The reference kinds with `transcode` replaced by its outside twin. */
export function withOutsideTranscode(kinds: readonly AnyKind[]): AnyKind[] {
  const local = kinds.find((kind) => kind.name === 'transcode');
  const outside = defineOutsideKind({
    name: 'transcode',
    steps: local?.steps ?? [],
    estimateMs: () => 1_000,
  }) as unknown as AnyKind;
  return kinds.map((kind) => (kind.name === 'transcode' ? outside : kind));
}
