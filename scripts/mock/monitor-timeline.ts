/**
 * The life of one mocked operation as a pure function of time: queued for a while, then running
 * through its steps, then the chosen outcome; or cancelled when asked. No timers: the representation
 * at any instant is computed from the acceptance time, so the mock never drifts and tests need no
 * sleeps.
 */
import { isObject, type JsonObject } from './spec-index.ts';

/** One accepted request of the stateful mock. */
export interface MockOperation {
  id: string;
  /** Who accepted it: the bearer key (each key is a tenant of its own). */
  tenant: string;
  kind: string;
  /** Epoch milliseconds. */
  acceptedAt: number;
  /** From acceptance to the outcome. */
  durationMs: number;
  /** From acceptance to the start of work (≤ `durationMs`). */
  queuedMs: number;
  /** The request that started it, echoed in `request`. */
  request: { method: string; path: string; body?: unknown };
  /** The queued example, ids already replaced. */
  queued: JsonObject;
  /** The terminal example it ends in, ids already replaced. */
  outcome: JsonObject;
  /** The product the operation links, when it has one. */
  productHref: string | undefined;
  /** Whether the product exists from acceptance on (it is linked while the operation runs). */
  productFromStart: boolean;
  /** When cancellation was asked for (epoch ms). */
  cancelRequestedAt?: number | undefined;
  /** Whether the spec declares the cancel route: a monitor links it only then. @default true */
  cancellable?: boolean | undefined;
}

/** The monitor of a {@link MockOperation} at one instant. */
export interface MonitorSnapshot {
  monitor: JsonObject;
  state: string;
  /** Counts the changes so far; the `ETag` is `"<id>.<version>"`. */
  version: number;
  /** When the monitor changes next (epoch ms), or undefined once it is terminal. */
  nextChangeAt: number | undefined;
  /** The estimated completion time (epoch ms), or undefined once terminal. */
  estimatedCompletionAt: number | undefined;
}

interface Timeline {
  startAt: number;
  /** When running step `i` begins, for each step (at least one phase, even without steps). */
  phaseStarts: number[];
  endAt: number;
  /** When the operation ends cancelled, if it does. */
  cancelledAt: number | undefined;
}

/** The monitor of `operation` at `now` (epoch ms). */
export function monitorAt(operation: MockOperation, now: number): MonitorSnapshot {
  const timeline = timelineOf(operation);
  const events = eventsOf(operation, timeline);
  const version = events.filter((time) => time <= now).length;
  const nextChangeAt = events.find((time) => time > now);
  const steps = stepList(operation.queued);
  const base = {
    id: operation.id,
    kind: operation.kind,
  };
  const request = echoedRequest(operation);
  const iso = (time: number) => new Date(time).toISOString();
  const lastEvent = iso(events.filter((time) => time <= now).at(-1) ?? operation.acceptedAt);
  const selfLinks = (extra: JsonObject) => {
    const links: JsonObject = { self: { href: `/monitors/${operation.id}` } };
    if (operation.productFromStart && operation.productHref) links.product = { href: operation.productHref };
    return { ...links, ...extra };
  };

  const cancelledAt = timeline.cancelledAt;
  if (cancelledAt !== undefined && cancelledAt <= now) {
    const phase = phaseAt(timeline, cancelledAt - 1);
    const startedAt = cancelledAt > timeline.startAt ? iso(timeline.startAt) : null;
    const queuedProgress = isObject(operation.queued.progress) ? operation.queued.progress : { percent: 0 };
    return {
      state: 'cancelled',
      version,
      nextChangeAt: undefined,
      estimatedCompletionAt: undefined,
      monitor: {
        ...base,
        state: 'cancelled',
        progress: startedAt === null ? queuedProgress : progressOf(steps, phase),
        estimatedCompletionAt: null,
        steps: steps.map((step, index) => ({ ...step, state: index < phase ? 'succeeded' : 'skipped' })),
        request,
        cancelRequested: true,
        createdAt: iso(operation.acceptedAt),
        updatedAt: iso(cancelledAt),
        startedAt,
        finishedAt: iso(cancelledAt),
        links: selfLinks({}),
      },
    };
  }

  if (timeline.endAt <= now) {
    const { outcome } = operation;
    const outcomeLinks = isObject(outcome.links) ? outcome.links : {};
    const links: JsonObject = { self: { href: `/monitors/${operation.id}` } };
    if (
      operation.productHref &&
      (operation.productFromStart || outcome.state === 'succeeded') &&
      isObject(outcomeLinks.product)
    ) {
      links.product = { href: operation.productHref };
    }
    if (Array.isArray(outcomeLinks.related)) links.related = outcomeLinks.related;
    return {
      state: outcome.state as string,
      version,
      nextChangeAt: undefined,
      estimatedCompletionAt: undefined,
      monitor: withoutUndefined({
        ...base,
        state: outcome.state,
        progress: outcome.progress,
        estimatedCompletionAt: null,
        steps: outcome.steps,
        request,
        result: outcome.result,
        error: outcome.error,
        cancelRequested: false,
        createdAt: iso(operation.acceptedAt),
        updatedAt: iso(timeline.endAt),
        startedAt: iso(timeline.startAt),
        finishedAt: iso(timeline.endAt),
        links,
      }),
    };
  }

  const cancelRequested = operation.cancelRequestedAt !== undefined && operation.cancelRequestedAt <= now;
  const cancelLink =
    cancelRequested || operation.cancellable === false ? {} : { cancel: { href: `/monitors/${operation.id}/cancel` } };
  if (now < timeline.startAt) {
    return {
      state: 'queued',
      version,
      nextChangeAt,
      estimatedCompletionAt: timeline.endAt,
      monitor: {
        ...base,
        state: 'queued',
        progress: isObject(operation.queued.progress) ? operation.queued.progress : { percent: 0 },
        estimatedCompletionAt: iso(timeline.endAt),
        steps: steps.map((step) => ({ ...step, state: 'pending' })),
        request,
        cancelRequested: false,
        createdAt: iso(operation.acceptedAt),
        updatedAt: iso(operation.acceptedAt),
        startedAt: null,
        finishedAt: null,
        links: selfLinks(cancelLink),
      },
    };
  }

  const phase = phaseAt(timeline, now);
  return {
    state: 'running',
    version,
    nextChangeAt,
    estimatedCompletionAt: timeline.endAt,
    monitor: {
      ...base,
      state: 'running',
      progress: progressOf(steps, phase),
      estimatedCompletionAt: iso(timeline.endAt),
      steps: steps.map((step, index) => ({
        ...step,
        state: index < phase ? 'succeeded' : index === phase ? 'running' : 'pending',
      })),
      request,
      cancelRequested,
      createdAt: iso(operation.acceptedAt),
      updatedAt: lastEvent,
      startedAt: iso(timeline.startAt),
      finishedAt: null,
      links: selfLinks(cancelLink),
    },
  };
}

