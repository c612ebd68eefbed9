/**
 * Workflow steps (a task's `workflow`): their initial list, one step's change, and how open
 * steps close when the operation ends.
 */
import type { StepAction, StepState, StoredStep } from './model.ts';
import type { TerminalState } from './state.ts';

/** An initial workflow step of a kind; every step starts `pending`. */
export interface KindStep {
  readonly name: string;
  readonly title?: string;
}

/** Every state a step can be in. */
export const STEP_STATES = [
  'pending',
  'running',
  'waiting',
  'succeeded',
  'failed',
  'skipped',
] as const satisfies readonly StepState[];

/** The steps an operation starts with: the kind's, all `pending`. */
export function initialSteps(steps: readonly KindStep[] | undefined): StoredStep[] {
  return (steps ?? []).map((step) =>
    step.title === undefined
      ? { name: step.name, state: 'pending' }
      : { name: step.name, state: 'pending', title: step.title },
  );
}

/** How {@link withStep} may change a step besides its state. */
export interface StepChange {
  title?: string;
  /** The action a `waiting` step links; dropped in every other state. */
  action?: StepAction;
}

/**
 * `steps` with step `name` set to `state` (appended when the kind did not declare it). A step
 * keeps its action link only while `waiting`.
 */
export function withStep(
  steps: readonly StoredStep[],
  name: string,
  state: StepState,
  change: StepChange = {},
): StoredStep[] {
  if (!STEP_STATES.includes(state)) throw new RangeError(`unknown step state: ${String(state)}`);
  const next = (current: StoredStep | undefined): StoredStep => {
    const step: StoredStep = { name, state };
    const title = change.title ?? current?.title;
    if (title !== undefined) step.title = title;
    const action = state === 'waiting' ? (change.action ?? current?.action) : undefined;
    if (action !== undefined) step.action = action;
    return step;
  };
  const index = steps.findIndex((step) => step.name === name);
  if (index === -1) return [...steps, next(undefined)];
  return steps.map((step, i) => (i === index ? next(step) : step));
}

/**
 * Closes the steps left open when an operation ends, so no finished monitor shows work in
 * progress: on success a running step succeeded and the rest were skipped; on failure a running
 * or waiting step failed; on cancel they were skipped. `pending` always becomes `skipped`.
 */
export function closeOpenSteps(steps: readonly StoredStep[], terminal: TerminalState): StoredStep[] {
  return steps.map((step): StoredStep => {
    let state: StepState;
    switch (step.state) {
      case 'pending':
        state = 'skipped';
        break;
      case 'running':
        state = terminal === 'succeeded' ? 'succeeded' : terminal === 'failed' ? 'failed' : 'skipped';
        break;
      case 'waiting':
        state = terminal === 'failed' ? 'failed' : 'skipped';
        break;
      default:
        return step;
    }
    const { action: _dropped, ...rest } = step;
    return { ...rest, state };
  });
}
