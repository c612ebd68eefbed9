import { describe, expectTypeOf, it } from 'vitest';
import type { OperationContext } from './context.ts';
import { type AnyKind, defineKind, indexKinds, type KindDefinition, type KindOutcome } from './kind.ts';

interface CarInput {
  make: string;
}
type Car = { id: string; make: string };
type Report = { rows: number };

describe('defineKind types', () => {
  it('types the input and context of the handler', () => {
    defineKind<CarInput, Car>({
      name: 'car.create',
      lockKey: (input) => {
        expectTypeOf(input).toEqualTypeOf<CarInput>();
        return null;
      },
      async run(input, ctx) {
        expectTypeOf(input).toEqualTypeOf<CarInput>();
        expectTypeOf(ctx).toEqualTypeOf<OperationContext>();
        return {
          product: { collection: 'cars', id: 'car_1', href: '/cars/car_1', body: { id: 'car_1', make: input.make } },
        };
      },
    });
  });

  it('refuses a product body of the wrong type', () => {
    defineKind<CarInput, Car>({
      name: 'car.create',
      // @ts-expect-error: `make` is missing from the Car body.
      run: async () => ({ product: { collection: 'cars', id: 'car_1', href: '/cars/car_1', body: { id: 'car_1' } } }),
    });
  });

  it('refuses a product from a kind that declares none', () => {
    defineKind<CarInput>({
      name: 'reindex.run',
      // @ts-expect-error: Product defaults to never.
      run: async () => ({ product: { collection: 'cars', id: 'car_1', href: '/cars/car_1', body: { id: 'car_1' } } }),
    });
  });

  it('types an inline result', () => {
    defineKind<CarInput, never, Report>({ name: 'report.run', run: async () => ({ result: { rows: 3 } }) });
    defineKind<CarInput, never, Report>({
      name: 'report.run',
      // @ts-expect-error: rows must be a number.
      run: async () => ({ result: { rows: 'three' } }),
    });
  });

  it('allows neither product nor result, with or without related resources', () => {
    defineKind<CarInput>({ name: 'machine.shutdown', run: async () => ({}) });
    defineKind<CarInput>({
      name: 'widget-order.fulfil',
      run: async () => ({ related: [{ rel: 'invoice', href: '/invoices/1' }] }),
    });
  });

  it('refuses a product and a result together', () => {
    expectTypeOf<{
      product: { collection: string; id: string; href: string; body: Car };
      result: Report;
    }>().not.toExtend<KindOutcome<Car, Report>>();
  });

  it('lets any typed kind join the registry', () => {
    const car = defineKind<CarInput, Car>({
      name: 'car.create',
      run: async (input) => ({
        product: { collection: 'cars', id: 'c', href: '/cars/c', body: { id: 'c', make: input.make } },
      }),
    });
    expectTypeOf(car).toEqualTypeOf<KindDefinition<CarInput, Car, never>>();
    expectTypeOf(car).toExtend<AnyKind>();
    indexKinds([car]);
  });
});
