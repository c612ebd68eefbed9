/**
 * `createWorker`: an outside worker for a longrun API. It takes tasks from the broker, runs your
 * function for each, and reports through the broker: `started`, progress and steps, heartbeats,
 * and how it ended. A cancel requested by a client aborts the function's `signal`.
 *
 * Delivery is at least once. The worker acknowledges a task only after its `started` report is
 * confirmed, so a worker that dies before that leaves the task to another; one that dies after
 * goes silent, and the API dispatches the task again with the next attempt. A task received after
 * its deadline was dispatched again already, and is dropped.
 */
import { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, connect } from 'amqplib';
import {
  type BrokerNames,
  brokerNames,
  type ControlMessage,
  EVENTS_QUEUE_ARGUMENTS,
  PROTOCOL_VERSION,
  type Problem,
  type ProductReport,
  type RelatedReport,
  type ReportBody,
  type StepState,
  type Task,
} from './protocol.ts';

/** What a task's function returns: the product it created, an inline result, or neither. */
export type WorkerOutcome =
  | { product: ProductReport; related?: RelatedReport[]; result?: never }
  | { result: unknown; related?: RelatedReport[]; product?: never }
  | { related?: RelatedReport[]; product?: never; result?: never }
  | undefined
  // biome-ignore lint/suspicious/noConfusingVoidType: a function that returns nothing is inferred `Promise<void>`.
  | void;

/** What a task's function is given. */
export interface TaskContext {
  readonly operationId: string;
  readonly kind: string;
  /** 1 on the first dispatch; more when an earlier worker was lost. */
  readonly attempt: number;
  /** Aborts when a client asks to cancel, or when the worker stops. */
  readonly signal: AbortSignal;
  /** Reports progress (0–100), optionally with a message and the step now running. */
  progress(percent: number, message?: string, step?: string): Promise<void>;
  /** Reports a workflow step's state. */
  step(name: string, state: StepState, options?: { title?: string }): Promise<void>;
  /**
   * Sets `step` waiting for an outside action (a client's request to `action.path`) and resolves
   * with the payload delivered under `name`.
   */
  waitForAction<Payload = unknown>(
    name: string,
    options: { step: string; action: { method: 'POST' | 'PUT' | 'PATCH'; path: string } },
  ): Promise<Payload>;
}

/** Thrown by a task's function to fail the operation with a problem of its own. */
export class TaskProblemError extends Error {
  override readonly name = 'TaskProblemError';
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
  }
}

/** One kind this worker does. */
export interface WorkerKind<Input = never> {
  /** The task queue. @default the API's default for the kind, `<prefix>.tasks.<kind>` */
  queue?: string;
  run(input: Input, ctx: TaskContext): Promise<WorkerOutcome>;
}

/** Where the broker is. */
export interface WorkerBrokerOptions {
  /** `amqp://user:password@host:5672/vhost` */
  url: string;
  /** The API's name prefix. @default 'longrun' */
  prefix?: string;
}

/** What {@link createWorker} needs. */
export interface WorkerOptions {
  broker: WorkerBrokerOptions | string;
  /** The kinds this worker does, by kind name. */
  kinds: Record<string, WorkerKind<never>>;
  /** Tasks run at once. @default 4 */
  concurrency?: number;
  /** Told of failures the worker recovers from (a report it could not send). @default none */
  onError?: (error: unknown) => void;
}

/** A worker built by {@link createWorker}. */
export interface Worker {
  /** Connects and starts taking tasks. */
  start(): Promise<void>;
  /** Stops taking tasks, aborts running ones (they end when their function returns) and disconnects. */
  stop(): Promise<void>;
  /** Tasks running now. */
  readonly running: number;
}

interface RunningTask {
  readonly task: Task;
  readonly controller: AbortController;
  readonly actions: Map<string, (payload: unknown) => void>;
  readonly delivered: Map<string, unknown>;
}

