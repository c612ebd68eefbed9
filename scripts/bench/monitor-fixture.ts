/**
 * The monitor the comparison servers answer with: the same JSON shape and size longrun gives for
 * an accepted transcode, so every server serialises the same document.
 */
import { randomBytes } from 'node:crypto';

/** The body every `POST /transcodes` of the benchmark sends. */
export const TRANSCODE_BODY = {
  source: 'https://media.example.com/raw/interview.mov',
  format: 'mp4',
  resolution: '1080p',
} as const;

/** A queued transcode monitor, as longrun renders one. */
export function queuedTranscodeMonitor(id: string, body: unknown, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  return {
    id,
    kind: 'transcode',
    state: 'queued',
    progress: { percent: 0 },
    estimatedCompletionAt: new Date(now.getTime() + 10_000).toISOString(),
    steps: [
      { name: 'probe', state: 'pending', title: 'Probe the source' },
      { name: 'encode', state: 'pending', title: 'Encode' },
      { name: 'package', state: 'pending', title: 'Package the product' },
    ],
    request: { method: 'POST', path: '/transcodes', body },
    cancelRequested: false,
    createdAt: at,
    updatedAt: at,
    startedAt: null,
    finishedAt: null,
    links: { self: { href: `/monitors/${id}` }, cancel: { href: `/monitors/${id}/cancel` } },
  };
}

/** An id shaped like longrun's (`op_` + 26 base32 characters). */
export function comparisonId(): string {
  return `op_${randomBytes(16).toString('hex').slice(0, 26)}`;
}
