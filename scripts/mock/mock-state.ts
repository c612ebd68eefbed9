/**
 * What the stateful mock remembers and how a monitor answers from it: the accepted operations (each
 * a pure timeline, see monitor-timeline.ts), the idempotency keys, and the headers every monitor
 * answer carries (`ETag`, `Retry-After`, `Link: rel="monitor"`).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatLink, LinkRelation, retryAfterFromEta } from '@longrun/openapi/contract';
import { type KindTemplates, terminalStates } from './monitor-templates.ts';
import { type MockOperation, type MonitorSnapshot, monitorAt } from './monitor-timeline.ts';
import { isObject, type SpecIndex } from './spec-index.ts';

/** The state of one stateful mock and the settings its answers depend on. */
export interface MockState {
  readonly spec: SpecIndex;
  readonly templates: ReadonlyMap<string, KindTemplates>;
  readonly durationMs: number;
  readonly queuedMs: number;
  readonly retryBounds: { min: number; max: number };
  /** Accepted operations by id, in acceptance order. */
  readonly operations: Map<string, MockOperation>;
  /** `tenant NUL key` → the body first sent with the key and the operation it started. */
  readonly idempotencyKeys: Map<string, { body: string; id: string }>;
}

/** The operation `id` when `tenant` accepted it; another tenant's is as good as absent. */
export function visible(state: MockState, tenant: string, id: string | undefined): MockOperation | undefined {
  const operation = id === undefined ? undefined : state.operations.get(id);
  return operation?.tenant === tenant ? operation : undefined;
}

/** `Retry-After` in whole seconds: the time left to the estimated completion, within the bounds. */
export function retryAfter(state: MockState, snapshot: MonitorSnapshot): number {
  const eta = snapshot.estimatedCompletionAt;
  return retryAfterFromEta(eta === undefined ? null : new Date(eta).toISOString(), new Date(), {
    ...state.retryBounds,
    unknown: state.retryBounds.min,
  });
}

/** The monitor's path. */
export function monitorHref(id: string): string {
  return `/monitors/${id}`;
}

/** `Link: </monitors/{id}>; rel="monitor"`. */
export function monitorLink(id: string): string {
  return formatLink(monitorHref(id), LinkRelation.monitor);
}

/** The monitor's entity tag: its id and how many changes it has seen. */
export function etagOf(operation: MockOperation, snapshot: MonitorSnapshot): string {
  return `"${operation.id}.${snapshot.version}"`;
}

/** Holds until `done(snapshot)`, the monitor terminates, `seconds` pass or the client goes away. */
export async function waitForChange(
  operation: MockOperation,
  seconds: number,
  signal: AbortSignal,
  done: (snapshot: MonitorSnapshot) => boolean,
): Promise<MonitorSnapshot> {
  const deadline = Date.now() + seconds * 1000;
  let snapshot = monitorAt(operation, Date.now());
  while (!done(snapshot) && snapshot.nextChangeAt !== undefined && Date.now() < deadline && !signal.aborted) {
    const until = Math.min(snapshot.nextChangeAt, deadline);
    await sleep(Math.max(0, until - Date.now()) + 1, undefined, { signal }).catch(() => undefined);
    snapshot = monitorAt(operation, Date.now());
  }
  return snapshot;
}

/** The status and headers of a monitor answer: 202 while pending, 201 → product, 200 otherwise. */
export function monitorAnswer(
  state: MockState,
  operation: MockOperation,
  snapshot: MonitorSnapshot,
): { code: string; headers: Record<string, unknown> } {
  if (!terminalStates.has(snapshot.state)) {
    return { code: '202', headers: { 'Retry-After': retryAfter(state, snapshot), 'Cache-Control': 'no-store' } };
  }
  if (snapshot.state === 'succeeded' && operation.productHref !== undefined) {
    return { code: '201', headers: { Location: operation.productHref } };
  }
  return { code: '200', headers: {} };
}

/** A fresh id like the examples': `prefix` + 26 Crockford base-32 characters. */
export function mintId(prefix: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return prefix + [...randomBytes(26)].map((byte) => alphabet[byte % 32]).join('');
}

/** A copy of `value` with every string that contains one of the keys rewritten. */
export function replaceStrings(value: unknown, replacements: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    let result = value;
    for (const [from, to] of replacements) result = result.replaceAll(from, to);
    return result;
  }
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replacements));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replacements)]));
  }
  return value;
}
