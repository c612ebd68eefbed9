/**
 * What `longrun conform` learns from a spec alone: which operations are asynchronous (longrun's
 * `x-longrun-async`, Azure's `x-ms-long-running-operation`, or a 202 whose monitor header is described
 * by an OpenAPI `links` object), what to send them, and what their monitors and outcomes must look like.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sample } from 'openapi-sampler';
import { parse } from 'yaml';
import { bundleSpec } from '../generate/bundle-spec.ts';

/** A loose view of an OpenAPI document: conform reads whatever a user's spec holds. */
export type Json = Record<string, unknown>;

/** The HTTP methods an OpenAPI path item may hold. */
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Which vocabulary marked an operation as asynchronous. */
export type AsyncDialect = 'longrun' | 'azure' | 'links';

/** One asynchronous operation and everything the checks need to know about it. */
export interface AsyncOperation {
  /** `operationId`, or `METHOD /path` when the spec gives none. */
  name: string;
  method: string;
  /** The path template, e.g. `/exports/{exportId}`. */
  path: string;
  operation: Json;
  dialect: AsyncDialect;
  /** Component schema name of the created resource (longrun `product`). */
  product?: string;
  /** Component schema name of the inline result (longrun `result`). */
  result?: string;
  /** A second request while one is pending is refused with 409. */
  oneAtATime: boolean;
  /** Azure `final-state-via`: where the outcome is read once the operation succeeded. */
  finalStateVia?: string;
  /** The request body to send (an example, or one sampled from the schema), if the operation takes one. */
  body?: unknown;
  /** The JSON schema of the request body. */
  bodySchema?: Json;
  /** Takes an `Idempotency-Key` header. */
  idempotencyKey: boolean;
  /** Takes a `Prefer` header. */
  prefer: boolean;
  /** The 202 answer declares a `Link` header. */
  linkOnAccept: boolean;
  /** Path parameters the path needs (a read answered asynchronously on request needs an existing resource). */
  pathParameters: string[];
}

/** The loaded spec: the document and lookups over it. */
export class Spec {
  readonly document: Json;
  readonly file: string;

  constructor(document: Json, file: string) {
    this.document = document;
    this.file = file;
  }

