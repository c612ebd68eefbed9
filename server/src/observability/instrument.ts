/**
 * Observability as an adapter around the core: it wraps the ports the engine is built from (the
 * store, the kinds) and the engine's own entry points, counting and tracing what passes, so the
 * core knows nothing of metrics or traces.
 *
 * The trace of one accepted request: `POST /cars` (server) → `accept car.create` → `queue car.create`
 * (accepted until a handler started) → `run car.create` (the handler) → `deliver webhook …` (each
 * delivery attempt). The request's trace context is stored with the operation (`request.traceparent`),
 * so the handler's and deliveries' spans join its trace whichever process runs them.
 */
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { OperationEngine } from '../operations/engine.ts';
import type { AnyKind } from '../operations/kind.ts';
import type { OperationRecord } from '../operations/model.ts';
import type { EndAndClaimResult, OperationStore } from '../operations/ports/operation-store.ts';
import type { ClaimedDelivery, DeliveryAttempt, WebhookStore } from '../operations/ports/webhook-store.ts';
import { isTerminal } from '../operations/state.ts';
import type { LongrunMetrics } from './metrics.ts';
import { contextFrom, traceContextOf } from './trace-context.ts';
import { longrunTracer } from './tracing.ts';

/** Store calls that write: timed as store write latency (until durable). */
const WRITE_CALLS = new Set([
  'createOperation',
  'claimNext',
  'claimBatch',
  'renewLease',
  'updateOperation',
  'updateOperations',
  'updateOperationsAndClaim',
  'requestCancel',
  'deliverAction',
  'recoverExpiredLeases',
  'putResource',
  'deleteExpired',
]);

/** Most claimed records kept for {@link ClaimedRecords}; past it the oldest are dropped. */
const CLAIMED_RECORDS_KEPT = 10_000;

/**
 * The records the store handed to this process's claims, kept until their handler starts: the
 * queue span and the queue-wait metric need the operation as claimed, and reading it again would
 * cost every run a store read. Bounded: a claim whose handler never starts (an unknown kind) is
 * dropped in time, and a run that finds nothing here reads the store instead.
 */
export class ClaimedRecords {
  readonly #records = new Map<string, OperationRecord>();

  /** Remembers the records of claims that came back from the store. */
  remember(claims: unknown): void {
    const list = Array.isArray(claims) ? claims : claims === undefined ? [] : [claims];
    for (const claim of list as { operation?: OperationRecord }[]) {
      if (claim?.operation === undefined) continue;
      this.#records.set(claim.operation.id, claim.operation);
      if (this.#records.size > CLAIMED_RECORDS_KEPT) {
        const oldest = this.#records.keys().next().value;
        if (oldest !== undefined) this.#records.delete(oldest);
      }
    }
  }

  /** The claimed record of `operationId`, forgotten once taken. */
  take(operationId: string): OperationRecord | undefined {
    const record = this.#records.get(operationId);
    this.#records.delete(operationId);
    return record;
  }
}

/**
 * The store, its writes timed; its webhook store (when it keeps one) reports delivery attempts.
 * Methods run on the store itself (private fields stay reachable). Claims are remembered in
 * `claimed` for {@link instrumentKinds}.
 */
export function instrumentStore<Store extends OperationStore>(
  store: Store,
  metrics: LongrunMetrics | undefined,
  claimed?: ClaimedRecords,
): Store {
  let webhooks: WebhookStore | undefined;
  return new Proxy(store, {
    get(target, property, _receiver) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'webhooks' && value !== undefined) {
        webhooks ??= instrumentWebhookStore(value as WebhookStore, store, metrics);
        return webhooks;
      }
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (
        claimed !== undefined &&
        (property === 'claimNext' || property === 'claimBatch' || property === 'updateOperationsAndClaim')
      ) {
        return (...args: unknown[]) => {
          const end = metrics?.storeWrite.startTimer({ call: property });
          const result = method.apply(target, args) as Promise<unknown>;
          return result
            .then((claims) => {
              claimed.remember(
                property === 'updateOperationsAndClaim' ? claimsOf(claims as EndAndClaimResult) : claims,
              );
              return claims;
            })
            .finally(() => end?.());
        };
      }
      if (metrics === undefined || typeof property !== 'string' || !WRITE_CALLS.has(property)) {
        return method.bind(target);
      }
      return (...args: unknown[]) => {
        const end = metrics.storeWrite.startTimer({ call: property });
        const result = method.apply(target, args) as Promise<unknown>;
        return result.finally(end);
      };
    },
  });
}

/** The claims an ending-and-claim call made (none when its claim failed). */
function claimsOf(result: EndAndClaimResult): unknown {
  return result.claims.status === 'fulfilled' ? result.claims.value : [];
}

/** The webhook store, each recorded attempt counted and traced as a span of the operation's trace. */
function instrumentWebhookStore(
  webhooks: WebhookStore,
  operations: OperationStore,
  metrics: LongrunMetrics | undefined,
): WebhookStore {
  const claimed = new Map<string, { delivery: ClaimedDelivery; at: Date }>();
  return new Proxy(webhooks, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => unknown).bind(target);
      if (property === 'claimDeliveries') {
        return async (...args: unknown[]) => {
          const deliveries = (await method(...args)) as ClaimedDelivery[];
          const at = new Date();
          for (const delivery of deliveries) claimed.set(delivery.id, { delivery, at });
          return deliveries;
        };
      }
      if (property === 'recordDeliveryAttempt') {
        return async (...args: unknown[]) => {
          const [deliveryId, , attempt] = args as [string, string, DeliveryAttempt, Date];
          const recorded = await method(...args);
          const claim = claimed.get(deliveryId);
          claimed.delete(deliveryId);
          metrics?.webhookAttempts.inc({ outcome: attempt.outcome, target: claim?.delivery.target.kind ?? 'unknown' });
          if (claim) void traceDelivery(claim.delivery, claim.at, attempt, operations);
          return recorded;
        };
      }
      return method;
    },
  });
}

