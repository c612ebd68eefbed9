/**
 * The reference kinds: together they exercise every pattern of the async contract.
 */
import type { AnyKind } from '../operations/kind.ts';
import { carCreateKind, carReadKind, type ResourceReader } from './cars.ts';
import { reindexKind } from './reindex.ts';
import type { Simulation } from './simulation.ts';
import { transcodeKind } from './transcodes.ts';
import { virtualMachineProvisionKind } from './virtual-machines.ts';
import { widgetOrderKind } from './widget-orders.ts';

export type { ResourceReader } from './cars.ts';
export type { Simulation } from './simulation.ts';

/** All reference kinds, simulated at `simulation.scale`. */
export function referenceKinds(simulation: Simulation, readResource: ResourceReader): AnyKind[] {
  return [
    carCreateKind(simulation),
    carReadKind(simulation, readResource),
    virtualMachineProvisionKind(simulation),
    transcodeKind(simulation),
    reindexKind(simulation),
    widgetOrderKind(simulation),
  ] as unknown as AnyKind[];
}
