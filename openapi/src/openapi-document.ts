/**
 * The parts of a bundled OpenAPI 3.1 document the generators read. Everything else passes through untouched.
 * @see https://spec.openapis.org/oas/v3.1.1.html#openapi-object
 */
export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Record<string, unknown> | undefined>;
  components?: { schemas?: Record<string, unknown> };
  [field: string]: unknown;
}

/** The HTTP methods a Path Item may hold an operation under, in the order the spec lists them. */
export const pathItemMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One of {@link pathItemMethods}. */
export type PathItemMethod = (typeof pathItemMethods)[number];
