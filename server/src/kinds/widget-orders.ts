/**
 * Widget orders (an order readable during and after fulfilment): an order readable during and after fulfilment, which yields widgets
 * and an invoice, may wait for a person to confirm fulfilment, and may name a callback URL.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '../operations/ids.ts';
import { defineKind, type RelatedOutcome } from '../operations/kind.ts';
import { runSimulatedSteps, type SimulatedStep, type Simulation } from './simulation.ts';
import type { Schema } from './spec-types.ts';

/** A line of an order. */
export type WidgetOrderItem = Schema<'WidgetOrderItem'>;
/** A widget as the API shows it. */
export type Widget = Schema<'Widget'>;
/** An invoice as the API shows it. */
export type Invoice = Schema<'Invoice'>;

/** Price of every widget, in cents. */
export const UNIT_PRICE_CENTS = 1_499;

/** Input of `widget-order.fulfil`. */
export interface WidgetOrderInput {
  orderId: string;
  items: WidgetOrderItem[];
  manualFulfilment: boolean;
}

/** The stored body of an order: what the order resource shows besides its live status. */
export interface StoredWidgetOrder {
  id: string;
  items: WidgetOrderItem[];
  widgets: { href: string }[];
  invoice: { href: string } | null;
  [key: string]: unknown;
}

/** The action that confirms a waiting fulfilment step. */
export const FULFILMENT_ACTION = 'fulfilment';

const BEFORE_FULFILMENT: readonly SimulatedStep[] = [
  { name: 'reserve', title: 'Reserve stock', ms: 1_500 },
  { name: 'manufacture', title: 'Manufacture widgets', ms: 4_000 },
];
const AUTOMATIC_FULFILMENT: SimulatedStep = { name: 'fulfilment', title: 'Fulfilment', ms: 2_000 };
const INVOICE: SimulatedStep = { name: 'invoice', title: 'Issue the invoice', ms: 500 };

/** `widget-order.fulfil`: reserves, manufactures, fulfils (by hand when asked) and invoices. */
export function widgetOrderKind(simulation: Simulation) {
  return defineKind<WidgetOrderInput, StoredWidgetOrder>({
    name: 'widget-order.fulfil',
    steps: [
      ...BEFORE_FULFILMENT.map(({ name, title }) => ({ name, title })),
      { name: 'fulfilment', title: 'Fulfilment' },
      { name: INVOICE.name, title: INVOICE.title },
    ],
    estimateMs: (input) =>
      input.manualFulfilment
        ? // Unknown: a person has to act; the ETA is set again once they did.
          (BEFORE_FULFILMENT[0]?.ms ?? 0) * simulation.scale
        : [...BEFORE_FULFILMENT, AUTOMATIC_FULFILMENT, INVOICE].reduce((sum, s) => sum + s.ms, 0) * simulation.scale,
    async run(input, ctx) {
      const order: StoredWidgetOrder = { id: input.orderId, items: input.items, widgets: [], invoice: null };
      const orderHref = `/widget-orders/${input.orderId}`;
      await runSimulatedSteps(ctx, simulation, BEFORE_FULFILMENT, undefined, { from: 0, to: 60 });

      // Widgets become readable as soon as they are made, before the order is fulfilled.
      const widgets: RelatedOutcome[] = [];
      for (const item of input.items) {
        for (let unit = 0; unit < item.quantity; unit += 1) {
          const id = newId('wdg', ctx.now());
          const href = `/widgets/${id}`;
          const widget: Widget = {
            id,
            orderId: input.orderId,
            sku: item.sku,
            serialNumber: `SN-${randomBytes(2).toString('hex').toUpperCase()}-${String(widgets.length + 1).padStart(4, '0')}`,
            createdAt: ctx.now().toISOString(),
            links: { self: { href } },
          };
          await ctx.updateResource('widgets', id, widget);
          await ctx.relate({ rel: 'widget', href });
          widgets.push({ rel: 'widget', href });
          order.widgets.push({ href });
        }
      }
      await ctx.updateResource('widget-orders', input.orderId, order);

      if (input.manualFulfilment) {
        await ctx.estimate(null);
        await ctx.progress(60, 'Waiting for the warehouse to confirm fulfilment');
        await ctx.awaitAction(FULFILMENT_ACTION, {
          step: 'fulfilment',
          action: { method: 'POST', path: `${orderHref}/fulfilment` },
        });
        await ctx.step('fulfilment', 'succeeded');
        await runSimulatedSteps(ctx, simulation, [INVOICE], undefined, { from: 90, to: 100 });
      } else {
        await runSimulatedSteps(ctx, simulation, [AUTOMATIC_FULFILMENT, INVOICE], undefined, { from: 60, to: 100 });
      }

      const invoiceId = newId('inv', ctx.now());
      const invoiceHref = `/invoices/${invoiceId}`;
      const invoice: Invoice = {
        id: invoiceId,
        orderId: input.orderId,
        currency: 'EUR',
        totalCents: input.items.reduce((sum, item) => sum + item.quantity * UNIT_PRICE_CENTS, 0),
        lines: input.items.map((item) => ({
          sku: item.sku,
          quantity: item.quantity,
          unitPriceCents: UNIT_PRICE_CENTS,
        })),
        createdAt: ctx.now().toISOString(),
        links: { self: { href: invoiceHref } },
      };
      order.invoice = { href: invoiceHref };
      return {
        product: { collection: 'widget-orders', id: input.orderId, href: orderHref, body: order },
        related: [
          ...widgets,
          { rel: 'invoice', href: invoiceHref, resource: { collection: 'invoices', id: invoiceId, body: invoice } },
        ],
      };
    },
  });
}
