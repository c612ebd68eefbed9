/**
 * `/virtual-machines` (embedded status): embedded status. `POST` answers 202 with `Location` → the
 * machine itself; the machine's representation carries the live status, progress and ETA of the
 * operation that provisions it.
 */
import type { StoredVirtualMachine, VirtualMachine } from '../../kinds/virtual-machines.ts';
import { newId } from '../../operations/ids.ts';
import type { OperationRecord } from '../../operations/model.ts';
import { acceptOperation } from '../accept.ts';
import type { Schema } from '../api-types.ts';
import { linkHeader } from '../headers.ts';
import type { HttpContext } from '../http-context.ts';
import { monitorHref } from '../monitor-view.ts';
import { HttpProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

const STATUS: Record<OperationRecord['state'], VirtualMachine['status']> = {
  queued: 'provisioning',
  running: 'provisioning',
  succeeded: 'ready',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** What a machine's representation shows of the operation that provisions it. */
type ProvisioningStatus = Pick<
  OperationRecord,
  'id' | 'state' | 'progress' | 'estimatedCompletionAt' | 'createdAt' | 'updatedAt'
>;

/** A machine's representation: its stored body with the live status of its operation. */
export function toVirtualMachine(body: StoredVirtualMachine, operation: ProvisioningStatus): VirtualMachine {
  const finished = operation.state === 'succeeded' || operation.state === 'failed' || operation.state === 'cancelled';
  return {
    id: body.id,
    status: STATUS[operation.state],
    configuration: body.configuration,
    progress:
      operation.progress.message === undefined
        ? { percent: operation.progress.percent }
        : { percent: operation.progress.percent, message: operation.progress.message },
    estimatedCompletionAt: finished ? null : operation.estimatedCompletionAt,
    ipAddress: operation.state === 'succeeded' ? body.ipAddress : null,
    createdAt: operation.createdAt,
    updatedAt: operation.updatedAt,
    links: { self: { href: `/virtual-machines/${body.id}` }, monitor: { href: monitorHref(operation.id) } },
  };
}

/** The routes of `/virtual-machines`. */
export function virtualMachineRoutes(context: HttpContext): RouteDefinition[] {
  return [
    defineRoute('/virtual-machines', 'post', async (request) => {
      const vmId = newId('vm', context.clock.now());
      const body: StoredVirtualMachine = {
        id: vmId,
        configuration: request.body.configuration,
        ipAddress: null,
        createdAt: context.clock.now().toISOString(),
      };
      return acceptOperation<Schema<'VirtualMachineProvisionMonitor'>>(context, request, 'POST', {
        kind: 'virtual-machine.provision',
        input: { vmId, configuration: request.body.configuration },
        resource: { collection: 'virtual-machines', id: vmId, body },
        resourceHref: `/virtual-machines/${vmId}`,
        locationIsResource: true,
      });
    }),

    defineRoute('/virtual-machines/{vmId}', 'get', async ({ tenant, params }) => {
      const notFound = () => new HttpProblem('not-found', { detail: `No virtual machine ${params.vmId}.` });
      const stored = await context.engine.getResource(tenant, 'virtual-machines', params.vmId);
      if (stored === undefined) throw notFound();
      const operation = await context.engine.get(tenant, stored.operationId);
      if (operation === undefined) {
        // Retention removed its monitor. A machine that became ready outlives it (it carries its
        // address); one that never did is forgotten with its monitor.
        const body = stored.body as StoredVirtualMachine;
        if (body.ipAddress === null) throw notFound();
        const finished = {
          id: stored.operationId,
          state: 'succeeded',
          progress: { percent: 100 },
          estimatedCompletionAt: null,
        } as const;
        return {
          status: 200,
          headers: { ETag: `"${stored.id}.${stored.updatedAt}"` },
          body: toVirtualMachine(body, { ...finished, createdAt: stored.createdAt, updatedAt: stored.updatedAt }),
        };
      }
      return {
        status: 200,
        headers: {
          ETag: `"${operation.id}.${operation.version}"`,
          Link: linkHeader(monitorHref(operation.id), 'monitor'),
        },
        body: toVirtualMachine(stored.body as StoredVirtualMachine, operation),
      };
    }),
  ];
}
