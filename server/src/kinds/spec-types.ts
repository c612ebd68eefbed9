/**
 * The reference spec's schemas as the reference kinds name them, straight from `@longrun/openapi`,
 * so a kind depends on the contract and not on the HTTP adapter.
 */
import type { components } from '@longrun/openapi';

/** A schema of the reference spec by name. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
