// generated from exports.yaml by `longrun generate --spec exports.yaml --out generated` — do not edit

import type { components } from './schema.gen.ts';

/** Every long-running operation kind declared with `x-longrun-async`, keyed by kind. */
export interface AsyncKinds {
  'archive.rebuild': {
    product: never;
    result: never;
    operationId: 'rebuildArchive';
    path: '/archive-rebuilds';
    method: 'post';
    oneAtATime: true;
    steps: readonly [];
  };
  'export.create': {
    product: components['schemas']['Export'];
    result: never;
    operationId: 'createExport';
    path: '/exports';
    method: 'post';
    oneAtATime: false;
    steps: readonly ['query', 'approval', 'write'];
  };
  'rows.count': {
    product: never;
    result: components['schemas']['RowCount'];
    operationId: 'countRows';
    path: '/row-counts';
    method: 'post';
    oneAtATime: false;
    steps: readonly [];
  };
}

/** A long-running operation kind declared in the spec. */
export type AsyncKind = keyof AsyncKinds;

/** Every long-running operation (`x-longrun-async` and the dialects read), sorted by kind; `product`/`result` name component schemas. */
export const asyncOperations = [
  {
    kind: 'archive.rebuild',
    operationId: 'rebuildArchive',
    path: '/archive-rebuilds',
    method: 'post',
    product: null,
    result: null,
    oneAtATime: true,
    steps: [],
  },
  {
    kind: 'export.create',
    operationId: 'createExport',
    path: '/exports',
    method: 'post',
    product: 'Export',
    result: null,
    oneAtATime: false,
    steps: ['query', 'approval', 'write'],
  },
  {
    kind: 'rows.count',
    operationId: 'countRows',
    path: '/row-counts',
    method: 'post',
    product: null,
    result: 'RowCount',
    oneAtATime: false,
    steps: [],
  },
] as const;

/** One entry of {@link asyncOperations}. */
export type AsyncOperation = (typeof asyncOperations)[number];