  /**
   * Reads a YAML or JSON spec. One that refers to other files (the shared contract components) is
   * bundled first, so every `$ref` left is a local one.
   */
  static async load(file: string): Promise<Spec> {
    const text = await readFile(file, 'utf8');
    const document = (
      /\$ref['"]?\s*:\s*['"]?(?!#)/.test(text) ? await bundleSpec(path.resolve(file)) : parse(text)
    ) as unknown;
    if (typeof document !== 'object' || document === null || !('paths' in document))
      throw new Error(`${file} is not an OpenAPI document (no paths)`);
    return new Spec(document as Json, file);
  }

  /** Follows `$ref` (local `#/…` pointers) until `node` is not a reference. */
  deref<T = Json>(node: unknown): T {
    let current = node;
    for (let hops = 0; hops < 32 && isObject(current) && typeof current.$ref === 'string'; hops += 1) {
      const ref = current.$ref;
      if (!ref.startsWith('#/')) throw new Error(`only local $ref are followed, not ${ref}`);
      current = ref
        .slice(2)
        .split('/')
        .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
        .reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), this.document);
    }
    return current as T;
  }

  /** Every operation of the spec with its method and path template. */
  operations(): { method: string; path: string; operation: Json }[] {
    const found: { method: string; path: string; operation: Json }[] = [];
    for (const [path, item] of Object.entries((this.document.paths ?? {}) as Json)) {
      const pathItem = this.deref(item);
      for (const method of methods) {
        const operation = pathItem[method];
        if (!isObject(operation)) continue;
        // Path-level parameters apply to every operation of the path.
        const parameters = [...asArray(pathItem.parameters), ...asArray(operation.parameters)];
        found.push({ method: method.toUpperCase(), path, operation: { ...operation, parameters } });
      }
    }
    return found;
  }

  /** The operation whose path template matches `pathname` for `method`, if any. */
  match(
    method: string,
    pathname: string,
  ): { path: string; operation: Json; params: Record<string, string> } | undefined {
    for (const candidate of this.operations()) {
      if (candidate.method !== method) continue;
      const params = matchTemplate(candidate.path, pathname);
      if (params) return { path: candidate.path, operation: candidate.operation, params };
    }
    return undefined;
  }

  /** The operation's parameters, dereferenced. */
  parameters(operation: Json): Json[] {
    return asArray(operation.parameters).map((parameter) => this.deref(parameter));
  }

  /** Whether the operation takes the header `name`. */
  takesHeader(operation: Json, name: string): boolean {
    return this.parameters(operation).some(
      (parameter) => parameter.in === 'header' && String(parameter.name).toLowerCase() === name.toLowerCase(),
    );
  }

  /** The dereferenced response for `status`, if declared. */
  response(operation: Json, status: number | string): Json | undefined {
    const responses = (operation.responses ?? {}) as Json;
    const response = responses[String(status)];
    return response === undefined ? undefined : this.deref(response);
  }

  /** The dereferenced header object `name` of a response, if declared. */
  responseHeader(response: Json | undefined, name: string): Json | undefined {
    const headers = (response?.headers ?? {}) as Json;
    const key = Object.keys(headers).find((header) => header.toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : this.deref(headers[key]);
  }

  /** The request body to send and its schema: the first example, else one sampled from the schema. */
  requestBody(operation: Json): { body?: unknown; schema?: Json } {
    const requestBody = operation.requestBody === undefined ? undefined : this.deref(operation.requestBody);
    const content = (requestBody?.content ?? {}) as Json;
    const mediaType = Object.keys(content).find((type) => /json/.test(type));
    if (mediaType === undefined) return {};
    const media = this.deref(content[mediaType]);
    const schema = media.schema === undefined ? undefined : this.deref(media.schema);
    const examples = Object.values((media.examples ?? {}) as Json).map((example) => this.deref(example));
    if (examples[0] && 'value' in examples[0]) return { body: examples[0].value, schema };
    if (media.example !== undefined) return { body: media.example, schema };
    if (schema === undefined) return {};
    return { body: sample(schema as never, { skipReadOnly: true }, this.document as never), schema };
  }

  /** The asynchronous operations, in spec order: writes first, then reads that answer async on request. */
  asyncOperations(): AsyncOperation[] {
    const found: AsyncOperation[] = [];
    for (const { method, path, operation } of this.operations()) {
      const described = this.describeAsync(method, path, operation);
      if (described) found.push(described);
    }
    return [...found.filter((op) => op.method !== 'GET'), ...found.filter((op) => op.method === 'GET')];
  }

  private describeAsync(method: string, path: string, operation: Json): AsyncOperation | undefined {
    const longrun = isObject(operation['x-longrun-async']) ? operation['x-longrun-async'] : undefined;
    const azure = operation['x-ms-long-running-operation'] === true;
    const accepted = this.response(operation, 202);
    const linked = accepted !== undefined && isObject(accepted.links) && Object.keys(accepted.links).length > 0;
    if (!longrun && !azure && !linked) return undefined;
    const conflict = this.response(operation, 409);
    const azureOptions = isObject(operation['x-ms-long-running-operation-options'])
      ? operation['x-ms-long-running-operation-options']
      : {};
    const { body, schema } = this.requestBody(operation);
    return {
      name: typeof operation.operationId === 'string' ? operation.operationId : `${method} ${path}`,
      method,
      path,
      operation,
      dialect: longrun ? 'longrun' : azure ? 'azure' : 'links',
      ...(typeof longrun?.product === 'string' ? { product: longrun.product } : {}),
      ...(typeof longrun?.result === 'string' ? { result: longrun.result } : {}),
      // Marked, or implied: a 409 that must link the pending monitor is the one-at-a-time refusal.
      oneAtATime: longrun?.oneAtATime === true || this.responseHeader(conflict, 'Link')?.required === true,
      ...(typeof azureOptions['final-state-via'] === 'string'
        ? { finalStateVia: azureOptions['final-state-via'] }
        : {}),
      ...(body !== undefined ? { body } : {}),
      ...(schema !== undefined ? { bodySchema: schema } : {}),
      idempotencyKey: this.takesHeader(operation, 'Idempotency-Key'),
      prefer: this.takesHeader(operation, 'Prefer'),
      linkOnAccept: this.responseHeader(accepted, 'Link') !== undefined,
      pathParameters: [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''),
    };
  }
}

/** The parameters of `pathname` if it fits `template` (`/exports/{id}`), else undefined. */
export function matchTemplate(template: string, pathname: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(pathname);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
}

/** Fills a path template with parameters. */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

/** Whether `value` is a plain object. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
