/**
 * Simulated work for the reference kinds: durations in realistic milliseconds, multiplied by the
 * simulation scale (`LONGRUN_SIMULATION_SCALE`: 1 = realistic, 0.01 = a hundred times faster).
 */
import type { OperationContext } from '../operations/context.ts';

/** How fast simulated work runs. */
export interface Simulation {
  /** Factor on every simulated duration. @default 1 */
  scale: number;
}

/** One step of simulated work: its name, title, share of the total and realistic duration. */
export interface SimulatedStep {
  name: string;
  title: string;
  ms: number;
}

/**
 * Runs `steps` in order on `ctx`: each goes `running` then `succeeded`, progress moves in
 * ten ticks per step, and the ETA follows what is left. `before` runs at each step's start and
 * may throw to fail the operation there (the step is marked `failed`, the rest `skipped`).
 */
export async function runSimulatedSteps(
  ctx: OperationContext,
  simulation: Simulation,
  steps: readonly SimulatedStep[],
  before?: (step: SimulatedStep) => Promise<void> | void,
  range: { from: number; to: number } = { from: 0, to: 100 },
): Promise<void> {
  const total = steps.reduce((sum, step) => sum + step.ms, 0);
  let done = 0;
  for (const [index, step] of steps.entries()) {
    await ctx.step(step.name, 'running', { title: step.title });
    try {
      await before?.(step);
    } catch (error) {
      await ctx.step(step.name, 'failed', { title: step.title });
      for (const rest of steps.slice(index + 1)) await ctx.step(rest.name, 'skipped', { title: rest.title });
      throw error;
    }
    const ticks = 10;
    for (let tick = 1; tick <= ticks; tick += 1) {
      await ctx.sleep((step.ms / ticks) * simulation.scale);
      const elapsed = done + (step.ms * tick) / ticks;
      const percent = Math.round(range.from + ((range.to - range.from) * elapsed) / total);
      void ctx.progress(Math.min(percent, range.to), step.title);
      void ctx.estimate((total - elapsed) * simulation.scale);
    }
    done += step.ms;
    await ctx.step(step.name, 'succeeded', { title: step.title });
  }
}

/** Sum of the realistic durations of `steps`, scaled: the kind's initial ETA. */
export function scaledTotal(simulation: Simulation, steps: readonly SimulatedStep[]): number {
  return steps.reduce((sum, step) => sum + step.ms, 0) * simulation.scale;
}
