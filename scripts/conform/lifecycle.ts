/**
 * Following one accepted operation to its end, the way a client would, while noting every way the
 * monitor breaks the async contract: a pending answer without `Retry-After`, a state that moves
 * backwards, a step that waits for an outside action (performed with the spec's example), no end in time.
 */
import { findLink, parseRetryAfter } from './contract-headers.ts';
import { isObject, type Json, type Spec } from './spec.ts';
import type { Answer, Traffic } from './traffic.ts';

/** A fault the checks report: its message names what the API did wrong. */
export class Fault extends Error {
  override name = 'Fault';
}

/** How far along a state is: states may only move to a higher rank. */
const stateRanks: Record<string, number> = {
  queued: 0,
  notstarted: 0,
  pending: 0,
  accepted: 0,
  running: 1,
  inprogress: 1,
  started: 1,
  succeeded: 2,
  failed: 2,
  cancelled: 2,
  canceled: 2,
};

/** The monitor state of a body (`state`, or Azure's `status`), lower-cased, if it has one. */
export function stateOf(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const state = body.state ?? body.status;
  return typeof state === 'string' ? state.toLowerCase().replaceAll(/[^a-z]/g, '') : undefined;
}

/** Whether a state ends the operation. */
export function isTerminal(state: string | undefined): boolean {
  return state !== undefined && stateRanks[state] === 2;
}

/** The monitor URL of an accepted answer: `Link rel="monitor"`, else `Operation-Location`, else `Location`. */
export function monitorOf(answer: Answer): string | undefined {
  return (
    findLink(answer.headers.get('link'), 'monitor') ??
    answer.headers.get('operation-location') ??
    answer.headers.get('azure-asyncoperation') ??
    answer.headers.get('location') ??
    undefined
  );
}

/** What following an operation saw. */
export interface Followed {
  monitor: string;
  /** The distinct states in the order seen, e.g. `queued → running → succeeded`. */
  states: string[];
  /** Each backward move, e.g. `running → queued`. */
  regressions: string[];
  /** Pending answers (202) that came without a valid `Retry-After`. */
  missingRetryAfter: string[];
  /** The long poll's result, when one was tried. */
  longPoll?: { verdict: 'PASS' | 'FAIL'; detail: string };
  /** Outside actions performed for waiting steps. */
  actions: string[];
  /** The terminal answer. */
  final: Answer;
  polls: number;
}

/** Settings for following. */
export interface FollowOptions {
  timeoutMs: number;
  pollMs: number;
  /** Try one long poll (`Prefer: wait=N` + `If-None-Match`) while pending. */
  longPollSeconds?: number;
}

/**
 * Polls `monitor` until its state is terminal (or it stops answering 202 without any state), noting
 * contract faults on the way. Throws a {@link Fault} when it does not end within the timeout.
 */
export async function follow(
  traffic: Traffic,
  spec: Spec,
  monitor: string,
  options: FollowOptions,
  first?: Answer,
): Promise<Followed> {
  const deadline = Date.now() + options.timeoutMs;
  const followed: Followed = {
    monitor,
    states: [],
    regressions: [],
    missingRetryAfter: [],
    actions: [],
    final: first as Answer,
    polls: 0,
  };
  let rank = -1;
  let etag: string | undefined;
  let longPollTried = options.longPollSeconds === undefined;
  const note = (answer: Answer): boolean => {
    const state = stateOf(answer.json);
    if (state !== undefined) {
      if (followed.states.at(-1) !== state) followed.states.push(state);
      const stateRank = stateRanks[state];
      if (stateRank !== undefined) {
        if (stateRank < rank)
          followed.regressions.push(`${followed.states.at(-2) ?? '?'} → ${state} (poll ${followed.polls})`);
        rank = Math.max(rank, stateRank);
      }
    }
    if (answer.status === 202 && parseRetryAfter(answer.headers.get('retry-after'), Date.now()) === undefined)
      followed.missingRetryAfter.push(
        `${answer.method} ${new URL(answer.url).pathname} answered 202 ${describeRetryAfter(answer)}`,
      );
    return isTerminal(state) || (state === undefined && answer.status !== 202 && answer.status !== 304);
  };
  if (first !== undefined && first.json !== undefined && stateOf(first.json) !== undefined) note(first);
  for (;;) {
    let answer: Answer;
    if (!longPollTried && etag !== undefined) {
      longPollTried = true;
      answer = await longPoll(traffic, monitor, etag, options.longPollSeconds ?? 2);
      followed.longPoll = judgeLongPoll(answer, etag, options.longPollSeconds ?? 2);
    } else {
      answer = await traffic.send(monitor);
    }
    followed.polls += 1;
    if (answer.status >= 400)
      throw new Fault(`${monitor} answered ${answer.status} while being followed: ${summary(answer)}`);
    if (answer.status !== 304) {
      etag = answer.headers.get('etag') ?? undefined;
      followed.final = answer;
      if (note(answer)) return followed;
      await performWaitingActions(traffic, spec, answer, followed);
    }
    if (Date.now() > deadline)
      throw new Fault(
        `${monitor} did not end within ${options.timeoutMs / 1000} s (states seen: ${followed.states.join(' → ') || 'none'})`,
      );
    const asked = parseRetryAfter(answer.headers.get('retry-after'), Date.now()) ?? options.pollMs;
    await new Promise((resolve) => setTimeout(resolve, Math.min(asked, options.pollMs)));
  }
}

