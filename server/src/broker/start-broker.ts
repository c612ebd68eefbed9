/**
 * Connects the engine to a message broker: publishes outside kinds' tasks, applies workers'
 * reports, dead-letters malformed ones. `createServer({ broker })` calls it; nothing else in the
 * server knows a broker exists.
 */
import type { OperationEngine } from '../operations/engine.ts';
import { newId } from '../operations/ids.ts';
import type { AnyKind } from '../operations/kind.ts';
import type { OperationLogger } from '../operations/logger.ts';
import { type Clock, systemClock, systemTimers, type Timers } from '../operations/ports/clock.ts';
import type { OperationStore } from '../operations/ports/operation-store.ts';
import { WorkerMessageValidator } from './message-validator.ts';
import { brokerNames, DEFAULT_BROKER_PREFIX } from './protocol.ts';
import { connectRabbitMq } from './rabbitmq-transport.ts';
import { ReportApplier } from './report-applier.ts';
import { TaskDispatcher } from './task-dispatcher.ts';

/** Default {@link BrokerOptions.dispatchLeaseMs}: a task may wait five minutes for a worker. */
export const DEFAULT_DISPATCH_LEASE_MS = 5 * 60_000;

/** How the server reaches its broker (RabbitMQ). */
export interface BrokerOptions {
  /** `amqp://user:password@host:5672/vhost` */
  url: string;
  /** Prefix of every queue and exchange name. @default 'longrun' */
  prefix?: string | undefined;
  /**
   * How long a dispatched task may wait in its queue for a worker before it is dispatched again
   * (attempt + 1). @default 300_000
   */
  dispatchLeaseMs?: number | undefined;
  /**
   * The lease a worker's reports keep alive: a worker silent this long is lost and its task goes
   * to another worker. Workers report every third of it. @default the engine's `leaseMs`
   */
  heartbeatLeaseMs?: number | undefined;
  /** Reports applied at once. @default 64 */
  prefetch?: number | undefined;
  /** Backstop poll for outside operations accepted elsewhere. @default 250 */
  pollIntervalMs?: number | undefined;
}

/** What {@link startBroker} wires together. */
export interface StartBrokerOptions extends BrokerOptions {
  engine: OperationEngine;
  store: OperationStore;
  /** Default heartbeat lease and recovery limit, from the engine's configuration. */
  leaseMs: number;
  maxAttempts: number;
  logger: OperationLogger;
  clock?: Clock | undefined;
  timers?: Timers | undefined;
}

/** A running broker connection. */
export interface BrokerConnection {
  /** Stops dispatching and consuming, then disconnects. */
  stop(): Promise<void>;
}

/** Starts dispatching the engine's outside kinds and applying their workers' reports. */
export async function startBroker(options: StartBrokerOptions): Promise<BrokerConnection> {
  const { engine, store, logger } = options;
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? systemTimers;
  const names = brokerNames(options.prefix ?? DEFAULT_BROKER_PREFIX);
  const outside = new Map<string, AnyKind>();
  const queues = new Map<string, string>();
  for (const kind of engine.kinds.values()) {
    if (!kind.outside) continue;
    outside.set(kind.name, kind);
    queues.set(kind.name, kind.outside.queue ?? names.taskQueue(kind.name));
  }
  const heartbeatLeaseMs = options.heartbeatLeaseMs ?? options.leaseMs;
  const transport = await connectRabbitMq({
    url: options.url,
    names,
    taskQueues: [...queues.values()],
    prefetch: options.prefetch,
    logger,
  });
  const dispatcher = new TaskDispatcher({
    store,
    changes: engine.changes,
    kinds: outside,
    queues,
    transport,
    clock,
    timers,
    logger,
    owner: engine.workerId ?? newId('dsp'),
    dispatchLeaseMs: options.dispatchLeaseMs ?? DEFAULT_DISPATCH_LEASE_MS,
    heartbeatLeaseMs,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    // The runner recovers every kind's expired leases; without one, the dispatcher does.
    recoverWithMaxAttempts: engine.runner ? undefined : options.maxAttempts,
  });
  const validator = new WorkerMessageValidator();
  const applier = new ReportApplier({
    store,
    changes: engine.changes,
    clock,
    logger,
    heartbeatLeaseMs,
    onCancelRequested: (record, token) => dispatcher.resendCancel(record, token),
    onActionDelivered: (record, token, name) => dispatcher.sendAction(record, token, name),
  });
  await transport.consumeReports(async (body) => {
    const parsed = validator.parseReport(body);
    if (!parsed.ok) {
      logger.warn({ reason: parsed.reason }, 'a malformed worker report went to the dead-letter queue');
      await transport.deadLetter(body, parsed.reason);
      return;
    }
    const { report } = parsed;
    const outcome = await applier.apply(report);
    if (outcome === 'foreign-token') {
      await transport.deadLetter(body, 'the token was not issued by this API');
      return;
    }
    const log = { operationId: report.operationId, type: report.type, seq: report.seq, outcome };
    if (outcome === 'applied' && (report.type === 'succeeded' || report.type === 'failed')) {
      logger.info(log, 'an outside operation ended');
    } else if (outcome === 'applied') logger.debug(log, 'applied a worker report');
    else logger.info(log, `refused a worker report: ${outcome}`);
  });
  dispatcher.start();
  logger.info({ queues: [...queues.values()], events: names.events }, 'broker connected');
  return {
    async stop() {
      await dispatcher.stop();
      await transport.close();
    },
  };
}
