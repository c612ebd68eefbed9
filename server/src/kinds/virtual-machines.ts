/**
 * Virtual machines (embedded status): embedded status. The machine exists from acceptance on and its
 * own representation carries status, progress and ETA (`reference/virtual-machine-view.ts` merges
 * them in from the operation); provisioning publishes its final body with the address.
 */
import { randomInt } from 'node:crypto';
import { defineKind } from '../operations/kind.ts';
import { OperationProblemError } from '../operations/problems.ts';
import { runSimulatedSteps, type SimulatedStep, type Simulation, scaledTotal } from './simulation.ts';
import type { Schema } from './spec-types.ts';

/** A virtual machine as the API shows it. */
export type VirtualMachine = Schema<'VirtualMachine'>;
/** What to provision. */
export type VirtualMachineConfiguration = Schema<'VirtualMachineConfiguration'>;

/** Input of `virtual-machine.provision`: the machine's id (created at acceptance) and configuration. */
export interface ProvisionInput {
  vmId: string;
  configuration: VirtualMachineConfiguration;
}

/** The most memory one host has free, in GB: asking for more fails at `allocate` (a documented failure). */
export const MAX_HOST_RAM_GB = 1024;

const PROVISION_STEPS: readonly SimulatedStep[] = [
  { name: 'allocate', title: 'Allocate host capacity', ms: 2_000 },
  { name: 'image', title: 'Copy the OS image', ms: 6_000 },
  { name: 'boot', title: 'Boot and configure', ms: 4_000 },
];

/** The stored body of a machine: what does not change with its provisioning status. */
export interface StoredVirtualMachine {
  id: string;
  configuration: VirtualMachineConfiguration;
  ipAddress: string | null;
  createdAt: string;
  [key: string]: unknown;
}

/** `virtual-machine.provision`: allocates, images and boots a machine. */
export function virtualMachineProvisionKind(simulation: Simulation) {
  return defineKind<ProvisionInput, StoredVirtualMachine>({
    name: 'virtual-machine.provision',
    steps: PROVISION_STEPS.map(({ name, title }) => ({ name, title })),
    estimateMs: () => scaledTotal(simulation, PROVISION_STEPS),
    async run({ vmId, configuration }, ctx) {
      await runSimulatedSteps(ctx, simulation, PROVISION_STEPS, (step) => {
        const ramGb = Number.parseInt(configuration.ram, 10);
        if (step.name === 'allocate' && ramGb > MAX_HOST_RAM_GB) {
          throw new OperationProblemError({
            type: 'operation-failed',
            title: 'The operation failed',
            status: 500,
            detail: `No host has ${configuration.ram} of memory free.`,
          });
        }
      });
      const href = `/virtual-machines/${vmId}`;
      const body: StoredVirtualMachine = {
        id: vmId,
        configuration,
        ipAddress: `10.${randomInt(256)}.${randomInt(256)}.${1 + randomInt(254)}`,
        createdAt: ctx.now().toISOString(),
      };
      return { product: { collection: 'virtual-machines', id: vmId, href, body } };
    },
  });
}