const CANCELLED: Problem = {
  type: 'https://longrun.dev/problems/operation-cancelled',
  title: 'The operation was cancelled',
  status: 409,
};

/**
 * Builds an outside worker.
 *
 * @example
 * const worker = createWorker({
 *   broker: 'amqp://localhost:5672',
 *   kinds: {
 *     transcode: {
 *       async run(input: TranscodeRequest, ctx) {
 *         await ctx.step('encode', 'running');
 *         await ctx.progress(50, 'Encoding', 'encode');
 *         return { product: { collection: 'products', id, href: `/products/${id}`, body } };
 *       },
 *     },
 *   },
 * });
 * await worker.start();
 */
export function createWorker(options: WorkerOptions): Worker {
  const broker = typeof options.broker === 'string' ? { url: options.broker } : options.broker;
  const names: BrokerNames = brokerNames(broker.prefix);
  const concurrency = options.concurrency ?? 4;
  const onError = options.onError ?? (() => {});
  const running = new Map<string, RunningTask>();
  const finished = new Set<Promise<void>>();
  let connection: ChannelModel | undefined;
  let publisher: ConfirmChannel | undefined;
  let tasks: Channel | undefined;
  const consumerTags: string[] = [];

  function send(task: Task, seq: number, body: ReportBody): Promise<void> {
    const channel = publisher;
    if (!channel) return Promise.reject(new Error('the worker is not connected'));
    const message = {
      protocol: PROTOCOL_VERSION,
      operationId: task.operationId,
      token: task.token,
      seq,
      sentAt: new Date().toISOString(),
      ...body,
    };
    return new Promise((resolve, reject) => {
      channel.sendToQueue(
        names.events,
        Buffer.from(JSON.stringify(message), 'utf8'),
        { persistent: true, contentType: 'application/json' },
        (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
      );
    });
  }

  async function perform(message: ConsumeMessage, kind: WorkerKind<never>): Promise<void> {
    const channel = tasks as Channel;
    let task: Task;
    try {
      task = JSON.parse(message.content.toString('utf8')) as Task;
      if (task.type !== 'task' || typeof task.operationId !== 'string' || typeof task.token !== 'string') {
        throw new TypeError('not a task message');
      }
    } catch (error) {
      onError(error);
      channel.nack(message, false, false);
      return;
    }
    if (Date.parse(task.deadline) < Date.now() || running.has(task.operationId)) {
      // Dispatched again since (a newer attempt is on its way), or already running here.
      channel.ack(message);
      return;
    }
    const state: RunningTask = {
      task,
      controller: new AbortController(),
      actions: new Map(),
      delivered: new Map(),
    };
    running.set(task.operationId, state);
    let seq = 0;
    let lastSent = Date.now();
    const report = (body: ReportBody): Promise<void> => {
      lastSent = Date.now();
      const sent = send(task, seq++, body);
      sent.catch(onError);
      return sent;
    };
    const heartbeat = setInterval(
      () => {
        if (Date.now() - lastSent >= task.heartbeatMs / 2) void report({ type: 'heartbeat' }).catch(() => {});
      },
      Math.max(10, Math.floor(task.heartbeatMs / 2)),
    );
    try {
      await report({ type: 'started' });
      channel.ack(message);
      const context: TaskContext = {
        operationId: task.operationId,
        kind: task.kind,
        attempt: task.attempt,
        signal: state.controller.signal,
        progress: (percent, text, step) =>
          report({
            type: 'progress',
            percent,
            ...(text === undefined ? {} : { message: text }),
            ...(step === undefined ? {} : { step }),
          }),
        step: (name, stepState, stepOptions = {}) =>
          report({ type: 'step', step: name, state: stepState, ...stepOptions }),
        waitForAction: <Payload>(
          name: string,
          waitOptions: { step: string; action: { method: string; path: string } },
        ): Promise<Payload> => {
          if (state.delivered.has(name)) return Promise.resolve(state.delivered.get(name) as Payload);
          const signal = state.controller.signal;
          if (signal.aborted) return Promise.reject(signal.reason);
          return new Promise<Payload>((resolve, reject) => {
            const onAbort = (): void => reject(signal.reason);
            signal.addEventListener('abort', onAbort, { once: true });
            state.actions.set(name, (payload) => {
              signal.removeEventListener('abort', onAbort);
              resolve(payload as Payload);
            });
            report({ type: 'waiting', step: waitOptions.step, action: { name, ...waitOptions.action } }).catch(reject);
          });
        },
      };
      let ending: ReportBody;
      try {
        const outcome = (await kind.run(task.input as never, context)) ?? {};
        ending = { type: 'succeeded', ...outcome };
      } catch (error) {
        ending = { type: 'failed', problem: problemOf(error, state.controller.signal) };
      }
      await report(ending);
    } catch (error) {
      // The broker went away mid-task: the API hears nothing more and dispatches it again.
      onError(error);
    } finally {
      clearInterval(heartbeat);
      running.delete(task.operationId);
    }
  }

  function onControl(message: ConsumeMessage | null): void {
    if (message === null) return;
    let control: ControlMessage;
    try {
      control = JSON.parse(message.content.toString('utf8')) as ControlMessage;
    } catch (error) {
      onError(error);
      return;
    }
    const state = running.get(control.operationId);
    if (!state || state.task.token !== control.token) return;
    if (control.type === 'cancel') {
      if (!state.controller.signal.aborted) {
        state.controller.abort(new DOMException('A client cancelled the operation', 'AbortError'));
      }
    } else if (control.type === 'action') {
      state.delivered.set(control.name, control.payload);
      const waiter = state.actions.get(control.name);
      state.actions.delete(control.name);
      waiter?.(control.payload);
    }
  }

  return {
    get running() {
      return running.size;
    },
    async start() {
      connection = await connect(broker.url);
      connection.on('error', onError);
      publisher = await connection.createConfirmChannel();
      await publisher.assertQueue(names.events, { durable: true, arguments: EVENTS_QUEUE_ARGUMENTS });
      await publisher.assertExchange(names.control, 'fanout', { durable: true });
      const control = await connection.createChannel();
      const { queue } = await control.assertQueue('', { exclusive: true, autoDelete: true });
      await control.bindQueue(queue, names.control, '');
      await control.consume(queue, onControl, { noAck: true });
      tasks = await connection.createChannel();
      await tasks.prefetch(concurrency);
      for (const [kindName, kind] of Object.entries(options.kinds)) {
        const taskQueue = kind.queue ?? names.taskQueue(kindName);
        await tasks.assertQueue(taskQueue, { durable: true });
        const { consumerTag } = await tasks.consume(taskQueue, (message) => {
          if (message === null) return;
          const done = perform(message, kind);
          finished.add(done);
          void done.finally(() => finished.delete(done));
        });
        consumerTags.push(consumerTag);
      }
    },
    async stop() {
      for (const tag of consumerTags.splice(0)) await tasks?.cancel(tag).catch(() => {});
      for (const state of running.values()) {
        state.controller.abort(new DOMException('The worker is stopping', 'AbortError'));
      }
      await Promise.allSettled([...finished]);
      await connection?.close().catch(() => {});
      connection = undefined;
      publisher = undefined;
      tasks = undefined;
    },
  };
}

function problemOf(error: unknown, signal: AbortSignal): Problem {
  if (error instanceof TaskProblemError) return error.problem;
  // The API ends a cancelled operation `cancelled` whatever the worker says; this says why it stopped.
  if (signal.aborted) return CANCELLED;
  return {
    type: 'https://longrun.dev/problems/operation-failed',
    title: 'The operation failed',
    status: 500,
    detail: error instanceof Error ? error.message : String(error),
  };
}
