/**
 * What the page reads from the API, as loosely as the page needs it: a server with its own spec has
 * kinds, steps and products of its own, and the page shows them all alike.
 */
import type { components } from '@longrun/client';

/** A workflow step of a monitor. */
export type Step = components['schemas']['Step'];

/** An RFC 9457 problem document, with the invalid parts of a request when it was refused as invalid. */
export type Problem = components['schemas']['Problem'] & {
  errors?: { pointer: string; message: string }[];
  [extension: string]: unknown;
};

/** A link of a monitor. */
export interface Link {
  href: string;
  title?: string;
  rel?: string;
}

/** A monitor: the status resource of one accepted request. */
export interface Monitor {
  id: string;
  kind: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { percent: number; message?: string };
  estimatedCompletionAt: string | null;
  steps: Step[];
  request: { method: string; path: string; body?: unknown };
  result?: unknown;
  error?: Problem;
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  links: { self: Link; product?: Link; related?: Link[]; cancel?: Link; events?: Link };
}

/** One page of `GET /monitors`. */
export interface MonitorPage {
  items: Monitor[];
  next: string | null;
}

/** An operation of the served spec (what `/dashboard/config.json` lists). */
export interface OperationChoice {
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  kind?: string;
  example?: unknown;
}

/** What `/dashboard/config.json` answers. */
export interface DashboardConfig {
  operations: OperationChoice[];
  kinds: string[];
}

/** The states after which a monitor changes no more. */
export function isTerminal(monitor: Pick<Monitor, 'state'>): boolean {
  return monitor.state === 'succeeded' || monitor.state === 'failed' || monitor.state === 'cancelled';
}

/** True for a monitor representation (an embedded-status resource is not one). */
export function isMonitor(value: unknown): value is Monitor {
  if (typeof value !== 'object' || value === null) return false;
  const { id, kind, state, steps } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof kind === 'string' && typeof state === 'string' && Array.isArray(steps);
}

/** True for a problem document. */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const { title, status } = value as Record<string, unknown>;
  return typeof title === 'string' && typeof status === 'number';
}

/** The operation of the spec whose path template matches `href` (for a waiting step's action). */
export function operationFor(
  operations: readonly OperationChoice[],
  method: string,
  href: string,
): OperationChoice | undefined {
  const path = new URL(href, location.origin).pathname;
  return operations.find((operation) => {
    if (operation.method !== method.toUpperCase()) return false;
    const pattern = operation.path
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('');
    return new RegExp(`^${pattern}$`).test(path);
  });
}
