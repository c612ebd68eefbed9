// generated from openapi/openapi.yaml by `pnpm generate` — do not edit

import {
  type KindInput,
  type OperationHandler,
  type ServerSpec,
  type SpecKind,
  specKinds,
} from '../http/spec-server.ts';
import type { components, operations } from '@longrun/openapi';
import { bundledSpecPath } from '@longrun/openapi';

/** The plain handler of every synchronous operation, by operationId: `createServer` needs each one. */
export interface Handlers {
  /** `GET /virtual-machines/{vmId}` */
  getVirtualMachine: OperationHandler<operations['getVirtualMachine']>;
  /** `GET /products/{productId}` */
  getProduct: OperationHandler<operations['getProduct']>;
  /** `GET /widget-orders/{orderId}` */
  getWidgetOrder: OperationHandler<operations['getWidgetOrder']>;
  /** `POST /widget-orders/{orderId}/fulfilment` */
  confirmWidgetOrderFulfilment: OperationHandler<operations['confirmWidgetOrderFulfilment']>;
  /** `GET /widgets/{widgetId}` */
  getWidget: OperationHandler<operations['getWidget']>;
  /** `GET /invoices/{invoiceId}` */
  getInvoice: OperationHandler<operations['getInvoice']>;
}

/** The types of every long-running operation, by kind: its operation, default input, product and result. */
export interface KindTypes {
  /** `POST /cars` (createCar) */
  'car.create': {
    operation: operations['createCar'];
    input: KindInput<operations['createCar']>;
    product: components['schemas']['Car'];
    result: never;
  };
  /** `GET /cars/{carId}` (getCar) */
  'car.read': {
    operation: operations['getCar'];
    input: KindInput<operations['getCar']>;
    product: never;
    result: components['schemas']['Car'];
  };
  /** `POST /reindex` (startReindex) */
  reindex: {
    operation: operations['startReindex'];
    input: KindInput<operations['startReindex']>;
    product: never;
    result: components['schemas']['ReindexReport'];
  };
  /** `POST /transcodes` (createTranscode) */
  transcode: {
    operation: operations['createTranscode'];
    input: KindInput<operations['createTranscode']>;
    product: components['schemas']['EncodedVideo'];
    result: never;
  };
  /** `POST /virtual-machines` (createVirtualMachine) */
  'virtual-machine.provision': {
    operation: operations['createVirtualMachine'];
    input: KindInput<operations['createVirtualMachine']>;
    product: components['schemas']['VirtualMachine'];
    result: never;
  };
  /** `POST /widget-orders` (createWidgetOrder) */
  'widget-order.fulfil': {
    operation: operations['createWidgetOrder'];
    input: KindInput<operations['createWidgetOrder']>;
    product: components['schemas']['WidgetOrder'];
    result: never;
  };
}

/** The kind of every long-running operation, by name: `createServer` needs each one. */
export type Kinds = { [K in keyof KindTypes]: SpecKind<KindTypes[K]> };

/** Declares the kind `name` of this spec: `run` must produce its product or result. */
export const defineKind = specKinds<KindTypes>();

/** The bundled spec the server validates against and builds its routes from. */
export const spec: ServerSpec<Handlers, Kinds> = { document: bundledSpecPath };