function timelineOf(operation: MockOperation): Timeline {
  const startAt = operation.acceptedAt + Math.min(operation.queuedMs, operation.durationMs);
  const endAt = operation.acceptedAt + operation.durationMs;
  const phases = Math.max(1, stepList(operation.queued).length);
  const phaseStarts = Array.from({ length: phases }, (_, index) => startAt + ((endAt - startAt) * index) / phases);
  let cancelledAt: number | undefined;
  const asked = operation.cancelRequestedAt;
  if (asked !== undefined && asked < endAt) {
    // Queued work is dropped at once; running work stops when its current step ends.
    cancelledAt = asked < startAt ? asked : (phaseStarts.find((start) => start > asked) ?? endAt);
  }
  return { startAt, phaseStarts, endAt, cancelledAt };
}

/** The instants the monitor changes at, in order, ending with its terminal change. */
function eventsOf(operation: MockOperation, timeline: Timeline): number[] {
  const end = timeline.cancelledAt ?? timeline.endAt;
  const events = [operation.acceptedAt, ...timeline.phaseStarts];
  if (operation.cancelRequestedAt !== undefined && operation.cancelRequestedAt >= timeline.startAt) {
    events.push(operation.cancelRequestedAt);
  }
  return [...new Set([...events.filter((time) => time < end), end])].sort((a, b) => a - b);
}

/** The running step at `time` (0-based; the steps' count once past the last one). */
function phaseAt(timeline: Timeline, time: number): number {
  if (time < timeline.startAt) return 0;
  const index = timeline.phaseStarts.findLastIndex((start) => start <= time);
  return Math.max(0, index);
}

function progressOf(steps: JsonObject[], phase: number): JsonObject {
  const percent = Math.round((100 * (phase + 1)) / (Math.max(1, steps.length) + 1));
  const title = steps[phase]?.title;
  return typeof title === 'string' ? { percent, message: title } : { percent };
}

function stepList(monitor: JsonObject): JsonObject[] {
  return (Array.isArray(monitor.steps) ? monitor.steps.filter(isObject) : []).map(({ name, title }) =>
    withoutUndefined({ name, title }),
  );
}

function echoedRequest(operation: MockOperation): JsonObject {
  const { method, path, body } = operation.request;
  return body === undefined ? { method, path } : { method, path, body };
}

function withoutUndefined(object: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
