/**
 * The port between longrun's broker logic (dispatching tasks, applying reports) and a concrete
 * broker. RabbitMQ implements it in `rabbitmq-transport.ts`.
 */
import type { ControlMessage, TaskMessage } from './protocol.ts';

/** Handles one raw report; resolving acknowledges it, rejecting redelivers it later. */
export type RawReportHandler = (body: Buffer) => Promise<void>;

/** What longrun needs from a message broker. */
export interface BrokerTransport {
  /** Publishes a task durably; resolves once the broker has taken responsibility for it. */
  publishTask(queue: string, task: TaskMessage): Promise<void>;
  /** Publishes a cancel or an action to every worker. */
  publishControl(message: ControlMessage): Promise<void>;
  /** Stores a refused message durably with the reason it was refused. */
  deadLetter(body: Buffer, reason: string): Promise<void>;
  /** Starts consuming reports from the durable events queue, at least once each. */
  consumeReports(handler: RawReportHandler): Promise<void>;
  /** Stops consuming (unacknowledged reports go back to the queue) and disconnects. */
  close(): Promise<void>;
}
