/**
 * `@longrun/openapi`: the spec, its bundled runtime copy, and the types generated from it by `pnpm generate`.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type { AsyncKind, AsyncKinds, AsyncOperation } from '../generated/async-operations.gen.ts';
export { asyncOperations } from '../generated/async-operations.gen.ts';
export type { components, operations, paths, webhooks } from '../generated/schema.gen.ts';

/** Absolute path of the source spec, `openapi/openapi.yaml` (what Redocly, Spectral and Prism read). */
export const specPath: string = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

/**
 * Absolute path of the bundled single-document spec, `openapi/generated/openapi.gen.json`: every external
 * `$ref` inlined, component `$ref`s kept. The server's request validator loads this file.
 */
export const bundledSpecPath: string = fileURLToPath(new URL('../generated/openapi.gen.json', import.meta.url));

/**
 * Reads and parses the bundled spec. Each call returns a fresh object, so a caller may mutate its copy.
 * @see https://spec.openapis.org/oas/v3.1.1.html#openapi-object
 */
export async function loadBundledSpec(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(bundledSpecPath, 'utf8')) as Record<string, unknown>;
}
