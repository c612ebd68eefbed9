/**
 * Cars (a task with workflow steps): building one is a task with workflow steps whose monitor ends 201 → the car;
 * reading one with `Prefer: respond-async` is an operation whose result is the car.
 */
import { randomInt } from 'node:crypto';
import { newId } from '../operations/ids.ts';
import { defineKind } from '../operations/kind.ts';
import { OperationProblemError } from '../operations/problems.ts';
import { runSimulatedSteps, type SimulatedStep, type Simulation, scaledTotal } from './simulation.ts';
import type { Schema } from './spec-types.ts';

/** A car as the API shows it. */
export type Car = Schema<'Car'>;
/** What to build. */
export type CarSpec = Schema<'CarSpec'>;

/** The colour the paint shop never has: a documented way to see a failed operation. */
export const UNAVAILABLE_COLOR = 'Ultraviolet';

const BUILD_STEPS: readonly SimulatedStep[] = [
  { name: 'chassis', title: 'Weld the chassis', ms: 3_000 },
  { name: 'paint', title: 'Paint the body', ms: 3_000 },
  { name: 'inspection', title: 'Final inspection', ms: 2_000 },
];

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

function newVin(): string {
  let vin = '';
  for (let i = 0; i < 17; i += 1) vin += VIN_ALPHABET[randomInt(VIN_ALPHABET.length)];
  return vin;
}

/** `car.create`: builds a car in three steps. */
export function carCreateKind(simulation: Simulation) {
  return defineKind<CarSpec, Car>({
    name: 'car.create',
    steps: BUILD_STEPS.map(({ name, title }) => ({ name, title })),
    estimateMs: () => scaledTotal(simulation, BUILD_STEPS),
    async run(spec, ctx) {
      await runSimulatedSteps(ctx, simulation, BUILD_STEPS, (step) => {
        if (step.name === 'paint' && spec.color === UNAVAILABLE_COLOR) {
          throw new OperationProblemError({
            type: 'operation-failed',
            title: 'The operation failed',
            status: 500,
            detail: `The paint shop has no ${spec.color} paint.`,
          });
        }
      });
      const id = newId('car', ctx.now());
      const href = `/cars/${id}`;
      const car: Car = {
        id,
        brand: spec.brand,
        make: spec.make,
        model: spec.model,
        color: spec.color,
        vin: newVin(),
        createdAt: ctx.now().toISOString(),
        links: { self: { href } },
      };
      return { product: { collection: 'cars', id, href, body: car } };
    },
  });
}

/** Reads a stored resource of a tenant; the server passes its store's reader. */
export type ResourceReader = (
  tenant: string,
  collection: string,
  id: string,
) => Promise<{ body: Record<string, unknown> } | undefined>;

/** Input of `car.read`: which car to read. */
export interface CarReadInput {
  carId: string;
}

/** `car.read` (a `GET` with `Prefer: respond-async`): a quick read answered as an inline result. */
export function carReadKind(simulation: Simulation, readResource: ResourceReader) {
  return defineKind<CarReadInput, never, Car>({
    name: 'car.read',
    estimateMs: () => 50 * simulation.scale,
    async run({ carId }, ctx) {
      await ctx.sleep(50 * simulation.scale);
      const stored = await readResource(ctx.tenant, 'cars', carId);
      if (stored === undefined) {
        throw new OperationProblemError({
          type: 'not-found',
          title: 'Not found',
          status: 404,
          detail: `No car ${carId}.`,
        });
      }
      return { result: stored.body as Car };
    },
  });
}
