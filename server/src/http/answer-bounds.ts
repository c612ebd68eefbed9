/**
 * The bounds a stored value must keep so that every later answer that shows it still matches the
 * spec, read from the spec's own schemas: a value that would break them is refused with a 4xx
 * before it is stored, never stored and answered with a 500 on every read that follows.
 */
import { HttpProblem, validationProblem } from './problem.ts';

/** The longest values the spec lets answers carry, for the values a client's request puts there. */
export interface AnswerBounds {
  /** The longest request target (path and query) a monitor echoes as `request.path`. */
  requestPath: number;
  /** The longest URL a link (`Href`) or a stored endpoint URL may be once normalised. */
  url: number;
}

/** Used only for a spec that declares no bound of its own: the bound of the reference contract. */
const FALLBACK_LENGTH = 2048;

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (`#/components/schemas/Href`) to its schema. */
function resolve(spec: JsonObject, schema: unknown): JsonObject | undefined {
  let current = schema;
  for (let hops = 0; hops < 32 && isObject(current) && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) return undefined;
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), spec);
  }
  return isObject(current) ? current : undefined;
}

/** The schema of `property` in `schema`, looking through `allOf` parts too. */
function propertyOf(spec: JsonObject, schema: JsonObject | undefined, property: string): JsonObject | undefined {
  if (schema === undefined) return undefined;
  const properties = schema.properties;
  if (isObject(properties) && property in properties) return resolve(spec, properties[property]);
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const found = propertyOf(spec, resolve(spec, part), property);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The `maxLength` at `path` below the component schema `name` (`['EchoedRequest', 'path']`), or
 * undefined when the spec has no such schema or bound.
 */
export function schemaMaxLength(spec: object, name: string, ...path: string[]): number | undefined {
  const root = spec as JsonObject;
  const schemas = isObject(root.components) ? root.components.schemas : undefined;
  let schema = isObject(schemas) ? resolve(root, schemas[name]) : undefined;
  for (const property of path) schema = propertyOf(root, schema, property);
  return typeof schema?.maxLength === 'number' ? schema.maxLength : undefined;
}

/** The {@link AnswerBounds} of a spec. */
export function answerBounds(spec: object): AnswerBounds {
  const href = schemaMaxLength(spec, 'Href') ?? FALLBACK_LENGTH;
  return {
    requestPath: schemaMaxLength(spec, 'EchoedRequest', 'path') ?? href,
    url: Math.min(href, schemaMaxLength(spec, 'WebhookSubscription', 'url') ?? href),
  };
}

/** The 414 for a request target longer than a monitor may echo. */
export function uriTooLong(length: number, bounds: AnswerBounds): HttpProblem {
  return new HttpProblem('uri-too-long', {
    detail: `The path and query are ${length} characters; at most ${bounds.requestPath} are accepted.`,
  });
}

/**
 * `url` as it will be stored, refused when normalising made it longer than an answer may show it.
 *
 * @throws {HttpProblem} 400 pointing at `pointer`.
 */
export function boundedUrl(url: string, bounds: AnswerBounds, pointer: string): string {
  if (url.length <= bounds.url) return url;
  throw validationProblem([
    {
      pointer,
      message: `is ${url.length} characters once normalised (percent-encoded); at most ${bounds.url} are accepted`,
    },
  ]);
}
