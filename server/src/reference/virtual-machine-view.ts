/**
 * A virtual machine as `GET /virtual-machines/{vmId}` shows it (embedded status): its stored body
 * with the live status, progress and ETA of the operation that provisions it.
 */

import { monitorHref } from '../http/monitor-view.ts';
import type { StoredVirtualMachine, VirtualMachine } from '../kinds/virtual-machines.ts';
import type { OperationRecord } from '../operations/model.ts';

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
