/**
 * A worker the test scripts message by message, on plain AMQP: it takes a task when told, reports
 * exactly what it is told (including stale, duplicate and malformed reports), and reads the
 * dead-letter queue. What a misbehaving or crashing worker looks like to the API.
 */
import { type Channel, type ChannelModel, connect } from 'amqplib';

/** A task as the API publishes it. */
export interface ReceivedTask {
  operationId: string;
  kind: string;
  input: unknown;
  attempt: number;
  token: string;
  deadline: string;
  heartbeatMs: number;
}

/** A message refused into the dead-letter queue. */
export interface DeadLetter {
  body: string;
  reason: string;
}

/** The scripted worker. */
export interface ScriptedWorker {
  /** Takes the next task from the kind's queue, waiting for one (up to `timeoutMs`). */
  takeTask(timeoutMs?: number): Promise<ReceivedTask>;
  /** Sends a report for `task` (the envelope is filled in; `fields` may override it). */
  report(task: ReceivedTask, seq: number, fields: Record<string, unknown>): Promise<void>;
  /** Sends raw bytes to the events queue. */
  sendRaw(body: string): Promise<void>;
  /** Every message in the dead-letter queue now (taken off it). */
  deadLetters(): Promise<DeadLetter[]>;
  close(): Promise<void>;
}

/** Connects a scripted worker to the queues under `prefix`. */
export async function connectScriptedWorker(url: string, prefix: string): Promise<ScriptedWorker> {
  const connection: ChannelModel = await connect(url);
  const channel: Channel = await connection.createConfirmChannel();
  const events = `${prefix}.events`;
  const tasks = `${prefix}.tasks.transcode`;
  const deadLetter = `${prefix}.dead-letter`;
  await channel.assertQueue(events, { durable: true, arguments: { 'x-single-active-consumer': true } });
  await channel.assertQueue(tasks, { durable: true });
  await channel.assertQueue(deadLetter, { durable: true });
  const send = async (body: string): Promise<void> => {
    channel.sendToQueue(events, Buffer.from(body, 'utf8'), { persistent: true });
    await (channel as unknown as { waitForConfirms(): Promise<void> }).waitForConfirms();
  };
  return {
    async takeTask(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const message = await channel.get(tasks, { noAck: false });
        if (message) {
          channel.ack(message);
          return JSON.parse(message.content.toString('utf8')) as ReceivedTask;
        }
        if (Date.now() > deadline) throw new Error(`no task arrived on ${tasks} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    report(task, seq, fields) {
      return send(JSON.stringify({ protocol: 1, operationId: task.operationId, token: task.token, seq, ...fields }));
    },
    sendRaw: send,
    async deadLetters() {
      const found: DeadLetter[] = [];
      for (;;) {
        const message = await channel.get(deadLetter, { noAck: true });
        if (!message) return found;
        found.push({
          body: message.content.toString('utf8'),
          reason: String(message.properties.headers?.['x-longrun-reason'] ?? ''),
        });
      }
    },
    async close() {
      await connection.close();
    },
  };
}
