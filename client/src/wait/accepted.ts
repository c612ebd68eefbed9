/**
 * Starting a wait from what the caller holds: the answer that accepted the request (202, or
 * 200/201 after `Prefer: wait`), a monitor, or a monitor's URL.
 */
import { findLink, LinkRelation } from '@longrun/openapi/contract';
import { ApiError, apiErrorFrom } from '../errors.ts';
import { isMonitor } from '../monitor-changes.ts';
import type { AcceptedResponse, AnyMonitor } from '../types.ts';
import { nextPollDelay } from './poll.ts';
import type { WaitSession } from './wait-session.ts';
import { nothingNew, type Step } from './wait-status.ts';

/** Reads the answer to the request that started the operation (202, or 200/201 after `Prefer: wait`). */
export async function readAccepted(session: WaitSession, accepted: AcceptedResponse): Promise<Step> {
  const { response } = accepted;
  if (accepted.error !== undefined || response === undefined || !response.ok) {
    throw apiErrorFrom(response, accepted.error, 'The request was refused');
  }
  const base = response.url || `${session.client.baseUrl}/`;
  const monitorLink = findLink(response.headers.get('Link'), LinkRelation.monitor);
  const location = response.headers.get('Location') ?? undefined;
  const body = accepted.data;
  if (isMonitor(body)) {
    // Link rel=monitor first: for an embedded-status resource, Location is the resource itself.
    const href =
      monitorLink ??
      response.headers.get('Content-Location') ??
      (response.status === 202 ? location : undefined) ??
      body.links.self.href;
    session.monitorUrl = new URL(href, base).href;
    return session.readMonitor(body, response, base);
  }
  const href = monitorLink ?? (response.status === 202 ? location : undefined);
  if (href !== undefined) {
    session.monitorUrl = new URL(href, base).href;
    return { ...nothingNew, retryAfterMs: session.retryAfter(response) };
  }
  if (response.status !== 202) return { done: true, outcome: body }; // answered synchronously
  throw new ApiError('The 202 answer names no monitor (no Link rel="monitor", no Location, no monitor body).', {
    status: response.status,
    url: response.url,
  });
}

/**
 * Reads what the wait starts from: a monitor's URL (read by the first poll), a monitor in hand
 * (followed through its `links.self`), or the answer that accepted the request.
 */
export async function startWait(
  session: WaitSession,
  target: AcceptedResponse | AnyMonitor | string | URL,
): Promise<Step> {
  session.signal?.throwIfAborted();
  if (typeof target === 'string' || target instanceof URL) {
    session.monitorUrl = new URL(target, `${session.client.baseUrl}/`).href;
    return nothingNew;
  }
  if (isMonitor(target)) {
    session.monitorUrl = new URL(target.links.self.href, `${session.client.baseUrl}/`).href;
    return session.readMonitor(target, undefined, session.monitorUrl);
  }
  const step = await readAccepted(session, target);
  if (!step.done) session.nextDelayMs = nextPollDelay(session, step, 0, false);
  return step;
}
