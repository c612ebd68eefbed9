/**
 * The long-running operations of a spec: `x-longrun-async`, and the Azure and OpenAPI-links dialects.
 * One reader for the generator, the mock and the server, which builds its routes from what it reads.
 */
import { type OpenApiDocument, type PathItemMethod, pathItemMethods } from './openapi-document.ts';

/** Name of the operation extension that marks an operation as long-running. */
export const asyncExtension = 'x-longrun-async';

/** Azure's (AutoRest's) marker of a long-running operation; read when `x-longrun-async` is absent. */
export const azureExtension = 'x-ms-long-running-operation';

/** Azure's options of a long-running operation: `final-state-via` says where the outcome is read. */
export const azureOptionsExtension = 'x-ms-long-running-operation-options';

/** Where a long-running operation was declared: the extension of its own, or a dialect longrun also reads. */
export type AsyncDialect = 'x-longrun-async' | 'x-ms-long-running-operation' | 'links';

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
  /** A second request of this kind while one is queued or running answers `409`. */
  oneAtATime: boolean;
  /** Names of the operation's workflow steps, in order; empty when it declares none. */
  steps: string[];
  /** How the spec declared the operation as long-running. */
  dialect: AsyncDialect;
}

const allowedKeys = new Set(['kind', 'product', 'result', 'oneAtATime', 'steps']);

/** A step name as the monitor's `Step.name` allows it. */
const stepNamePattern = /^[a-z][a-z0-9-]*$/;

/**
 * Collects every long-running operation, sorted by kind (then path and method) so output is stable.
 *
 * An operation is long-running when it has `x-longrun-async`, or, in a spec written for other tools,
 * Azure's `x-ms-long-running-operation: true`, or a `202` whose `Location`/`Operation-Location` header is
 * the parameter of an OpenAPI `links` entry (the link to the status operation). The dialects take the
 * operationId as kind and the schema of the operation's own `200`/`201` answer as outcome: a `product`
 * where the outcome is the resource itself (Azure `final-state-via: original-uri`, or a `PUT`/`PATCH`
 * without options), a `result` otherwise.
 *
 * Throws one error listing every problem found: a missing or duplicate `kind`, a missing `operationId`,
 * an unknown key, a `product`/`result` that names no `components.schemas` entry, or a malformed
 * `oneAtATime`/`steps`.
 */
