/**
 * The reference spec's stubs, as `pnpm generate` writes them with the code `longrun generate` runs:
 * a handler per synchronous operation, a kind per long-running one, each typed from its operation.
 */
import { describe, expectTypeOf, test } from 'vitest';
import { createServer } from '../create-server.ts';
import type { Handlers, Kinds, KindTypes } from '../generated/server.gen.ts';
import { defineKind, spec } from '../generated/server.gen.ts';
import { defineKind as defineAnyKind } from '../operations/kind.ts';
import { referenceHandlers } from '../reference/reference-api.ts';
import type { Schema } from './api-types.ts';

describe('the reference stubs', () => {
  test('name the synchronous operations as handlers and the long-running ones as kinds', () => {
    expectTypeOf<keyof Handlers>().toEqualTypeOf<
      | 'getVirtualMachine'
      | 'getProduct'
      | 'getWidgetOrder'
      | 'confirmWidgetOrderFulfilment'
      | 'getWidget'
      | 'getInvoice'
    >();
    expectTypeOf<keyof Kinds>().toEqualTypeOf<
      'car.create' | 'car.read' | 'reindex' | 'transcode' | 'virtual-machine.provision' | 'widget-order.fulfil'
    >();
  });

  test('type a kind’s default input: the body, or the path parameters of an operation without one', () => {
    expectTypeOf<KindTypes['car.create']['input']>().toEqualTypeOf<Schema<'CarSpec'>>();
    expectTypeOf<KindTypes['car.read']['input']>().toMatchTypeOf<{ carId: string }>();
  });

  test('a kind of the spec must produce its product, and its result', () => {
    defineKind('reindex', {
      // @ts-expect-error a reindex ends with a ReindexReport, never a product
      run: async () => ({ product: { collection: 'cars', id: 'c', href: '/cars/c', body: {} as Schema<'Car'> } }),
    });
    const makesReports = defineAnyKind<unknown, never, Schema<'ReindexReport'>>({
      name: 'car.read',
      run: async () => ({ result: {} as Schema<'ReindexReport'> }),
    });
    // @ts-expect-error car.read's result is a Car
    const wrong: Kinds['car.read'] = makesReports;
    void wrong;
  });

  test('createServer wants every handler of the spec', () => {
    void createServer({ spec, handlers: referenceHandlers });
    const { getInvoice: _invoice, ...fewer } = referenceHandlers;
    // @ts-expect-error getInvoice is missing
    void createServer({ spec, handlers: fewer });
  });
});
