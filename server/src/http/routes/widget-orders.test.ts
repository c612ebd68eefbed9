/**
 * `/widget-orders` (an order readable during and after fulfilment) over real HTTP: an order readable during and after fulfilment, a
 * manual fulfilment step that waits for a confirming request, and the widgets and invoice it yields.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, BODIES, linkTarget } from '../../testing/api-client.ts';
import { startTestServer, type TestServer } from '../../testing/test-server.ts';
import type { AnyMonitor } from '../api-types.ts';

// Servers start inside some tests and compile their validators on first use; CI machines are small.
vi.setConfig({ testTimeout: 20_000, hookTimeout: 20_000 });

const UNITS = BODIES.manualWidgetOrder.items.reduce((sum, item) => sum + item.quantity, 0);

describe('a widget order with manual fulfilment', () => {
  let t: TestServer;
  let api: ApiClient;
  beforeAll(async () => {
    t = await startTestServer();
    api = new ApiClient(t);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    expect(api.serverErrors()).toEqual([]);
  });

  /** Places a manual order and waits until its fulfilment step waits. */
  async function waitingOrder(): Promise<{ monitor: AnyMonitor; orderHref: string; confirmHref: string }> {
    const accepted = await (await api.post('/widget-orders', BODIES.manualWidgetOrder)).json();
    const monitor = await api.untilWaiting(accepted.links.self.href);
    const orderHref = monitor.links.product?.href as string;
    return { monitor, orderHref, confirmHref: `${orderHref}/fulfilment` };
  }

  it('waits at the fulfilment step, which links the request that confirms it', async () => {
    const { monitor, orderHref } = await waitingOrder();
    expect(orderHref).toMatch(/^\/widget-orders\/wo_/);
    expect(monitor.state).toBe('running');
    expect(monitor.steps).toEqual([
      { name: 'reserve', title: 'Reserve stock', state: 'succeeded' },
      { name: 'manufacture', title: 'Manufacture widgets', state: 'succeeded' },
      {
        name: 'fulfilment',
        title: 'Fulfilment',
        state: 'waiting',
        action: { method: 'POST', href: `${orderHref}/fulfilment` },
      },
      { name: 'invoice', title: 'Issue the invoice', state: 'pending' },
    ]);
    expect(monitor.estimatedCompletionAt).toBeNull();
    const polled = await api.get(monitor.links.self.href);
    expect(polled.status).toBe(202);
    expect(polled.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    await api.post(`${monitor.links.self.href}/cancel`);
  });

  it('is readable while it waits: awaiting-fulfilment, its widgets listed and readable, no invoice yet', async () => {
    const { monitor, orderHref, confirmHref } = await waitingOrder();
    const answer = await api.get(orderHref);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toMatch(/^".+"$/);
    expect(linkTarget(answer.headers.get('link'), 'monitor')).toBe(monitor.links.self.href);
    const order = await answer.json();
    expect(order).toMatchObject({
      status: 'awaiting-fulfilment',
      items: BODIES.manualWidgetOrder.items,
      invoice: null,
      links: {
        self: { href: orderHref },
        monitor: { href: monitor.links.self.href },
        confirmFulfilment: { href: confirmHref },
      },
    });
    expect(order.widgets).toHaveLength(UNITS);
    for (const { href } of order.widgets) {
      const widget = await api.get(href);
      expect(widget.status).toBe(200);
      expect(await widget.json()).toMatchObject({ orderId: order.id, links: { self: { href } } });
    }
    await api.post(`${monitor.links.self.href}/cancel`);
  });

  it('resumes once confirmed and ends fulfilled, with its widgets and an invoice readable afterwards', async () => {
    const { monitor, orderHref, confirmHref } = await waitingOrder();
    const confirmed = await api.post(confirmHref, { confirmedBy: 'warehouse-7', note: 'Packed.' });
    expect(confirmed.status).toBe(202);
    expect(confirmed.headers.get('location')).toBe(monitor.links.self.href);
    expect(linkTarget(confirmed.headers.get('link'), 'monitor')).toBe(monitor.links.self.href);
    expect(confirmed.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect((await confirmed.json()).id).toBe(monitor.id);

    const done = await api.untilTerminal(monitor.links.self.href);
    expect(done.state).toBe('succeeded');
    expect(done.steps.map((step) => step.state)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    const final = await api.get(monitor.links.self.href);
    expect(final.status).toBe(201);
    expect(final.headers.get('location')).toBe(orderHref);
    const related = done.links.related ?? [];
    expect(related.filter((link) => link.rel === 'widget')).toHaveLength(UNITS);
    const invoiceHref = related.find((link) => link.rel === 'invoice')?.href as string;
    expect(invoiceHref).toMatch(/^\/invoices\/inv_/);

    const order = await (await api.get(orderHref)).json();
    expect(order).toMatchObject({ status: 'fulfilled', invoice: { href: invoiceHref } });
    expect(order.links.confirmFulfilment).toBeUndefined();
    expect(order.widgets).toHaveLength(UNITS);
    const invoice = await api.get(invoiceHref);
    expect(invoice.status).toBe(200);
    expect(await invoice.json()).toMatchObject({
      orderId: order.id,
      currency: 'EUR',
      totalCents: UNITS * 1_499,
      lines: BODIES.manualWidgetOrder.items.map((item) => ({ ...item, unitPriceCents: 1_499 })),
    });
  });

  it('answers a second confirmation with 409 not-waiting', async () => {
    const { monitor, confirmHref } = await waitingOrder();
    expect((await api.post(confirmHref, { confirmedBy: 'first' })).status).toBe(202);
    const second = await api.post(confirmHref, { confirmedBy: 'second' });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
    expect(linkTarget(second.headers.get('link'), 'monitor')).toBe(monitor.links.self.href);
    expect(await second.json()).toMatchObject({ type: 'https://longrun.dev/problems/not-waiting', status: 409 });
    await api.untilTerminal(monitor.links.self.href);
    expect((await api.post(confirmHref, { confirmedBy: 'late' })).status).toBe(409);
  });

  it('accepts exactly one of several confirmations that race each other', async () => {
    const { monitor, confirmHref } = await waitingOrder();
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((who) => api.post(confirmHref, { confirmedBy: who })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409, 409, 409]);
    await api.untilTerminal(monitor.links.self.href);
  });

  it('when cancelled while waiting, ends cancelled with no invoice and refuses a confirmation', async () => {
    const { monitor, orderHref, confirmHref } = await waitingOrder();
    const cancel = await api.post(`${monitor.links.self.href}/cancel`);
    expect(cancel.status).toBe(202);
    const done = await api.untilTerminal(monitor.links.self.href);
    expect(done.state).toBe('cancelled');
    expect(done.links.related?.some((link) => link.rel === 'invoice') ?? false).toBe(false);
    expect(done.steps.find((step) => step.name === 'invoice')?.state).not.toBe('succeeded');
    const order = await (await api.get(orderHref)).json();
    expect(order).toMatchObject({ status: 'cancelled', invoice: null });
    expect((await api.post(confirmHref, { confirmedBy: 'too-late' })).status).toBe(409);
  });
});

describe('a widget order not yet started', () => {
  it('is readable as pending and answers a confirmation with 409 not-waiting', async () => {
    const t = await startTestServer({ engine: { runWorker: false } });
    const api = new ApiClient(t);
    try {
      const monitor = await (await api.post('/widget-orders', BODIES.manualWidgetOrder)).json();
      const orderHref = monitor.links.product.href;
      const order = await (await api.get(orderHref)).json();
      expect(order).toMatchObject({ status: 'pending', widgets: [], invoice: null });
      const confirm = await api.post(`${orderHref}/fulfilment`, { confirmedBy: 'eager' });
      expect(confirm.status).toBe(409);
      expect((await confirm.json()).type).toBe('https://longrun.dev/problems/not-waiting');
      expect(api.serverErrors()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});
