// generated from exports.yaml by `longrun generate --spec exports.yaml --out generated` — do not edit

export type { AsyncKind, AsyncKinds, AsyncOperation } from './async-operations.gen.ts';
export { asyncOperations } from './async-operations.gen.ts';
export type { components, operations, paths } from './schema.gen.ts';
export * as sdk from './sdk/index.ts';
