/**
 * Type tests: route handlers and kind handlers are bound to the spec's types, so a wrong path,
 * method, status, body or product does not compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { carCreateKind } from '../kinds/cars.ts';
import { transcodeKind } from '../kinds/transcodes.ts';
import { defineKind, type KindDefinition } from '../operations/kind.ts';
import type { Schema } from './api-types.ts';
import { defineRoute, type RouteDefinition, type RouteRequest, type RouteResult } from './typed-route.ts';

type Car = Schema<'Car'>;
type CarSpec = Schema<'CarSpec'>;
type CarCreationMonitor = Schema<'CarCreationMonitor'>;

declare const monitor: CarCreationMonitor;
declare const car: Car;

describe('defineRoute', () => {
  it('types the request from the spec: path parameters, query and body', () => {
    defineRoute('/cars/{carId}', 'get', async (request) => {
      expectTypeOf(request.params.carId).toEqualTypeOf<string>();
      expectTypeOf(request.tenant).toEqualTypeOf<string>();
      return { status: 200, body: car };
    });
    defineRoute('/cars', 'post', async (request) => {
      expectTypeOf(request.body).toEqualTypeOf<CarSpec>();
      return { status: 202, body: monitor };
    });
    defineRoute('/monitors', 'get', async ({ query }) => {
      expectTypeOf(query.state).toEqualTypeOf<Schema<'MonitorState'> | undefined>();
      expectTypeOf(query.limit).toEqualTypeOf<number | undefined>();
      return { status: 200, body: { items: [], next: null } };
    });
    expectTypeOf<RouteRequest<'/widget-orders/{orderId}/fulfilment', 'post'>['body']>().toEqualTypeOf<
      Schema<'FulfilmentConfirmation'>
    >();
  });

  it('accepts exactly the statuses the spec declares, each with its own body', () => {
    expectTypeOf<RouteResult<'/cars', 'post'>['status']>().toEqualTypeOf<200 | 201 | 202>();
    expectTypeOf<RouteResult<'/reindex', 'post'>['status']>().toEqualTypeOf<200 | 202>();
    expectTypeOf<RouteResult<'/monitors/{monitorId}', 'get'>['status']>().toEqualTypeOf<200 | 201 | 202 | 304>();
    expectTypeOf(
      defineRoute('/cars', 'post', async () => ({ status: 201, body: monitor })),
    ).toEqualTypeOf<RouteDefinition>();
  });

  it('refuses a status the spec does not declare for the operation', () => {
    // @ts-expect-error: POST /cars declares no 204.
    defineRoute('/cars', 'post', async () => ({ status: 204 }));
    // @ts-expect-error: POST /reindex never creates a resource, so it has no 201.
    defineRoute('/reindex', 'post', async () => ({ status: 201, body: monitor }));
    // @ts-expect-error: errors are thrown as HttpProblem, not returned.
    defineRoute('/cars/{carId}', 'get', async () => ({ status: 404, body: { type: 'x', title: 'x', status: 404 } }));
  });

  it('refuses a body of the wrong shape for the status', () => {
    // @ts-expect-error: 200 on GET /cars/{carId} is a Car, not a monitor.
    defineRoute('/cars/{carId}', 'get', async () => ({ status: 200, body: monitor }));
    // @ts-expect-error: a Car is missing its vin.
    defineRoute('/cars/{carId}', 'get', async () => ({ status: 200, body: { ...car, vin: undefined } }));
    // @ts-expect-error: a 202 from POST /cars carries the monitor.
    defineRoute('/cars', 'post', async () => ({ status: 202, body: car }));
    // @ts-expect-error: a 304 has no body.
    defineRoute('/monitors/{monitorId}', 'get', async () => ({ status: 304, body: monitor }));
    // @ts-expect-error: the list's `items` must be monitors.
    defineRoute('/monitors', 'get', async () => ({ status: 200, body: { items: [car], next: null } }));
  });

  it('refuses a path that is not in the spec, or a method it does not declare there', () => {
    // @ts-expect-error: there is no /trucks in the spec.
    defineRoute('/trucks', 'post', async () => ({ status: 202, body: monitor }));
    // @ts-expect-error: path templates must match the spec's exactly.
    defineRoute('/cars/{id}', 'get', async () => ({ status: 200, body: car }));
    // @ts-expect-error: /cars has no GET.
    defineRoute('/cars', 'get', async () => ({ status: 200, body: car }));
  });

  it('refuses a request member the operation does not have', () => {
    defineRoute('/cars', 'post', async (request) => {
      // @ts-expect-error: POST /cars has no path parameter carId.
      void request.params.carId;
      return { status: 202, body: monitor };
    });
  });
});

describe('kind handlers', () => {
  it('bind the reference kinds to the spec’s schemas', () => {
    expectTypeOf(carCreateKind({ scale: 1 })).toEqualTypeOf<KindDefinition<CarSpec, Car, never>>();
    expectTypeOf(transcodeKind({ scale: 1 })).toEqualTypeOf<
      KindDefinition<Schema<'TranscodeRequest'>, Schema<'EncodedVideo'>, never>
    >();
  });

  it('refuse a handler that returns the wrong product type', () => {
    const product = { collection: 'cars', id: 'car_1', href: '/cars/car_1' };
    defineKind<CarSpec, Car>({
      name: 'car.create',
      // @ts-expect-error: an EncodedVideo is not a Car.
      run: async () => ({ product: { ...product, body: {} as Schema<'EncodedVideo'> } }),
    });
    defineKind<CarSpec, Car>({
      name: 'car.create',
      // @ts-expect-error: the CarSpec lacks the Car's id, vin, createdAt and links.
      run: async (spec) => ({ product: { ...product, body: spec } }),
    });
    defineKind<CarSpec, Car>({
      name: 'car.create',
      // @ts-expect-error: a Car kind returns a product, not an inline result of another type.
      run: async () => ({ result: car }),
    });
  });

  it('refuse a handler that reads an input member the kind does not have', () => {
    defineKind<CarSpec, Car>({
      name: 'car.create',
      async run(spec) {
        // @ts-expect-error: a CarSpec has no resolution.
        void spec.resolution;
        return { product: { collection: 'cars', id: 'c', href: '/cars/c', body: car } };
      },
    });
  });
});
