/**
 * Renders `async-operations.gen.ts` from the long-running operations `@longrun/openapi` reads from a spec.
 */
import { type AsyncOperationEntry, asyncExtension } from '@longrun/openapi/async-operations';

export {
  type AsyncDialect,
  type AsyncOperationEntry,
  asyncExtension,
  azureExtension,
  azureOptionsExtension,
  readAsyncOperations,
} from '@longrun/openapi/async-operations';

/**
 * Renders `async-operations.gen.ts`: the `AsyncKinds` type map (kind → product/result types and where the
 * operation lives) and the runtime `asyncOperations` list, both sorted by kind.
 * @param schemaTypesModule import specifier of the openapi-typescript output, relative to the rendered file
 */
export function renderAsyncOperations(
  entries: readonly AsyncOperationEntry[],
  notice: string,
  schemaTypesModule = './schema.gen.ts',
): string {
  const literal = (value: string) => JSON.stringify(value);
  const schemaType = (name: string | null) => (name === null ? 'never' : `components['schemas'][${literal(name)}]`);
  const usesComponents = entries.some((entry) => entry.product !== null || entry.result !== null);

  const lines = [`// ${notice}`, ''];
  if (usesComponents) lines.push(`import type { components } from ${literal(schemaTypesModule)};`, '');
  lines.push(
    `/** Every long-running operation kind declared with \`${asyncExtension}\`, keyed by kind. */`,
    'export interface AsyncKinds {',
  );
  for (const entry of entries) {
    lines.push(
      `  ${literal(entry.kind)}: {`,
      `    product: ${schemaType(entry.product)};`,
      `    result: ${schemaType(entry.result)};`,
      `    operationId: ${literal(entry.operationId)};`,
      `    path: ${literal(entry.path)};`,
      `    method: ${literal(entry.method)};`,
      `    oneAtATime: ${entry.oneAtATime};`,
      `    steps: readonly [${entry.steps.map(literal).join(', ')}];`,
      '  };',
    );
  }
  lines.push(
    '}',
    '',
    '/** A long-running operation kind declared in the spec. */',
    'export type AsyncKind = keyof AsyncKinds;',
    '',
    `/** Every long-running operation (\`${asyncExtension}\` and the dialects read), sorted by kind; \`product\`/\`result\` name component schemas. */`,
    'export const asyncOperations = [',
  );
  for (const entry of entries) {
    const fields = [
      `kind: ${literal(entry.kind)}`,
      `operationId: ${literal(entry.operationId)}`,
      `path: ${literal(entry.path)}`,
      `method: ${literal(entry.method)}`,
      `product: ${entry.product === null ? 'null' : literal(entry.product)}`,
      `result: ${entry.result === null ? 'null' : literal(entry.result)}`,
      `oneAtATime: ${entry.oneAtATime}`,
      `steps: [${entry.steps.map(literal).join(', ')}]`,
    ];
    lines.push(`  { ${fields.join(', ')} },`);
  }
  lines.push(
    '] as const;',
    '',
    '/** One entry of {@link asyncOperations}. */',
    'export type AsyncOperation = (typeof asyncOperations)[number];',
    '',
  );
  return lines.join('\n');
}
