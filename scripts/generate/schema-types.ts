import type { OpenApiDocument } from '@longrun/openapi/async-operations';
import openapiTS, { astToString } from 'openapi-typescript';

/**
 * Renders `paths`, `webhooks`, `components` and `operations` types for the bundled document with
 * openapi-typescript (the types openapi-fetch and the server handlers are written against).
 * @see https://openapi-ts.dev/node
 */
export async function renderSchemaTypes(document: OpenApiDocument, notice: string): Promise<string> {
  // openapi-typescript's input type is its own OpenAPI3 model; the bundle is a valid instance of it.
  // defaultNonNullable: false keeps a request field with a `default` optional for the caller
  // (the server fills it in), as the spec means it.
  const nodes = await openapiTS(document as Parameters<typeof openapiTS>[0] & object, {
    silent: true,
    defaultNonNullable: false,
  });
  return `// ${notice}\n\n${astToString(nodes)}`;
}
