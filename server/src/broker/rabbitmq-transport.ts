/**
 * The {@link BrokerTransport} on RabbitMQ (AMQP 0-9-1, `amqplib`): durable queues, persistent
 * messages, publisher confirms and manual acks, so nothing is lost while the API or a worker is down.
 *
 * Topology (see `docs/workers.md`): one durable task queue per outside kind; the durable events
 * queue with a single active consumer (one API process applies reports at a time, in order); the
 * durable dead-letter queue; the fanout control exchange every worker binds its own queue to.
 */
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import type { OperationLogger } from '../operations/logger.ts';
import { StoreOutageLog } from '../operations/store-outage.ts';
import type { BrokerTransport, RawReportHandler } from './broker-transport.ts';
import { type BrokerNames, DEAD_LETTER_REASON_HEADER } from './protocol.ts';

/** The arguments the events queue is declared with, by the API and by every worker alike. */
export const EVENTS_QUEUE_ARGUMENTS = { 'x-single-active-consumer': true } as const;

/** What {@link connectRabbitMq} needs. */
export interface RabbitMqTransportOptions {
  /** `amqp://user:password@host:port/vhost` */
  url: string;
  names: BrokerNames;
  /** The task queues to declare (one per outside kind). */
  taskQueues: readonly string[];
  /** Reports applied at once (unacknowledged deliveries). @default 64 */
  prefetch?: number | undefined;
  /** How long a report whose handler failed waits before it is redelivered. @default 1000 */
  redeliveryDelayMs?: number | undefined;
  logger: OperationLogger;
}

/** Connects to RabbitMQ and declares the topology. */
export async function connectRabbitMq(options: RabbitMqTransportOptions): Promise<BrokerTransport> {
  const { names, logger } = options;
  const connection: ChannelModel = await connect(options.url);
  connection.on('error', (error: unknown) => logger.error({ err: error }, 'broker connection failed'));
  const publisher: ConfirmChannel = await connection.createConfirmChannel();
  await publisher.assertQueue(names.events, { durable: true, arguments: EVENTS_QUEUE_ARGUMENTS });
  await publisher.assertQueue(names.deadLetter, { durable: true });
  await publisher.assertExchange(names.control, 'fanout', { durable: true });
  for (const queue of options.taskQueues) await publisher.assertQueue(queue, { durable: true });
  let consumer: Channel | undefined;
  let consumerTag = '';
  let closed = false;
  const inFlight = new Set<Promise<void>>();
  const redeliveryDelayMs = options.redeliveryDelayMs ?? 1_000;

  function confirmed(send: (done: (error: unknown) => void) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      send((error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()));
    });
  }

  const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

  return {
    publishTask(queue, task) {
      return confirmed((done) =>
        publisher.sendToQueue(
          queue,
          json(task),
          { persistent: true, contentType: 'application/json', messageId: `${task.operationId}:${task.attempt}` },
          done,
        ),
      );
    },
    publishControl(message) {
      return confirmed((done) =>
        publisher.publish(
          names.control,
          '',
          json(message),
          { persistent: true, contentType: 'application/json' },
          done,
        ),
      );
    },
    deadLetter(body, reason) {
      return confirmed((done) =>
        publisher.sendToQueue(
          names.deadLetter,
          body,
          { persistent: true, headers: { [DEAD_LETTER_REASON_HEADER]: reason } },
          done,
        ),
      );
    },
    async consumeReports(handler: RawReportHandler) {
      // Every report is redelivered while the database is away: one line for the outage, not one per try.
      const outage = new StoreOutageLog(logger, 'worker reports');
      const channel = await connection.createChannel();
      consumer = channel;
      await channel.prefetch(options.prefetch ?? 64);
      const reply = await channel.consume(
        names.events,
        (message) => {
          if (message === null) return;
          const handled = handler(message.content).then(
            () => {
              outage.succeeded();
              if (!closed) channel.ack(message);
            },
            (error: unknown) => {
              // Not applied (the store is unreachable): back to the queue, after a pause so a
              // failing store is not hammered. Never dropped.
              outage.failed(error, 'applying a worker report failed; it will be redelivered');
              setTimeout(() => {
                if (!closed) channel.nack(message, false, true);
              }, redeliveryDelayMs).unref();
            },
          );
          inFlight.add(handled);
          void handled.finally(() => inFlight.delete(handled));
        },
        { noAck: false },
      );
      consumerTag = reply.consumerTag;
    },
    async close() {
      // Reports being applied finish and are acknowledged; the rest go back to the queue.
      if (consumer) await consumer.cancel(consumerTag).catch(() => {});
      await Promise.allSettled([...inFlight]);
      closed = true;
      await consumer?.close().catch(() => {});
      await publisher.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
