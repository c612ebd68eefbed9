/**
 * The long-poll strategy: `Prefer: wait=N` asks the server to hold a poll until the monitor changes
 * (or N seconds pass); the server says it did with `Preference-Applied: wait=N`. Auto mode stops
 * asking a server that never applies it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7240#section-4.3
 */
import { hasPreference } from '@longrun/openapi/contract';
import type { WaitSession } from './wait-session.ts';

/**
 * Seconds to ask the server to hold the next poll, 0 for a plain poll. Only once a monitor is in
 * hand: without one, the first answer must come at once (a resumed wait shows its state now). Never
 * past the deadline.
 */
export function longPollSecondsNow(session: WaitSession): number {
  if (!session.askLongPoll || session.monitor === undefined) return 0;
  const remainingSeconds = Math.floor((session.deadline - session.clock()) / 1000);
  const seconds = Math.min(session.longPollSeconds, remainingSeconds);
  return seconds >= 1 ? seconds : 0;
}

/**
 * Whether the server held a poll that asked it to wait (`Preference-Applied` names `wait`). In auto
 * mode, a server that did not is polled plainly from then on.
 */
export function serverHeldRequest(session: WaitSession, response: Response, askedWaitSeconds: number): boolean {
  if (askedWaitSeconds <= 0) return false;
  const held = hasPreference(response.headers.get('Preference-Applied'), 'wait');
  if (!held && session.mode === 'auto') session.askLongPoll = false;
  return held;
}