async function longPoll(traffic: Traffic, monitor: string, etag: string, seconds: number): Promise<Answer> {
  return traffic.send(monitor, {
    headers: { Prefer: `wait=${seconds}`, 'If-None-Match': etag },
    extraMs: seconds * 1000,
  });
}

function judgeLongPoll(answer: Answer, etag: string, seconds: number): { verdict: 'PASS' | 'FAIL'; detail: string } {
  if (answer.status === 304) {
    // A server that does not hold answers at once; one that holds answers when the wait is over.
    if (answer.ms < seconds * 1000 * 0.5)
      return {
        verdict: 'FAIL',
        detail: `Prefer: wait=${seconds} with a matching If-None-Match answered 304 after ${answer.ms} ms: the request was not held`,
      };
    return { verdict: 'PASS', detail: `held ${answer.ms} ms, then 304 (unchanged)` };
  }
  if (answer.headers.get('etag') === etag)
    return {
      verdict: 'FAIL',
      detail: `Prefer: wait=${seconds} answered ${answer.status} with the unchanged ETag ${etag} instead of waiting for a change`,
    };
  return { verdict: 'PASS', detail: `answered ${answer.status} after ${answer.ms} ms when the monitor changed` };
}

/** Performs the outside action of each step waiting for one (`action: {method, href}`), once per step. */
async function performWaitingActions(traffic: Traffic, spec: Spec, answer: Answer, followed: Followed): Promise<void> {
  const steps = isObject(answer.json) && Array.isArray(answer.json.steps) ? (answer.json.steps as unknown[]) : [];
  for (const step of steps) {
    if (!isObject(step) || step.state !== 'waiting' || !isObject(step.action)) continue;
    const action = step.action as Json;
    const method = String(action.method ?? 'POST').toUpperCase();
    const href = String(action.href ?? '');
    const label = `${method} ${href}`;
    if (followed.actions.includes(label)) continue;
    followed.actions.push(label);
    const target = spec.match(method, traffic.specPath(traffic.resolve(href)));
    const body = target ? spec.requestBody(target.operation).body : undefined;
    const done = await traffic.send(href, { method, ...(body !== undefined ? { body } : {}) });
    if (done.status >= 300)
      throw new Fault(
        `the outside action ${label} of step ${String(step.name)} answered ${done.status}: ${summary(done)}`,
      );
  }
}

function describeRetryAfter(answer: Answer): string {
  const value = answer.headers.get('retry-after');
  return value === null ? 'without Retry-After' : `with an unreadable Retry-After: ${value}`;
}

/** A short description of an answer's body for a message. */
export function summary(answer: Answer): string {
  if (isObject(answer.json)) {
    const { title, detail } = answer.json;
    const parts = [...new Set([title, detail].filter((part) => typeof part === 'string' && part !== ''))];
    if (parts.length > 0) return parts.join(': ');
  }
  return answer.text.slice(0, 200) || '(empty body)';
}
