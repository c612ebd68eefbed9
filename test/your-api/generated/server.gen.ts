// generated from exports.yaml by `longrun generate --spec exports.yaml --out generated` — do not edit

import { type KindInput, type OperationHandler, type ServerSpec, type SpecKind, specKinds } from '@longrun/server';
import type { components, operations } from './schema.gen.ts';

/** The plain handler of every synchronous operation, by operationId: `createServer` needs each one. */
export interface Handlers {
  /** `GET /exports/{exportId}` */
  getExport: OperationHandler<operations['getExport']>;
  /** `POST /exports/{exportId}/approval` */
  approveExport: OperationHandler<operations['approveExport']>;
}

/** The types of every long-running operation, by kind: its operation, default input, product and result. */
export interface KindTypes {
  /** `POST /archive-rebuilds` (rebuildArchive) */
  'archive.rebuild': {
    operation: operations['rebuildArchive'];
    input: KindInput<operations['rebuildArchive']>;
    product: never;
    result: never;
  };
  /** `POST /exports` (createExport) */
  'export.create': {
    operation: operations['createExport'];
    input: KindInput<operations['createExport']>;
    product: components['schemas']['Export'];
    result: never;
  };
  /** `POST /row-counts` (countRows) */
  'rows.count': {
    operation: operations['countRows'];
    input: KindInput<operations['countRows']>;
    product: never;
    result: components['schemas']['RowCount'];
  };
}

/** The kind of every long-running operation, by name: `createServer` needs each one. */
export type Kinds = { [K in keyof KindTypes]: SpecKind<KindTypes[K]> };

/** Declares the kind `name` of this spec: `run` must produce its product or result. */
export const defineKind = specKinds<KindTypes>();

/** The bundled spec the server validates against and builds its routes from. */
export const spec: ServerSpec<Handlers, Kinds> = { document: new URL('./openapi.gen.json', import.meta.url) };
