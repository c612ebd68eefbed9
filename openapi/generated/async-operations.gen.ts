// generated from openapi/openapi.yaml by `pnpm generate` — do not edit

import type { components } from './schema.gen.ts';

/** Every long-running operation kind declared with `x-longrun-async`, keyed by kind. */
export interface AsyncKinds {
  'car.create': {
    product: components['schemas']['Car'];
    result: never;
    operationId: 'createCar';
    path: '/cars';
    method: 'post';
  };
  'car.read': {
    product: never;
    result: components['schemas']['Car'];
    operationId: 'getCar';
    path: '/cars/{carId}';
    method: 'get';
  };
  reindex: {
    product: never;
    result: components['schemas']['ReindexReport'];
    operationId: 'startReindex';
    path: '/reindex';
    method: 'post';
  };
  transcode: {
    product: components['schemas']['EncodedVideo'];
    result: never;
    operationId: 'createTranscode';
    path: '/transcodes';
    method: 'post';
  };
  'virtual-machine.provision': {
    product: components['schemas']['VirtualMachine'];
    result: never;
    operationId: 'createVirtualMachine';
    path: '/virtual-machines';
    method: 'post';
  };
  'widget-order.fulfil': {
    product: components['schemas']['WidgetOrder'];
    result: never;
    operationId: 'createWidgetOrder';
    path: '/widget-orders';
    method: 'post';
  };
}

/** A long-running operation kind declared in the spec. */
export type AsyncKind = keyof AsyncKinds;

/** Every `x-longrun-async` operation, sorted by kind; `product`/`result` name component schemas. */
export const asyncOperations = [
  { kind: 'car.create', operationId: 'createCar', path: '/cars', method: 'post', product: 'Car', result: null },
  { kind: 'car.read', operationId: 'getCar', path: '/cars/{carId}', method: 'get', product: null, result: 'Car' },
  {
    kind: 'reindex',
    operationId: 'startReindex',
    path: '/reindex',
    method: 'post',
    product: null,
    result: 'ReindexReport',
  },
  {
    kind: 'transcode',
    operationId: 'createTranscode',
    path: '/transcodes',
    method: 'post',
    product: 'EncodedVideo',
    result: null,
  },
  {
    kind: 'virtual-machine.provision',
    operationId: 'createVirtualMachine',
    path: '/virtual-machines',
    method: 'post',
    product: 'VirtualMachine',
    result: null,
  },
  {
    kind: 'widget-order.fulfil',
    operationId: 'createWidgetOrder',
    path: '/widget-orders',
    method: 'post',
    product: 'WidgetOrder',
    result: null,
  },
] as const;

/** One entry of {@link asyncOperations}. */
export type AsyncOperation = (typeof asyncOperations)[number];
