/**
 * `@longrun/client/worker`: outside workers for a longrun API, over RabbitMQ (Node only).
 *
 * @packageDocumentation
 */
export {
  createWorker,
  type TaskContext,
  TaskProblemError,
  type Worker,
  type WorkerBrokerOptions,
  type WorkerKind,
  type WorkerOptions,
  type WorkerOutcome,
} from './create-worker.ts';
export {
  type BrokerNames,
  brokerNames,
  type ControlMessage,
  EVENTS_QUEUE_ARGUMENTS,
  type Problem,
  type ProductReport,
  type RelatedReport,
  type ReportBody,
  type StepState,
  type Task,
} from './protocol.ts';
