/**
 * Renders `server.gen.ts`: the server stubs of a spec — `Handlers` (one plain handler per synchronous
 * operation, by operationId), `KindTypes` and `Kinds` (one kind per long-running operation, with the
 * spec's product and result), the spec-bound `defineKind`, and `spec`, the bundled document typed
 * with both, for `createServer({ spec, handlers, kinds })`.
 */
import {
  type AsyncOperationEntry,
  longrunPaths,
  type OpenApiDocument,
  pathItemMethods,
} from '@longrun/openapi/async-operations';

/** Where the stubs import from, and how they name the bundled document. */
export interface ServerStubModules {
  /** The module of `createServer`'s spec types (`@longrun/server`). */
  server: string;
  /** The module of the openapi-typescript `components` and `operations`. */
  schema: string;
  /** Import lines the document expression needs. */
  documentImports: readonly string[];
  /** The expression of the bundled document (a URL or path). */
  document: string;
}

/** A user's folder: beside `schema.gen.ts` and `openapi.gen.json`. */
export const folderStubModules: ServerStubModules = {
  server: '@longrun/server',
  schema: './schema.gen.ts',
  documentImports: [],
  document: "new URL('./openapi.gen.json', import.meta.url)",
};

/** Renders `server.gen.ts` for the spec's operations. */
export function renderServerStubs(
  document: OpenApiDocument,
  entries: readonly AsyncOperationEntry[],
  notice: string,
  modules: ServerStubModules,
): string {
  const literal = (value: string) => JSON.stringify(value);
  const asyncAt = new Set(entries.map((entry) => `${entry.method} ${entry.path}`));
  const handlers: string[] = [];
  for (const [pathName, pathItem] of Object.entries(document.paths ?? {})) {
    if (longrunPaths.includes(pathName)) continue;
    for (const method of pathItemMethods) {
      const operation = pathItem?.[method] as { operationId?: unknown } | undefined;
      if (typeof operation !== 'object' || operation === null || asyncAt.has(`${method} ${pathName}`)) continue;
      if (typeof operation.operationId !== 'string') continue;
      handlers.push(
        `  /** \`${method.toUpperCase()} ${pathName}\` */`,
        `  ${literal(operation.operationId)}: OperationHandler<operations[${literal(operation.operationId)}]>;`,
      );
    }
  }
  const schemaType = (name: string | null) => (name === null ? 'never' : `components['schemas'][${literal(name)}]`);
  const kinds = entries.flatMap((entry) => {
    const operation = `operations[${literal(entry.operationId)}]`;
    return [
      `  /** \`${entry.method.toUpperCase()} ${entry.path}\` (${entry.operationId}) */`,
      `  ${literal(entry.kind)}: {`,
      `    operation: ${operation};`,
      `    input: KindInput<${operation}>;`,
      `    product: ${schemaType(entry.product)};`,
      `    result: ${schemaType(entry.result)};`,
      '  };',
    ];
  });
  const usesComponents = entries.some((entry) => entry.product !== null || entry.result !== null);
  const usesOperations = handlers.length > 0 || entries.length > 0;
  const schemaImports = [...(usesComponents ? ['components'] : []), ...(usesOperations ? ['operations'] : [])];
  const serverImports = [
    ...(entries.length > 0 ? ['type KindInput'] : []),
    ...(handlers.length > 0 ? ['type OperationHandler'] : []),
    'type ServerSpec',
    'type SpecKind',
    'specKinds',
  ];
  return [
    `// ${notice}`,
    '',
    `import { ${serverImports.join(', ')} } from ${literal(modules.server)};`,
    ...(schemaImports.length > 0
      ? [`import type { ${schemaImports.join(', ')} } from ${literal(modules.schema)};`]
      : []),
    ...modules.documentImports,
    '',
    '/** The plain handler of every synchronous operation, by operationId: `createServer` needs each one. */',
    'export interface Handlers {',
    ...handlers,
    '}',
    '',
    '/** The types of every long-running operation, by kind: its operation, default input, product and result. */',
    'export interface KindTypes {',
    ...kinds,
    '}',
    '',
    '/** The kind of every long-running operation, by name: `createServer` needs each one. */',
    'export type Kinds = { [K in keyof KindTypes]: SpecKind<KindTypes[K]> };',
    '',
    '/** Declares the kind `name` of this spec: `run` must produce its product or result. */',
    'export const defineKind = specKinds<KindTypes>();',
    '',
    '/** The bundled spec the server validates against and builds its routes from. */',
    `export const spec: ServerSpec<Handlers, Kinds> = { document: ${modules.document} };`,
    '',
  ].join('\n');
}
