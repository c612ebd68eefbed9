/**
 * The poll strategy: conditional GETs of the monitor (`If-None-Match`), spaced by `Retry-After`,
 * else jittered backoff; with `Prefer: wait=N` when the long poll is on (see `long-poll.ts`), asked
 * again at once when the server held it.
 */
import { clampDelay, findLink, LinkRelation, mergePreferences, sameEntityTag } from '@longrun/openapi/contract';
import { backoffDelay } from '../backoff.ts';
import { ApiError, apiErrorFrom } from '../errors.ts';
import { isMonitor } from '../monitor-changes.ts';
import { jsonAccept, readJson } from '../read-json.ts';
import { longPollSecondsNow, serverHeldRequest } from './long-poll.ts';
import type { WaitSession } from './wait-session.ts';
import type { Pending, Step } from './wait-status.ts';

/** Sleeps the pause the last answer asked for, reads the monitor once, and sets the next pause. */
export async function pollOnce(session: WaitSession): Promise<Step> {
  await session.sleep(session.nextDelayMs);
  const longPollSeconds = longPollSecondsNow(session);
  const startedAt = session.clock();
  const response = await session.fetchWithRetries(() => pollRequest(session, longPollSeconds));
  const step = await readPoll(session, response, longPollSeconds);
  if (!step.done) session.nextDelayMs = nextPollDelay(session, step, session.clock() - startedAt, longPollSeconds > 0);
  return step;
}

/** One read of the monitor; the client merges its own `Prefer` into the one set here. */
export function pollRequest(session: WaitSession, longPollSeconds: number): Promise<Response> {
  const headers = new Headers({ Accept: jsonAccept });
  if (session.etag !== undefined) headers.set('If-None-Match', session.etag);
  const prefer = mergePreferences(longPollSeconds > 0 ? `wait=${longPollSeconds}` : undefined, session.prefer);
  if (prefer !== undefined) headers.set('Prefer', prefer);
  return session.client.fetchLink(session.monitorUrl as string, { headers, signal: session.signal ?? null });
}

/** Reads one answer of the monitor (or of an embedded-status resource that links it). */
export async function readPoll(session: WaitSession, response: Response, askedWaitSeconds: number): Promise<Step> {
  const appliedWait = serverHeldRequest(session, response, askedWaitSeconds);
  const heldEtag = session.etag;
  session.etag = response.headers.get('ETag') ?? session.etag;
  // The version already held, sent again (a mock that echoes its example ETag, a server that ignores
  // If-None-Match): nothing changed, so it is no reason to ask again at once.
  const sameVersion = heldEtag !== undefined && sameEntityTag(response.headers.get('ETag'), heldEtag);
  const retryAfterMs = session.retryAfter(response);
  if (response.status === 304) return { done: false, fresh: false, changed: false, retryAfterMs, appliedWait };
  if (response.status !== 200 && response.status !== 201 && response.status !== 202) {
    throw apiErrorFrom(response, await readJson(response), 'Reading the monitor failed', undefined, session.monitorUrl);
  }
  const body = await readJson(response);
  const base = response.url || session.monitorUrl || `${session.client.baseUrl}/`;
  if (!isMonitor(body)) {
    const monitorLink = findLink(response.headers.get('Link'), LinkRelation.monitor);
    const linked = monitorLink === undefined ? undefined : new URL(monitorLink, base).href;
    if (linked === undefined || linked === session.monitorUrl) {
      throw new ApiError(`${session.monitorUrl} is not a monitor and links none (Link rel="monitor").`, {
        status: response.status,
        url: session.monitorUrl,
        method: 'GET',
      });
    }
    // An embedded-status resource (a virtual machine): wait on the monitor it links.
    session.monitorUrl = linked;
    session.etag = undefined;
    return { done: false, fresh: true, changed: false, retryAfterMs: undefined, appliedWait: false, immediate: true };
  }
  const step = await session.readMonitor(body, response, base);
  return step.done ? step : { ...step, fresh: !sameVersion, appliedWait };
}

/** How long to pause before the next poll. */
export function nextPollDelay(session: WaitSession, step: Pending, elapsedMs: number, askedLongPoll: boolean): number {
  if (step.immediate) return 0;
  // The first long poll starts at once: the server holds it until something changes. (Should the
  // server not apply it, auto mode learns that from this answer and goes back to Retry-After.)
  if (!askedLongPoll && longPollSecondsNow(session) > 0) return 0;
  if (step.appliedWait && session.askLongPoll) {
    // The server held the request until something changed (or its wait ran out): ask again at
    // once. An answer that came back early with nothing new (a 304 from a misbehaving
    // intermediary, the ETag already held from a mock) still keeps the minimum pause.
    return step.fresh ? 0 : Math.max(0, session.bounds.minDelayMs - elapsedMs);
  }
  if (step.retryAfterMs !== undefined) return clampDelay(step.retryAfterMs, session.bounds);
  const pause = backoffDelay(session.quietPolls, {
    initialDelayMs: session.initialBackoffMs,
    maxDelayMs: session.bounds.maxDelayMs,
    random: session.random,
  });
  session.quietPolls++;
  return clampDelay(pause, session.bounds);
}
