/**
 * The outside-worker protocol as a worker sees it: the messages of
 * `@longrun/openapi/worker-messages.schema.json` and the broker names they travel on. The API
 * side declares the same names; the end-to-end workers suite runs both against one broker.
 */

/** The protocol version every message carries. */
export const PROTOCOL_VERSION = 1;

/** A task: the work of one attempt of one operation. */
export interface Task<Input = unknown> {
  protocol: 1;
  type: 'task';
  operationId: string;
  kind: string;
  input: Input;
  attempt: number;
  token: string;
  deadline: string;
  heartbeatMs: number;
}

/** The state of a workflow step. */
export type StepState = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
}

/** The resource an operation created, stored by the API and linked as its product. */
export interface ProductReport<Body extends object = Record<string, unknown>> {
  collection: string;
  id: string;
  href: string;
  title?: string;
  body: Body;
}

/** A further resource the operation produced. */
export interface RelatedReport {
  rel: string;
  href: string;
  title?: string;
  resource?: { collection: string; id: string; body: Record<string, unknown> };
}

/** What a worker reports, minus the envelope the SDK adds. */
export type ReportBody =
  | { type: 'started' }
  | { type: 'heartbeat' }
  | { type: 'progress'; percent: number; message?: string; step?: string }
  | { type: 'step'; step: string; state: StepState; title?: string }
  | { type: 'waiting'; step: string; action: { name: string; method: string; path: string } }
  | { type: 'succeeded'; product?: ProductReport; result?: unknown; related?: RelatedReport[] }
  | { type: 'failed'; problem: Problem };

/** A message from the API to every worker. */
export type ControlMessage =
  | { protocol: 1; type: 'cancel'; operationId: string; token: string }
  | { protocol: 1; type: 'action'; operationId: string; token: string; name: string; payload: unknown };

/** The broker names of one deployment (the API's `prefix`). */
export interface BrokerNames {
  readonly events: string;
  readonly deadLetter: string;
  readonly control: string;
  taskQueue(kind: string): string;
}

/** The broker names under `prefix` (the API's default is `longrun`). */
export function brokerNames(prefix = 'longrun'): BrokerNames {
  return {
    events: `${prefix}.events`,
    deadLetter: `${prefix}.dead-letter`,
    control: `${prefix}.control`,
    taskQueue: (kind) => `${prefix}.tasks.${kind}`,
  };
}

/** The events queue's arguments: every party declares it the same way, or the broker refuses. */
export const EVENTS_QUEUE_ARGUMENTS = { 'x-single-active-consumer': true } as const;
