/**
 * The reference API, built as any team builds theirs: the generated stubs of `openapi/openapi.yaml`
 * (`server/src/generated/server.gen.ts`), its kinds, and plain handlers for its synchronous
 * operations. `createServer` builds every route from the spec; nothing here is a route.
 */

import type { Handlers, Kinds } from '../generated/server.gen.ts';
import type { Schema } from '../http/api-types.ts';
import { linkHeader, parsePrefer } from '../http/headers.ts';
import { HttpProblem } from '../http/problem.ts';
import type { ServerApi } from '../http/spec-server.ts';
import type { ResourceReader } from '../kinds/cars.ts';
import { type Car, carCreateKind, carReadKind } from '../kinds/cars.ts';
import { reindexKind } from '../kinds/reindex.ts';
import type { Simulation } from '../kinds/simulation.ts';
import { type EncodedVideo, transcodeKind } from '../kinds/transcodes.ts';
import { type StoredVirtualMachine, virtualMachineProvisionKind } from '../kinds/virtual-machines.ts';
import {
  FULFILMENT_ACTION,
  type Invoice,
  type StoredWidgetOrder,
  type Widget,
  widgetOrderKind,
} from '../kinds/widget-orders.ts';
import type { OperationRecord } from '../operations/model.ts';
import { toVirtualMachine } from './virtual-machine-view.ts';
import { type FulfilmentStatus, toWidgetOrder } from './widget-order-view.ts';

/** The entity tag of a stored resource. */
function resourceEtag(stored: { id: string; updatedAt: string }): string {
  return `"${stored.id}.${stored.updatedAt}"`;
}

/** The reference kinds, keyed by the kind names of the spec, each with the acceptance its resource needs. */
export function referenceKindMap(simulation: Simulation, readResource: ResourceReader): Kinds {
  return {
    'car.create': carCreateKind(simulation),
    'car.read': {
      ...carReadKind(simulation, readResource),
      // `GET /cars/{carId}` is a plain read unless the client prefers `respond-async`.
      async accept({ tenant, params, header }, server) {
        const stored = await server.getResource(tenant, 'cars', params.carId);
        if (stored === undefined) throw new HttpProblem('not-found', { detail: `No car ${params.carId}.` });
        if (!parsePrefer(header('prefer')).respondAsync) {
          return { answer: { status: 200, headers: { ETag: resourceEtag(stored) }, body: stored.body as Car } };
        }
        return { input: { carId: params.carId }, headers: { ETag: resourceEtag(stored) } };
      },
    },
    // The machine exists from acceptance on and carries its own status: `Location` is the machine.
    // Its product is stored as `StoredVirtualMachine`; `getVirtualMachine` renders the spec's
    // `VirtualMachine` from it with the live status, so the stored form is not the spec's type.
    'virtual-machine.provision': {
      ...(virtualMachineProvisionKind(simulation) as unknown as Kinds['virtual-machine.provision']),
      async accept({ body }, server) {
        const vmId = server.newId('vm');
        const stored: StoredVirtualMachine = {
          id: vmId,
          configuration: body.configuration,
          ipAddress: null,
          createdAt: server.clock.now().toISOString(),
        };
        return {
          input: { vmId, configuration: body.configuration },
          resource: { collection: 'virtual-machines', id: vmId, href: `/virtual-machines/${vmId}`, body: stored },
          locationIsResource: true,
        };
      },
    },
    transcode: transcodeKind(simulation),
    reindex: reindexKind(simulation),
    // The order is readable from acceptance on; as for machines, its stored form is rendered by `getWidgetOrder`.
    'widget-order.fulfil': {
      ...(widgetOrderKind(simulation) as unknown as Kinds['widget-order.fulfil']),
      async accept({ body }, server) {
        const orderId = server.newId('wo');
        const { items, manualFulfilment = false, callbackUrl } = body;
        const stored: StoredWidgetOrder = { id: orderId, items, widgets: [], invoice: null };
        return {
          input: { orderId, items, manualFulfilment },
          resource: { collection: 'widget-orders', id: orderId, href: `/widget-orders/${orderId}`, body: stored },
          callbackUrl: callbackUrl ?? null,
        };
      },
    },
  };
}

