/**
 * The bundled spec, indexed for the mocks and the contract tests: every operation with its route, its
 * parameters, its request body and, per status code, its headers, media type, schema and examples (all
 * local `$ref`s followed).
 *
 * @see https://spec.openapis.org/oas/v3.1.1.html#operation-object
 */

import type { OpenApiDocument } from '@longrun/openapi/async-operations';
import { type AsyncOperationEntry, readAsyncOperations } from '@longrun/openapi/async-operations';

/** A long-running operation of the spec, as the generator lists it in `asyncOperations`. */
export type AsyncOperation = Pick<AsyncOperationEntry, 'kind' | 'operationId' | 'product' | 'result'> & {
  readonly oneAtATime: boolean;
  readonly steps: readonly string[];
};

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** One response header the spec declares. */
export interface IndexedHeader {
  name: string;
  required: boolean;
  /** The header's `example` (or first of `examples`, or of its schema's `examples`); undefined when none. */
  example: unknown;
  schema: JsonObject | undefined;
}

/** One named example of a response body. */
export interface IndexedExample {
  key: string;
  value: unknown;
}

/** One response of an operation. */
export interface IndexedResponse {
  /** `'202'`, `'4XX'` or `'default'`, as the spec writes it. */
  code: string;
  headers: IndexedHeader[];
  /** The first media type of `content`; undefined for a response without a body. */
  mediaType: string | undefined;
  /** The body schema, `$ref`s kept (so a reader can tell `#/components/schemas/Car` by name). */
  schema: JsonObject | undefined;
  examples: IndexedExample[];
}

/** One parameter, `$ref` followed. */
export interface IndexedParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonObject;
  example: unknown;
}

/** One operation of the spec. */
export interface IndexedOperation {
  operationId: string;
  /** Lower case, as in the spec: `get`, `post`. */
  method: string;
  /** The path template: `/monitors/{monitorId}`. */
  path: string;
  parameters: IndexedParameter[];
  /** Undefined when the operation takes no body. */
  requestBody: { required: boolean; mediaType: string; schema: JsonObject; examples: IndexedExample[] } | undefined;
  /** Whether a caller must authenticate (the operation's or the document's `security` is not empty). */
  secured: boolean;
  /** The `x-longrun-async` entry, when the operation is long-running. */
  async: AsyncOperation | undefined;
  responses: IndexedResponse[];
}

/** An operation found for a request, with its path parameters. */
export interface RouteMatch {
  operation: IndexedOperation;
  params: Record<string, string>;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The spec as the mocks read it. */
export class SpecIndex {
  readonly document: JsonObject;
  readonly operations: readonly IndexedOperation[];
  /** The spec's long-running operations (`x-longrun-async` and the dialects the generator reads). */
  readonly asyncOperations: readonly AsyncOperation[];
  readonly #routes: { pattern: RegExp; names: string[]; operation: IndexedOperation }[];

  constructor(document: JsonObject) {
    this.document = document;
    this.asyncOperations = readAsyncOperations(document as OpenApiDocument);
    this.operations = readOperations(document, this.asyncOperations);
    // Fewer parameters first, so a literal segment wins over a template that would also match.
    this.#routes = this.operations
      .map((operation) => ({ ...routePattern(operation.path), operation }))
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** Follows a local `$ref` (`#/components/...`) until the value is not a reference. */
  resolve<T = unknown>(value: unknown): T {
    return resolveRef(this.document, value) as T;
  }

  /** The operation with this `operationId`. @throws {Error} when there is none */
  operation(operationId: string): IndexedOperation {
    const found = this.operations.find((operation) => operation.operationId === operationId);
    if (found === undefined) throw new Error(`the spec has no operation ${operationId}`);
    return found;
  }

  /**
   * The operation serving `method pathname`, or `'method-not-allowed'` when the path exists with other
   * methods only, or undefined when no path matches. Literal paths win over templated ones.
   */
  match(method: string, pathname: string): RouteMatch | 'method-not-allowed' | undefined {
    let pathExists = false;
    for (const route of this.#routes) {
      const found = route.pattern.exec(pathname);
      if (found === null) continue;
      pathExists = true;
      if (route.operation.method !== method.toLowerCase()) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { operation: route.operation, params };
    }
    return pathExists ? 'method-not-allowed' : undefined;
  }

  /** The operations whose path template `href` (a path, without query) is an instance of. */
  operationsAt(href: string): RouteMatch[] {
    const pathname = new URL(href, 'http://mock.invalid').pathname;
    return this.#routes.flatMap((route) => {
      const found = route.pattern.exec(pathname);
      if (found === null) return [];
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return [{ operation: route.operation, params }];
    });
  }

  /** Whether a schema (following `$ref` and `allOf`) lists `property` among its `required` ones. */
  schemaRequires(schema: unknown, property: string): boolean {
    const resolved = this.resolve<JsonObject | undefined>(schema);
    if (!isObject(resolved)) return false;
    if (Array.isArray(resolved.required) && resolved.required.includes(property)) return true;
    return Array.isArray(resolved.allOf) && resolved.allOf.some((part) => this.schemaRequires(part, property));
  }
}

