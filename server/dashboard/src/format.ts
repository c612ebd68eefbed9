/** How times and durations read on the page. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });

/** "in 12 sec.", "3 min. ago": the distance from `now` to `at`. */
export function fromNow(at: Date, now: number): string {
  const seconds = Math.round((at.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** The time of day, e.g. "14:03:27". */
export function clockTime(at: Date): string {
  return at.toLocaleTimeString('en-GB', { hour12: false });
}

/** The ETA of a running monitor: "14:03:27 (in 12 sec.)", "any moment now", or unknown. */
export function eta(estimatedCompletionAt: string | null, now: number): string {
  if (estimatedCompletionAt === null) return 'unknown';
  const at = new Date(estimatedCompletionAt);
  if (at.getTime() <= now) return 'any moment now';
  return `${clockTime(at)} (${fromNow(at, now)})`;
}

/** A JSON value as indented text. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
