/**
 * The outside-worker message protocol as TypeScript types, the broker names it travels on, and
 * the fencing token. The JSON Schema `@longrun/openapi/worker-messages.schema.json` is the
 * language-neutral definition; these types follow it.
 */
import type { StepState, StoredProblem } from '../operations/model.ts';

/** The protocol version every message carries. */
export const PROTOCOL_VERSION = 1;

/** API → worker: do this operation's work. */
export interface TaskMessage {
  protocol: typeof PROTOCOL_VERSION;
  type: 'task';
  operationId: string;
  kind: string;
  input: unknown;
  /** 1 on the first dispatch, one more each time a worker was lost. */
  attempt: number;
  /** Echoed on every report; reports carrying an older attempt's token are refused. */
  token: string;
  /** ISO 8601: a worker that receives the task later drops it (it was dispatched again). */
  deadline: string;
  /** Report at least this often, or the task goes to another worker. */
  heartbeatMs: number;
}

/** Fields every report carries. */
interface ReportBase {
  protocol: typeof PROTOCOL_VERSION;
  operationId: string;
  token: string;
  /** Counts the worker's reports on this task from 0: a seq seen before is a duplicate delivery. */
  seq: number;
  sentAt?: string;
}

/** Worker → API: one report on a task. */
export type ReportMessage =
  | (ReportBase & { type: 'started' })
  | (ReportBase & { type: 'heartbeat' })
  | (ReportBase & { type: 'progress'; percent: number; message?: string; step?: string })
  | (ReportBase & { type: 'step'; step: string; state: StepState; title?: string })
  | (ReportBase & { type: 'waiting'; step: string; action: { name: string; method: string; path: string } })
  | (ReportBase & {
      type: 'succeeded';
      product?: { collection: string; id: string; href: string; title?: string; body: Record<string, unknown> };
      result?: unknown;
      related?: {
        rel: string;
        href: string;
        title?: string;
        resource?: { collection: string; id: string; body: Record<string, unknown> };
      }[];
    })
  | (ReportBase & { type: 'failed'; problem: StoredProblem });

/** API → every worker: stop a task, or hand it the outside action its waiting step asked for. */
export type ControlMessage =
  | { protocol: typeof PROTOCOL_VERSION; type: 'cancel'; operationId: string; token: string }
  | {
      protocol: typeof PROTOCOL_VERSION;
      type: 'action';
      operationId: string;
      token: string;
      name: string;
      payload: unknown;
    };

/** The broker objects one deployment uses, all named from one prefix. */
export interface BrokerNames {
  /** Durable queue of every worker's reports, consumed by the API. */
  readonly events: string;
  /** Durable queue of malformed reports, each with its reason. */
  readonly deadLetter: string;
  /** Fanout exchange of cancels and actions; every worker binds its own queue. */
  readonly control: string;
  /** The default task queue of an outside kind. */
  taskQueue(kind: string): string;
}

/** The default name prefix. */
export const DEFAULT_BROKER_PREFIX = 'longrun';

/** The header of a dead-lettered message that says why it was refused. */
export const DEAD_LETTER_REASON_HEADER = 'x-longrun-reason';

/** The broker names under `prefix`. */
export function brokerNames(prefix: string = DEFAULT_BROKER_PREFIX): BrokerNames {
  return {
    events: `${prefix}.events`,
    deadLetter: `${prefix}.dead-letter`,
    control: `${prefix}.control`,
    taskQueue: (kind) => `${prefix}.tasks.${kind}`,
  };
}

/** What a fencing token stands for. */
export interface TokenClaims {
  tenant: string;
  attempt: number;
}

/**
 * The token of one dispatch: the attempt it fences and the tenant the operation belongs to (so
 * a report is found without a cross-tenant lookup). Opaque to workers, who only echo it.
 */
export function encodeToken(claims: TokenClaims): string {
  return `${claims.attempt}.${Buffer.from(claims.tenant, 'utf8').toString('base64url')}`;
}

/** The claims of a token, or undefined for one this API never issued. */
export function decodeToken(token: string): TokenClaims | undefined {
  const match = /^([1-9][0-9]{0,8})\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) return undefined;
  const tenant = Buffer.from(match[2] as string, 'base64url').toString('utf8');
  if (tenant === '') return undefined;
  return { attempt: Number(match[1]), tenant };
}
