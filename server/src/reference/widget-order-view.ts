/**
 * A widget order as `GET /widget-orders/{orderId}` shows it: its stored body with the live status
 * of the operation that fulfils it, and the link that confirms a waiting fulfilment.
 */
import type { Schema } from '../http/api-types.ts';
import { monitorHref } from '../http/monitor-view.ts';
import type { StoredWidgetOrder } from '../kinds/widget-orders.ts';
import type { OperationRecord } from '../operations/model.ts';

type WidgetOrder = Schema<'WidgetOrder'>;

/** What an order's representation shows of the operation that fulfils it. */
export type FulfilmentStatus = Pick<OperationRecord, 'id' | 'state' | 'steps' | 'createdAt' | 'updatedAt'>;

function orderStatus(operation: FulfilmentStatus): WidgetOrder['status'] {
  switch (operation.state) {
    case 'queued':
      return 'pending';
    case 'running':
      return operation.steps.some((step) => step.name === 'fulfilment' && step.state === 'waiting')
        ? 'awaiting-fulfilment'
        : 'processing';
    case 'succeeded':
      return 'fulfilled';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}

/** An order's representation: its stored body with the live status of its operation. */
export function toWidgetOrder(body: StoredWidgetOrder, operation: FulfilmentStatus): WidgetOrder {
  const status = orderStatus(operation);
  const self = `/widget-orders/${body.id}`;
  return {
    id: body.id,
    status,
    items: body.items,
    widgets: body.widgets,
    invoice: operation.state === 'succeeded' ? body.invoice : null,
    createdAt: operation.createdAt,
    updatedAt: operation.updatedAt,
    links: {
      self: { href: self },
      monitor: { href: monitorHref(operation.id) },
      ...(status === 'awaiting-fulfilment' ? { confirmFulfilment: { href: `${self}/fulfilment` } } : {}),
    },
  };
}