/** Follows local `$ref`s of `document`. @throws {Error} for a reference that leads nowhere */
export function resolveRef(document: JsonObject, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`$ref cycle at ${current.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    let target: unknown = document;
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
      target = isObject(target) ? target[key] : undefined;
    }
    if (target === undefined) throw new Error(`$ref ${ref} leads nowhere`);
    current = target;
  }
  return current;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readOperations(document: JsonObject, asyncOperations: readonly AsyncOperation[]): IndexedOperation[] {
  const resolve = (value: unknown) => resolveRef(document, value);
  const documentSecured = securityRequired(document.security);
  const operations: IndexedOperation[] = [];
  const paths = isObject(document.paths) ? document.paths : {};
  for (const [pathName, pathItemValue] of Object.entries(paths)) {
    const pathItem = resolve(pathItemValue);
    if (!isObject(pathItem)) continue;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of methods) {
      const operation = pathItem[method];
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      const parameters = new Map<string, IndexedParameter>();
      for (const raw of [...shared, ...own]) {
        const parameter = readParameter(document, resolve(raw));
        if (parameter) parameters.set(`${parameter.in}:${parameter.name.toLowerCase()}`, parameter);
      }
      const operationId = operation.operationId;
      operations.push({
        operationId,
        method,
        path: pathName,
        parameters: [...parameters.values()],
        requestBody: readRequestBody(document, resolve(operation.requestBody)),
        secured: 'security' in operation ? securityRequired(operation.security) : documentSecured,
        async: asyncOperations.find((entry) => entry.operationId === operationId),
        responses: Object.entries(isObject(operation.responses) ? operation.responses : {}).map(([code, response]) =>
          readResponse(document, code, resolve(response)),
        ),
      });
    }
  }
  return operations;
}

function securityRequired(security: unknown): boolean {
  // `security: []` or `security: [{}]` lets anonymous callers in.
  return (
    Array.isArray(security) &&
    security.length > 0 &&
    security.every((entry) => isObject(entry) && Object.keys(entry).length > 0)
  );
}

function readParameter(document: JsonObject, value: unknown): IndexedParameter | undefined {
  if (!isObject(value) || typeof value.name !== 'string') return undefined;
  const where = value.in;
  if (where !== 'path' && where !== 'query' && where !== 'header' && where !== 'cookie') return undefined;
  const schema = isObject(value.schema) ? value.schema : {};
  return {
    name: value.name,
    in: where,
    required: value.required === true,
    schema,
    example: exampleOf(document, value, schema),
  };
}

function readRequestBody(document: JsonObject, value: unknown): IndexedOperation['requestBody'] {
  if (!isObject(value) || !isObject(value.content)) return undefined;
  const [mediaType, media] = Object.entries(value.content)[0] ?? [];
  if (mediaType === undefined || !isObject(media)) return undefined;
  return {
    required: value.required === true,
    mediaType,
    schema: isObject(media.schema) ? media.schema : {},
    examples: readExamples(document, media),
  };
}

function readResponse(document: JsonObject, code: string, value: unknown): IndexedResponse {
  const response = isObject(value) ? value : {};
  const headers = Object.entries(isObject(response.headers) ? response.headers : {}).map(([name, raw]) => {
    const header = resolveRef(document, raw);
    const object = isObject(header) ? header : {};
    const schema = isObject(object.schema) ? object.schema : undefined;
    return { name, required: object.required === true, example: exampleOf(document, object, schema), schema };
  });
  const [mediaType, media] = Object.entries(isObject(response.content) ? response.content : {})[0] ?? [];
  return {
    code,
    headers,
    mediaType,
    schema: isObject(media) && isObject(media.schema) ? media.schema : undefined,
    examples: isObject(media) ? readExamples(document, media) : [],
  };
}

function readExamples(document: JsonObject, media: JsonObject): IndexedExample[] {
  if (isObject(media.examples)) {
    return Object.entries(media.examples).map(([key, raw]) => {
      const example = resolveRef(document, raw);
      return { key, value: isObject(example) ? example.value : undefined };
    });
  }
  return 'example' in media ? [{ key: 'default', value: media.example }] : [];
}

/** A parameter's or header's `example`, else the first of its `examples`, else of its schema's `examples`. */
function exampleOf(document: JsonObject, holder: JsonObject, schema: JsonObject | undefined): unknown {
  if ('example' in holder) return holder.example;
  if (isObject(holder.examples)) {
    const first = resolveRef(document, Object.values(holder.examples)[0]);
    if (isObject(first) && 'value' in first) return first.value;
  }
  const resolvedSchema = resolveRef(document, schema);
  if (isObject(resolvedSchema) && Array.isArray(resolvedSchema.examples)) return resolvedSchema.examples[0];
  return undefined;
}

function routePattern(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(name);
      return '([^/]+)';
    })
    .join('');
  return { pattern: new RegExp(`^${source}$`), names };
}