/** A span for one delivery attempt, from its claim to its recorded outcome, in the operation's trace. */
async function traceDelivery(
  delivery: ClaimedDelivery,
  claimedAt: Date,
  attempt: DeliveryAttempt,
  operations: OperationStore,
): Promise<void> {
  const ended = new Date();
  const operation = await operations.getOperation(delivery.tenant, delivery.operationId).catch(() => undefined);
  const span = longrunTracer().startSpan(
    `deliver ${delivery.target.kind === 'subscription' ? 'webhook' : 'callback'} ${delivery.type}`,
    {
      kind: SpanKind.PRODUCER,
      startTime: claimedAt,
      attributes: {
        'longrun.operation.id': delivery.operationId,
        'longrun.delivery.id': delivery.id,
        'longrun.delivery.attempt': delivery.attempts + 1,
        'longrun.delivery.outcome': attempt.outcome,
        ...(attempt.outcome !== 'released' && attempt.status !== null
          ? { 'http.response.status_code': attempt.status }
          : {}),
      },
    },
    contextFrom(operation?.request as Record<string, unknown> | undefined),
  );
  if (attempt.outcome === 'retry' || attempt.outcome === 'failed') {
    span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.error });
  }
  span.end(ended);
}

/**
 * The kinds, each handler run timed and traced: a `queue` span for the wait since it was accepted
 * and a `run` span around the handler, both children of the accepting request's span.
 */
export function instrumentKinds(
  kinds: readonly AnyKind[],
  store: OperationStore,
  metrics: LongrunMetrics | undefined,
  claimed?: ClaimedRecords,
): AnyKind[] {
  return kinds.map((kind) => ({
    ...kind,
    async run(input, ctx) {
      const operation = claimed?.take(ctx.operationId) ?? (await store.getOperation(ctx.tenant, ctx.operationId));
      const parent = contextFrom(operation?.request as Record<string, unknown> | undefined);
      const attributes = {
        'longrun.operation.id': ctx.operationId,
        'longrun.operation.kind': kind.name,
        'longrun.attempt': ctx.attempt,
      };
      if (operation) {
        const started = operation.startedAt ? new Date(operation.startedAt) : ctx.now();
        const queued = new Date(operation.createdAt);
        metrics?.queueWait.observe({ kind: kind.name }, Math.max(0, (started.getTime() - queued.getTime()) / 1000));
        longrunTracer()
          .startSpan(`queue ${kind.name}`, { kind: SpanKind.INTERNAL, startTime: queued, attributes }, parent)
          .end(started);
      }
      metrics?.started.inc({ kind: kind.name });
      const endTimer = metrics?.handlerDuration.startTimer({ kind: kind.name });
      return longrunTracer().startActiveSpan(
        `run ${kind.name}`,
        { kind: SpanKind.CONSUMER, attributes },
        parent,
        async (span) => {
          try {
            const outcome = await kind.run(input, ctx);
            endTimer?.({ outcome: 'returned' });
            return outcome;
          } catch (error) {
            endTimer?.({ outcome: ctx.signal.aborted ? 'aborted' : 'threw' });
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
  }));
}

/**
 * The engine, observed: `accept` runs in an `accept` span and stores the request's trace context
 * with the operation; long polls and event streams held are counted; ends are counted by state.
 */
export function instrumentEngine(engine: OperationEngine, metrics: LongrunMetrics | undefined): void {
  const accept = engine.accept.bind(engine);
  engine.accept = (command) =>
    longrunTracer().startActiveSpan(
      `accept ${command.kind}`,
      { kind: SpanKind.INTERNAL, attributes: { 'longrun.operation.kind': command.kind } },
      async (span) => {
        try {
          const carried = traceContextOf(context.active());
          const outcome = await accept({ ...command, request: { ...command.request, ...carried } });
          span.setAttribute('longrun.accept.outcome', outcome.outcome);
          if ('operation' in outcome && outcome.operation)
            span.setAttribute('longrun.operation.id', outcome.operation.id);
          if (outcome.outcome === 'created') metrics?.accepted.inc({ kind: command.kind });
          return outcome;
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  if (!metrics) return;
  for (const name of ['waitForChange', 'waitForTerminal'] as const) {
    const wait = engine[name].bind(engine) as (...args: unknown[]) => Promise<unknown>;
    (engine as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      metrics.longPolls.inc();
      try {
        return await wait(...args);
      } finally {
        metrics.longPolls.dec();
      }
    };
  }
  const subscribe = engine.subscribe.bind(engine);
  engine.subscribe = (operationId, listener) => {
    metrics.eventStreams.inc();
    const unsubscribe = subscribe(operationId, listener);
    let held = true;
    return () => {
      if (held) metrics.eventStreams.dec();
      held = false;
      unsubscribe();
    };
  };
  engine.changes.subscribeAll((record) => {
    if (isTerminal(record.state)) metrics.finished.inc({ kind: record.kind, state: record.state });
  });
}
