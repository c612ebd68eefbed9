/**
 * The spec's types as the HTTP layer names them (generated from openapi/openapi.yaml).
 */
import type { components, paths } from '@longrun/openapi';

export type { components, paths };

/** A schema of the spec by name. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** A monitor of any kind, as `GET /monitors/{monitorId}` answers. */
export type AnyMonitor = Schema<'AnyMonitor'>;

/** The base monitor shape every kind shares. */
export type Monitor = Schema<'Monitor'>;

/** An operation kind named by the spec. */
export type OperationKind = Schema<'OperationKind'>;