/**
 * An order and the operation that fulfils it. Once retention removed that operation's monitor, a
 * fulfilled order (it has its invoice) stays readable as `fulfilled` (`operation` undefined); one
 * that never was fulfilled is forgotten with its monitor.
 */
async function findOrder(server: ServerApi, tenant: string, orderId: string) {
  const stored = await server.getResource(tenant, 'widget-orders', orderId);
  const body = stored?.body as StoredWidgetOrder | undefined;
  const operation = stored && (await server.getOperation(tenant, stored.operationId));
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
  const etag = operation ? `"${operation.id}.${operation.version}"` : resourceEtag(stored);
  return { body, operation, status, etag };
}

/** The plain handlers of the reference spec's synchronous operations. */
export const referenceHandlers: Handlers = {
  async getVirtualMachine({ tenant, params }, server) {
    const notFound = () => new HttpProblem('not-found', { detail: `No virtual machine ${params.vmId}.` });
    const stored = await server.getResource(tenant, 'virtual-machines', params.vmId);
    if (stored === undefined) throw notFound();
    const operation = await server.getOperation(tenant, stored.operationId);
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
        headers: { ETag: resourceEtag(stored) },
        body: toVirtualMachine(body, { ...finished, createdAt: stored.createdAt, updatedAt: stored.updatedAt }),
      };
    }
    return {
      status: 200,
      headers: { ETag: `"${operation.id}.${operation.version}"`, Link: server.monitorHeaders(operation).Link },
      body: toVirtualMachine(stored.body as StoredVirtualMachine, operation),
    };
  },

  async getProduct({ tenant, params }, server) {
    const stored = await server.getResource(tenant, 'products', params.productId);
    if (stored === undefined) throw new HttpProblem('not-found', { detail: `No product ${params.productId}.` });
    return { status: 200, headers: { ETag: resourceEtag(stored) }, body: stored.body as EncodedVideo };
  },

  async getWidgetOrder({ tenant, params }, server) {
    const { body, operation, status, etag } = await findOrder(server, tenant, params.orderId);
    return {
      status: 200,
      headers: { ETag: etag, Link: operation && server.monitorHeaders(operation).Link },
      body: toWidgetOrder(body, status),
    };
  },

  // The outside action the order's waiting `fulfilment` step waits for.
  async confirmWidgetOrderFulfilment({ tenant, params, body }, server) {
    const { status } = await findOrder(server, tenant, params.orderId);
    const link = linkHeader(server.monitorHref(status.id), 'monitor');
    const delivered = await server.deliverAction(tenant, status.id, FULFILMENT_ACTION, body);
    // No operation any more: the order was fulfilled long ago.
    if (delivered === undefined || delivered.outcome !== 'delivered') {
      throw new HttpProblem('not-waiting', {
        detail: `Order ${params.orderId} is not waiting for fulfilment.`,
        headers: { Link: link },
      });
    }
    const updated: OperationRecord = delivered.operation;
    return {
      status: 202,
      headers: server.monitorHeaders(updated),
      body: server.monitor(updated) as Schema<'WidgetOrderMonitor'>,
    };
  },

  async getWidget({ tenant, params }, server) {
    const stored = await server.getResource(tenant, 'widgets', params.widgetId);
    if (stored === undefined) throw new HttpProblem('not-found', { detail: `No widget ${params.widgetId}.` });
    return { status: 200, body: stored.body as Widget };
  },

  async getInvoice({ tenant, params }, server) {
    const stored = await server.getResource(tenant, 'invoices', params.invoiceId);
    if (stored === undefined) throw new HttpProblem('not-found', { detail: `No invoice ${params.invoiceId}.` });
    return { status: 200, body: stored.body as Invoice };
  },
};
