/**
 * The Prometheus metrics of a longrun server (`prom-client`), each in its own registry so that
 * several servers in one process never share counters, and the `/metrics` route that serves them
 * to whom the operator allows.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { HttpProblem } from '../http/problem.ts';

/** Seconds, from a millisecond to ten minutes: handlers, queue waits and store writes all fit. */
const SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Every metric longrun reports. */
export class LongrunMetrics {
  readonly registry: Registry;
  readonly accepted: Counter<'kind'>;
  readonly started: Counter<'kind'>;
  readonly finished: Counter<'kind' | 'state'>;
  readonly handlerDuration: Histogram<'kind' | 'outcome'>;
  readonly queueWait: Histogram<'kind'>;
  readonly queueDepth: Gauge;
  readonly queueOldestAge: Gauge;
  readonly running: Gauge;
  readonly longPolls: Gauge;
  readonly eventStreams: Gauge;
  readonly webhookAttempts: Counter<'outcome' | 'target'>;
  readonly storeWrite: Histogram<'call'>;

  /** @param queueStats read on each scrape for the queue gauges; none: those gauges stay absent */
  constructor(
    queueStats?: () => Promise<{ queued: number; running: number; oldestQueuedAt: string | null }>,
    now: () => number = Date.now,
  ) {
    const registry = new Registry();
    this.registry = registry;
    collectDefaultMetrics({ register: registry });
    this.accepted = new Counter({
      name: 'longrun_operations_accepted_total',
      help: 'Operations accepted (stored queued) by this process',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.started = new Counter({
      name: 'longrun_operations_started_total',
      help: 'Handler runs started by this process (a re-run after a crash counts again)',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.finished = new Counter({
      name: 'longrun_operations_finished_total',
      help: 'Operations that ended, by their final state, as published by this process',
      labelNames: ['kind', 'state'],
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'longrun_handler_duration_seconds',
      help: 'How long handlers ran in this process; outcome: returned, threw or aborted (cancel, lost lease, stop)',
      labelNames: ['kind', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    });
    this.queueWait = new Histogram({
      name: 'longrun_queue_wait_seconds',
      help: 'How long operations waited queued before a handler started, at their start in this process',
      labelNames: ['kind'],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    });
    let stats: Promise<{ queued: number; running: number; oldestQueuedAt: string | null }> | undefined;
    // One store read per scrape serves the three gauges.
    const readStats = () => {
      stats ??= (queueStats as NonNullable<typeof queueStats>)().finally(() => {
        setImmediate(() => {
          stats = undefined;
        });
      });
      return stats;
    };
    this.queueDepth = new Gauge({
      name: 'longrun_queue_depth',
      help: 'Operations queued, of every tenant (read from the store at each scrape)',
      registers: queueStats ? [registry] : [],
      async collect() {
        this.set((await readStats()).queued);
      },
    });
    this.queueOldestAge = new Gauge({
      name: 'longrun_queue_oldest_age_seconds',
      help: 'Age of the oldest queued operation, 0 when none is queued (read from the store at each scrape)',
      registers: queueStats ? [registry] : [],
      async collect() {
        const oldest = (await readStats()).oldestQueuedAt;
        this.set(oldest === null ? 0 : Math.max(0, (now() - Date.parse(oldest)) / 1000));
      },
    });
    this.running = new Gauge({
      name: 'longrun_operations_running',
      help: 'Operations running on any worker, of every tenant (read from the store at each scrape)',
      registers: queueStats ? [registry] : [],
      async collect() {
        this.set((await readStats()).running);
      },
    });
    this.longPolls = new Gauge({
      name: 'longrun_long_polls_held',
      help: 'Long polls (Prefer: wait) this process holds open now',
      registers: [registry],
    });
    this.eventStreams = new Gauge({
      name: 'longrun_event_streams_held',
      help: 'Monitor event streams (text/event-stream) this process holds open now',
      registers: [registry],
    });
    this.webhookAttempts = new Counter({
      name: 'longrun_webhook_delivery_attempts_total',
      help: 'Webhook and callback delivery attempts by outcome: succeeded; retry and failed (for good) are failures; gone (410); released (stopping)',
      labelNames: ['outcome', 'target'],
      registers: [registry],
    });
    this.storeWrite = new Histogram({
      name: 'longrun_store_write_duration_seconds',
      help: 'How long store writes took until durable (committed), by store call',
      labelNames: ['call'],
      buckets: SECONDS_BUCKETS,
      registers: [registry],
    });
  }
}

/**
 * Who may read `/metrics` (`LONGRUN_METRICS`):
 * - `local` (the default): only callers on this machine (loopback addresses);
 * - `off`: nobody, the route does not exist;
 * - `open`: anyone who can reach the port;
 * - `{ token }` (`token:<secret>`): anyone sending `Authorization: Bearer <secret>`.
 */
export type MetricsAccess = 'local' | 'off' | 'open' | { token: string };

/** Reads `LONGRUN_METRICS`. @throws {RangeError} naming the accepted values. */
export function parseMetricsAccess(raw: string | undefined): MetricsAccess {
  const value = raw?.trim() ?? '';
  if (value === '') return 'local';
  if (value === 'local' || value === 'off' || value === 'open') return value;
  if (value.startsWith('token:') && value.length > 'token:'.length) return { token: value.slice('token:'.length) };
  throw new RangeError(`LONGRUN_METRICS must be local, off, open or token:<secret>, got "${value}"`);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Where the metrics are served. */
export const METRICS_PATH = '/metrics';

/** `GET /metrics` in the Prometheus text format, for callers `access` allows; others get 404. */
export function metricsRoutes(metrics: LongrunMetrics, access: MetricsAccess): express.Router {
  const router = express.Router();
  if (access === 'off') return router;
  router.get(METRICS_PATH, async (req: Request, res: Response) => {
    if (!allowed(req, access)) {
      // As if it were not there: a scan learns nothing.
      throw new HttpProblem('not-found', { detail: `No resource at ${req.path}.` });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

function allowed(req: Request, access: Exclude<MetricsAccess, 'off'>): boolean {
  if (access === 'open') return true;
  if (access === 'local') return LOOPBACK.test(req.socket.remoteAddress ?? '');
  const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const expected = Buffer.from(access.token);
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
