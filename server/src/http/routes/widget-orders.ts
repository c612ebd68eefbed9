/**
 * `/widget-orders` (an order readable during and after fulfilment): the order is a resource from acceptance on, readable during and
 * after fulfilment; a waiting `fulfilment` step is confirmed by `POST …/fulfilment`; the widgets
 * and the invoice it yields are resources of their own.
 */
import { FULFILMENT_ACTION, type Invoice, type StoredWidgetOrder, type Widget } from '../../kinds/widget-orders.ts';
import { newId } from '../../operations/ids.ts';
import type { OperationRecord } from '../../operations/model.ts';
import { acceptOperation } from '../accept.ts';
import type { Schema } from '../api-types.ts';
import { linkHeader, retryAfterFromEta } from '../headers.ts';
import type { HttpContext } from '../http-context.ts';
import { monitorHref, toMonitor } from '../monitor-view.ts';
import { HttpProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

type WidgetOrder = Schema<'WidgetOrder'>;

/** What an order's representation shows of the operation that fulfils it. */
type FulfilmentStatus = Pick<OperationRecord, 'id' | 'state' | 'steps' | 'createdAt' | 'updatedAt'>;

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

/** The routes of `/widget-orders`, `/widgets` and `/invoices`. */
export function widgetOrderRoutes(context: HttpContext): RouteDefinition[] {
  const { engine } = context;

  /**
   * An order and the operation that fulfils it. Once retention removed that operation's monitor,
   * a fulfilled order (it has its invoice) stays readable as `fulfilled` (`operation` undefined);
   * one that never was fulfilled is forgotten with its monitor.
   */
  async function findOrder(tenant: string, orderId: string) {
    const stored = await engine.getResource(tenant, 'widget-orders', orderId);
    const body = stored?.body as StoredWidgetOrder | undefined;
    const operation = stored && (await engine.get(tenant, stored.operationId));
    if (stored === undefined || body === undefined || (operation === undefined && body.invoice === null)) {
      throw new HttpProblem('not-found', { detail: `No widget order ${orderId}.` });
    }
    const status: FulfilmentStatus = operation ?? {
      id: stored.operationId,
      state: 'succeeded',
      steps: [],
      createdAt: stored.createdAt,
      updatedAt: stored.updatedAt,
    };
    const etag = operation ? `"${operation.id}.${operation.version}"` : `"${stored.id}.${stored.updatedAt}"`;
    return { body, operation, status, etag };
  }

  return [
    defineRoute('/widget-orders', 'post', async (request) => {
      const orderId = newId('wo', context.clock.now());
      const { items, manualFulfilment = false, callbackUrl } = request.body;
      const body: StoredWidgetOrder = { id: orderId, items, widgets: [], invoice: null };
      return acceptOperation<Schema<'WidgetOrderMonitor'>>(context, request, 'POST', {
        kind: 'widget-order.fulfil',
        input: { orderId, items, manualFulfilment },
        resource: { collection: 'widget-orders', id: orderId, body },
        resourceHref: `/widget-orders/${orderId}`,
        callbackUrl: callbackUrl ?? null,
      });
    }),

    defineRoute('/widget-orders/{orderId}', 'get', async ({ tenant, params }) => {
      const { body, operation, status, etag } = await findOrder(tenant, params.orderId);
      return {
        status: 200,
        headers: { ETag: etag, Link: operation && linkHeader(monitorHref(operation.id), 'monitor') },
        body: toWidgetOrder(body, status),
      };
    }),

    defineRoute('/widget-orders/{orderId}/fulfilment', 'post', async ({ tenant, params, body }) => {
      const { status } = await findOrder(tenant, params.orderId);
      const link = linkHeader(monitorHref(status.id), 'monitor');
      const delivered = await engine.deliverAction(tenant, status.id, FULFILMENT_ACTION, body);
      // No operation any more: the order was fulfilled long ago.
      if (delivered === undefined || delivered.outcome !== 'delivered') {
        throw new HttpProblem('not-waiting', {
          detail: `Order ${params.orderId} is not waiting for fulfilment.`,
          headers: { Link: link },
        });
      }
      const updated = delivered.operation;
      return {
        status: 202,
        headers: {
          Location: monitorHref(updated.id),
          Link: link,
          'Retry-After': retryAfterFromEta(updated.estimatedCompletionAt, context.clock.now(), context.retryAfter),
        },
        body: toMonitor(updated) as Schema<'WidgetOrderMonitor'>,
      };
    }),

    defineRoute('/widgets/{widgetId}', 'get', async ({ tenant, params }) => {
      const stored = await engine.getResource(tenant, 'widgets', params.widgetId);
      if (stored === undefined) throw new HttpProblem('not-found', { detail: `No widget ${params.widgetId}.` });
      return { status: 200, body: stored.body as Widget };
    }),

    defineRoute('/invoices/{invoiceId}', 'get', async ({ tenant, params }) => {
      const stored = await engine.getResource(tenant, 'invoices', params.invoiceId);
      if (stored === undefined) throw new HttpProblem('not-found', { detail: `No invoice ${params.invoiceId}.` });
      return { status: 200, body: stored.body as Invoice };
    }),
  ];
}