export function readAsyncOperations(document: OpenApiDocument): AsyncOperationEntry[] {
  const schemaNames = new Set(Object.keys(document.components?.schemas ?? {}));
  const entries: AsyncOperationEntry[] = [];
  const problems: string[] = [];

  for (const [pathName, pathItem] of Object.entries(document.paths ?? {})) {
    for (const method of pathItemMethods) {
      const operation = pathItem?.[method];
      if (!isRecord(operation)) continue;
      const where = `${method.toUpperCase()} ${pathName}`;
      if (!(asyncExtension in operation)) {
        const dialect = readDialect(operation, method, pathName, schemaNames);
        if (dialect !== undefined) entries.push(dialect);
        else if (operation[azureExtension] === true && typeof operation.operationId !== 'string') {
          problems.push(`${where}: an ${azureExtension} operation needs an operationId (it becomes the kind)`);
        }
        continue;
      }
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
        oneAtATime: readOneAtATime(extension, where, problems),
        steps: readSteps(extension, where, problems),
        dialect: asyncExtension,
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

function readOneAtATime(extension: Record<string, unknown>, where: string, problems: string[]): boolean {
  const value = extension.oneAtATime;
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    problems.push(`${where}: ${asyncExtension}.oneAtATime must be true or false, got ${JSON.stringify(value)}`);
    return false;
  }
  return value;
}

function readSteps(extension: Record<string, unknown>, where: string, problems: string[]): string[] {
  const value = extension.steps;
  if (value === undefined) return [];
  const valid =
    Array.isArray(value) &&
    value.every((name) => typeof name === 'string' && stepNamePattern.test(name)) &&
    new Set(value).size === value.length;
  if (!valid) {
    problems.push(
      `${where}: ${asyncExtension}.steps must be a list of distinct step names like "write-file" ` +
        `(lower case, digits, dashes), got ${JSON.stringify(value)}`,
    );
    return [];
  }
  return value as string[];
}

/** An operation declared long-running in Azure's extension or by a `links` object on its `202`; else undefined. */
function readDialect(
  operation: Record<string, unknown>,
  method: PathItemMethod,
  pathName: string,
  schemaNames: ReadonlySet<string>,
): AsyncOperationEntry | undefined {
  const { operationId } = operation;
  if (typeof operationId !== 'string' || operationId === '') return undefined;
  let dialect: AsyncDialect | undefined;
  let outcomeIsResource = method === 'put' || method === 'patch';
  if (operation[azureExtension] === true) {
    dialect = azureExtension;
    const options = operation[azureOptionsExtension];
    const via = isRecord(options) ? options['final-state-via'] : undefined;
    if (typeof via === 'string') outcomeIsResource = via === 'original-uri';
  } else if (acceptsWithStatusLink(operation)) {
    dialect = 'links';
  }
  if (dialect === undefined) return undefined;
  const outcome = outcomeSchemaName(operation, schemaNames);
  return {
    kind: operationId,
    operationId,
    path: pathName,
    method,
    product: outcomeIsResource ? outcome : null,
    result: outcomeIsResource ? null : outcome,
    oneAtATime: false,
    steps: [],
    dialect,
  };
}

/** Whether the operation's `202` links its `Location` or `Operation-Location` header to another operation. */
function acceptsWithStatusLink(operation: Record<string, unknown>): boolean {
  const responses = isRecord(operation.responses) ? operation.responses : {};
  const accepted = responses['202'];
  if (!isRecord(accepted) || !isRecord(accepted.links)) return false;
  const expression = /^\$response\.header\.(location|operation-location)$/i;
  return Object.values(accepted.links).some(
    (link) =>
      isRecord(link) &&
      ((typeof link.operationRef === 'string' && link.operationRef !== '') ||
        (typeof link.operationId === 'string' && link.operationId !== '')) &&
      isRecord(link.parameters) &&
      Object.values(link.parameters).some((value) => typeof value === 'string' && expression.test(value)),
  );
}

/** The component schema the operation's `200` or `201` answers with, when it is a `$ref` to one. */
function outcomeSchemaName(operation: Record<string, unknown>, schemaNames: ReadonlySet<string>): string | null {
  const responses = isRecord(operation.responses) ? operation.responses : {};
  for (const code of ['200', '201']) {
    const response = responses[code];
    const content = isRecord(response) && isRecord(response.content) ? response.content : {};
    for (const media of Object.values(content)) {
      const ref = isRecord(media) && isRecord(media.schema) ? media.schema.$ref : undefined;
      const name = typeof ref === 'string' ? /^#\/components\/schemas\/([^/]+)$/.exec(ref)?.[1] : undefined;
      if (name !== undefined && schemaNames.has(name)) return name;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Code-unit order, not locale order: the same on every machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { type OpenApiDocument, type PathItemMethod, pathItemMethods } from './openapi-document.ts';

/**
 * The paths longrun serves itself wherever a spec declares them: the monitor, its cancel and events,
 * the list of monitors, health, webhook subscriptions and the callback secret. Their operations need
 * no handler of the API's own.
 */
export const longrunPaths: readonly string[] = [
  '/healthz',
  '/monitors',
  '/monitors/{monitorId}',
  '/monitors/{monitorId}/cancel',
  '/monitors/{monitorId}/events',
  '/webhook-subscriptions',
  '/webhook-subscriptions/{subscriptionId}',
  '/webhook-subscriptions/{subscriptionId}/rotate-secret',
  '/webhook-subscriptions/{subscriptionId}/deliveries',
  '/callback-secret',
  '/callback-secret/rotate',
];
