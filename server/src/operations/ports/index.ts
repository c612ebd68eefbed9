/**
 * The ports of the operations core: what it needs from the outside, implemented by adapters
 * (`store/sqlite/`, `store/postgres/`, `push/`). The core depends on these interfaces only.
 */
export * from './change-source.ts';
export * from './clock.ts';
export * from './operation-store.ts';
export * from './webhook-store.ts';
