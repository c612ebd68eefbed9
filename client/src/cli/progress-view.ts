/**
 * How the `longrun` command shows a running operation: a redrawn progress bar with the current
 * step and ETA on a terminal, one plain line per change otherwise (logs, CI).
 */
import { currentStep } from '../monitor-changes.ts';
import type { AnyMonitor } from '../types.ts';

/**
 * A duration for people: `45s`, `3m 05s`, `2h 07m`.
 * @example formatDuration(185_000) // '3m 05s'
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** The parts of a monitor a person reads: the current step (with its position), message and ETA. */
export interface ProgressDetails {
  step?: string;
  message?: string;
  eta?: string;
}

/** Reads {@link ProgressDetails} from a monitor, the ETA relative to `now`. */
export function progressDetails(monitor: AnyMonitor, now: number): ProgressDetails {
  const details: ProgressDetails = {};
  const step = currentStep(monitor);
  if (step) {
    const position = `${monitor.steps.indexOf(step) + 1}/${monitor.steps.length}`;
    const waiting = step.state === 'waiting' ? ' (waiting for an outside action)' : '';
    details.step = `${step.title ?? step.name} [${position}]${waiting}`;
  }
  if (monitor.progress.message && monitor.progress.message !== step?.title) details.message = monitor.progress.message;
  if (monitor.estimatedCompletionAt) {
    const eta = Date.parse(monitor.estimatedCompletionAt) - now;
    if (Number.isFinite(eta)) details.eta = eta > 0 ? `ETA ${formatDuration(eta)}` : 'ETA any moment';
  }
  return details;
}

const joined = (parts: (string | undefined)[]) => parts.filter((part) => part !== undefined).join(' · ');

/**
 * One plain line per change, for logs.
 * @example plainLine(monitor, Date.now()) // 'running 45% · Paint the body [2/3] · ETA 12s'
 */
export function plainLine(monitor: AnyMonitor, now: number): string {
  const { step, message, eta } = progressDetails(monitor, now);
  return joined([`${monitor.state} ${monitor.progress.percent}%`, step, message, eta]);
}

/**
 * The progress bar line for a terminal `width` columns wide. When it does not fit, the message goes
 * first (the step and ETA matter more), then the line is cut; it never wraps.
 * @example barLine(monitor, Date.now(), 80) // 'running [█████████░░░░░░░░░░░]  45% · Paint the body [2/3] · ETA 12s'
 */
export function barLine(monitor: AnyMonitor, now: number, width: number): string {
  const barWidth = 20;
  const filled = Math.round((Math.min(100, Math.max(0, monitor.progress.percent)) / 100) * barWidth);
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]`;
  const head = `${monitor.state} ${bar} ${`${monitor.progress.percent}%`.padStart(4)}`;
  const { step, message, eta } = progressDetails(monitor, now);
  const columns = Math.max(20, width - 1);
  const full = joined([head, step, message, eta]);
  if (full.length <= columns) return full;
  const line = joined([head, step, eta]);
  return line.length > columns ? `${line.slice(0, columns - 1)}…` : line;
}

/** Where progress goes. */
export interface ProgressOutput {
  write(text: string): void;
  /** True on a terminal: draw a bar. */
  isTTY?: boolean;
  columns?: number;
}

/** Shows monitors as they change: redraws one line on a terminal (the ETA ticking each second), else appends lines. */
export function createProgressView(output: ProgressOutput, now: () => number = Date.now) {
  let last: AnyMonitor | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    if (last) output.write(`\r\x1b[2K${barLine(last, now(), output.columns || 80)}`);
  };
  return {
    /** Shows a changed monitor. */
    update(monitor: AnyMonitor): void {
      last = monitor;
      if (!output.isTTY) {
        output.write(`${plainLine(monitor, now())}\n`);
        return;
      }
      draw();
      if (ticker === undefined) {
        ticker = setInterval(draw, 1000);
        // The ticker alone must not keep the process alive.
        (ticker as { unref?: () => void }).unref?.();
      }
    },
    /** Stops redrawing and leaves the cursor on a fresh line. */
    finish(): void {
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      if (output.isTTY && last) output.write('\r\x1b[2K');
    },
  };
}
