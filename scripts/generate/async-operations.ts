import { type OpenApiDocument, type PathItemMethod, pathItemMethods } from './openapi-document.ts';

/** Name of the operation extension that marks an operation as long-running. */
export const asyncExtension = 'x-longrun-async';

/** One operation marked with `x-longrun-async`, as read from the bundled spec. */
export interface AsyncOperationEntry {
  /** Operation kind, e.g. `car.create`; unique across the spec. */
  kind: string;
  operationId: string;
  path: string;
  method: PathItemMethod;
  /** Name of the `components.schemas` entry the finished operation produces at its resource, if any. */
  product: string | null;
  /** Name of the `components.schemas` entry carried in the operation's `result`, if any. */
  result: string | null;
}

const allowedKeys = new Set(['kind', 'product', 'result']);

/**
 * Collects every `x-longrun-async` operation, sorted by kind (then path and method) so output is stable.
 * Throws one error listing every problem found: a missing or duplicate `kind`, a missing `operationId`,
 * an unknown key, or a `product`/`result` that names no `components.schemas` entry.
 */
export function readAsyncOperations(document: OpenApiDocument): AsyncOperationEntry[] {
  const schemaNames = new Set(Object.keys(document.components?.schemas ?? {}));
  const entries: AsyncOperationEntry[] = [];
  const problems: string[] = [];

  for (const [pathName, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of pathItemMethods) {
      const operation = pathItem?.[method];
      if (!isRecord(operation) || !(asyncExtension in operation)) continue;
      const where = `${method.toUpperCase()} ${pathName}`;
      const extension = operation[asyncExtension];
      if (!isRecord(extension)) {
        problems.push(`${where}: ${asyncExtension} must be an object with a "kind"`);
        continue;
      }
      for (const key of Object.keys(extension)) {
        if (!allowedKeys.has(key)) problems.push(`${where}: ${asyncExtension} has unknown key "${key}"`);
      }
      const { kind } = extension;
      if (typeof kind !== 'string' || kind === '') {
        problems.push(`${where}: ${asyncExtension}.kind must be a non-empty string`);
        continue;
      }
      const { operationId } = operation;
      if (typeof operationId !== 'string' || operationId === '') {
        problems.push(`${where}: an ${asyncExtension} operation needs an operationId`);
        continue;
      }
      entries.push({
        kind,
        operationId,
        path: pathName,
        method,
        product: readSchemaName(extension, 'product', where, schemaNames, problems),
        result: readSchemaName(extension, 'result', where, schemaNames, problems),
      });
    }
  }

  entries.sort((a, b) => compare(a.kind, b.kind) || compare(a.path, b.path) || compare(a.method, b.method));
  for (let index = 1; index < entries.length; index++) {
    const previous = entries[index - 1];
    const current = entries[index];
    if (previous && current && previous.kind === current.kind) {
      problems.push(
        `kind "${current.kind}" is declared twice: ${previous.method.toUpperCase()} ${previous.path} and ` +
          `${current.method.toUpperCase()} ${current.path}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(`invalid ${asyncExtension} in the spec:\n  - ${problems.join('\n  - ')}`);
  }
  return entries;
}

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
      '  };',
    );
  }
  lines.push(
    '}',
    '',
    '/** A long-running operation kind declared in the spec. */',
    'export type AsyncKind = keyof AsyncKinds;',
    '',
    `/** Every \`${asyncExtension}\` operation, sorted by kind; \`product\`/\`result\` name component schemas. */`,
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

function readSchemaName(
  extension: Record<string, unknown>,
  key: 'product' | 'result',
  where: string,
  schemaNames: ReadonlySet<string>,
  problems: string[],
): string | null {
  const value = extension[key];
  if (value === undefined) return null;
  if (typeof value !== 'string' || !schemaNames.has(value)) {
    problems.push(
      `${where}: ${asyncExtension}.${key} must name a components.schemas entry, got ${JSON.stringify(value)}`,
    );
    return null;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Code-unit order, not locale order: the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
