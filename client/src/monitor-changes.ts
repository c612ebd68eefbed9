/**
 * What counts as progress: a wait polls many times but reports a monitor only when something a
 * person would see changed (state, percent, message, a step), not on every poll or 304.
 */
import type { AnyMonitor, MonitorState, MonitorStep } from './types.ts';

/** The monitor states after which nothing changes any more. */
export const terminalStates: ReadonlySet<MonitorState> = new Set(['succeeded', 'failed', 'cancelled']);

/** True once the monitor ended: `succeeded`, `failed` or `cancelled`. */
export function isTerminal(monitor: Pick<AnyMonitor, 'state'>): boolean {
  return terminalStates.has(monitor.state);
}

const monitorStates: ReadonlySet<string> = new Set(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

/**
 * True for a monitor representation: an object with string `id` and `kind` and a known `state`.
 * (An embedded-status resource such as a virtual machine has a `status` instead, and is not one.)
 */
export function isMonitor(value: unknown): value is AnyMonitor {
  if (typeof value !== 'object' || value === null) return false;
  const { id, kind, state } = value as Record<string, unknown>;
  return typeof id === 'string' && typeof kind === 'string' && typeof state === 'string' && monitorStates.has(state);
}

/**
 * The step in progress: the first `running` or `waiting` one, else the first `failed` one, else
 * undefined (none started yet, or all done).
 */
export function currentStep(monitor: Pick<AnyMonitor, 'steps'>): MonitorStep | undefined {
  return (
    monitor.steps.find((step) => step.state === 'running' || step.state === 'waiting') ??
    monitor.steps.find((step) => step.state === 'failed')
  );
}

/**
 * A string that differs exactly when the visible progress differs: state, percent, message and each
 * step's state. Timestamps and the ETA are left out: they move on every write.
 */
export function progressSignature(monitor: AnyMonitor): string {
  return JSON.stringify([
    monitor.state,
    monitor.progress.percent,
    monitor.progress.message ?? null,
    monitor.steps.map((step) => `${step.name}:${step.state}`),
  ]);
}

/**
 * Remembers the last progress reported and answers whether a monitor shows a new one; the first
 * monitor always does.
 *
 * @example
 * const changes = trackProgress();
 * changes.isNew(monitor); // true
 * changes.isNew(monitor); // false
 */
export function trackProgress(): { isNew(monitor: AnyMonitor): boolean } {
  let last: string | undefined;
  return {
    isNew(monitor) {
      const signature = progressSignature(monitor);
      if (signature === last) return false;
      last = signature;
      return true;
    },
  };
}
