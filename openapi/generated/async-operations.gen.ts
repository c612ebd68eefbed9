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
    oneAtATime: false;
    steps: readonly ['chassis', 'paint', 'inspection'];
  };
  'car.read': {
    product: never;
    result: components['schemas']['Car'];
    operationId: 'getCar';
    path: '/cars/{carId}';
    method: 'get';
    oneAtATime: false;
    steps: readonly [];
  };
  reindex: {
    product: never;
    result: components['schemas']['ReindexReport'];
    operationId: 'startReindex';
    path: '/reindex';
    method: 'post';
    oneAtATime: true;
    steps: readonly ['scan', 'build', 'swap'];
  };
  transcode: {
    product: components['schemas']['EncodedVideo'];
    result: never;
    operationId: 'createTranscode';
    path: '/transcodes';
    method: 'post';
    oneAtATime: false;
    steps: readonly ['probe', 'encode', 'package'];
  };
  'virtual-machine.provision': {
    product: components['schemas']['VirtualMachine'];
    result: never;
    operationId: 'createVirtualMachine';
    path: '/virtual-machines';
    method: 'post';
    oneAtATime: false;
    steps: readonly ['allocate', 'image', 'boot'];
  };
  'widget-order.fulfil': {
    product: components['schemas']['WidgetOrder'];
    result: never;
    operationId: 'createWidgetOrder';
    path: '/widget-orders';
    method: 'post';
    oneAtATime: false;
    steps: readonly ['reserve', 'manufacture', 'fulfilment', 'invoice'];
  };
}

/** A long-running operation kind declared in the spec. */
export type AsyncKind = keyof AsyncKinds;

/** Every long-running operation (`x-longrun-async` and the dialects read), sorted by kind; `product`/`result` name component schemas. */
export const asyncOperations = [
  {
    kind: 'car.create',
    operationId: 'createCar',
    path: '/cars',
    method: 'post',
    product: 'Car',
    result: null,
    oneAtATime: false,
    steps: ['chassis', 'paint', 'inspection'],
  },
  {
    kind: 'car.read',
    operationId: 'getCar',
    path: '/cars/{carId}',
    method: 'get',
    product: null,
    result: 'Car',
    oneAtATime: false,
    steps: [],
  },
  {
    kind: 'reindex',
    operationId: 'startReindex',
    path: '/reindex',
    method: 'post',
    product: null,
    result: 'ReindexReport',
    oneAtATime: true,
    steps: ['scan', 'build', 'swap'],
  },
  {
    kind: 'transcode',
    operationId: 'createTranscode',
    path: '/transcodes',
    method: 'post',
    product: 'EncodedVideo',
    result: null,
    oneAtATime: false,
    steps: ['probe', 'encode', 'package'],
  },
  {
    kind: 'virtual-machine.provision',
    operationId: 'createVirtualMachine',
    path: '/virtual-machines',
    method: 'post',
    product: 'VirtualMachine',
    result: null,
    oneAtATime: false,
    steps: ['allocate', 'image', 'boot'],
  },
  {
    kind: 'widget-order.fulfil',
    operationId: 'createWidgetOrder',
    path: '/widget-orders',
    method: 'post',
    product: 'WidgetOrder',
    result: null,
    oneAtATime: false,
    steps: ['reserve', 'manufacture', 'fulfilment', 'invoice'],
  },
] as const;

/** One entry of {@link asyncOperations}. */
export type AsyncOperation = (typeof asyncOperations)[number];
