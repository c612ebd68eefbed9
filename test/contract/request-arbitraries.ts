/**
 * fast-check arbitraries of requests built from the spec alone: valid ones (every parameter and body
 * drawn from its schema) and broken ones (a valid request with exactly one part made to break its
 * schema, or its authentication, content type or JSON syntax).
 */
import fc from 'fast-check';
import {
  type IndexedOperation,
  type IndexedParameter,
  isObject,
  type JsonObject,
  type SpecIndex,
} from '../../scripts/mock/spec-index.ts';

/** A request, ready to send to a base URL. */
export interface GeneratedRequest {
  operationId: string;
  method: string;
  /** Path with parameters filled in, plus the query string. */
  target: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** For a broken request: what was broken. */
  breakage?: string;
}

/** What a generated request must leave out because the test server would act on it outside the test. */
const outboundParts = new Set(['callbackUrl', 'Callback-Url', 'url']);

/** Printable ASCII without `"` and `\`: safe in any header and in JSON. */
const headerText = (maxLength: number) =>
  fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/"),
    maxLength,
  });

/**
 * A value valid against `schema` (the subset of JSON Schema the spec's requests use: `$ref`, `allOf`,
 * `oneOf`/`anyOf`, objects, arrays, strings with `enum`, `pattern`, `format: uri` and lengths, integers,
 * numbers, booleans, null).
 */
export function validValue(spec: SpecIndex, schemaValue: unknown): fc.Arbitrary<unknown> {
  const schema = spec.resolve<JsonObject>(schemaValue);
  if (!isObject(schema)) return fc.constant(null);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.allOf)) {
    const merged: JsonObject = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf.map((item) => spec.resolve<JsonObject>(item))) {
      Object.assign(merged.properties as JsonObject, part.properties);
      merged.required = [...(merged.required as string[]), ...((part.required as string[] | undefined) ?? [])];
      if (part.additionalProperties === false) merged.additionalProperties = false;
    }
    return validValue(spec, merged);
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((item) => validValue(spec, item)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries(isObject(schema.properties) ? schema.properties : {}).filter(
        ([name]) => !outboundParts.has(name),
      );
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of properties) record[name] = validValue(spec, property);
      return fc.record(record, { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) });
    }
    case 'array': {
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 5, minLength + 4);
      const items = validValue(spec, schema.items);
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'string':
      return validString(schema);
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : min + 2000;
      return fc.integer({ min, max: Math.min(max, Number.MAX_SAFE_INTEGER) });
    }
    case 'number':
      return fc.double({
        min: typeof schema.minimum === 'number' ? schema.minimum : -1e6,
        max: typeof schema.maximum === 'number' ? schema.maximum : 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.constant('any');
  }
}

function validString(schema: JsonObject): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
  const fits = (value: string) => [...value].length >= minLength && [...value].length <= maxLength;
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  if (schema.format === 'uri') return fc.webUrl({ validSchemes: ['https'] }).filter(fits);
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) });
}

/** A valid value for a parameter: header values kept to header-safe text, keys unique, preferences harmless. */
function parameterValue(spec: SpecIndex, parameter: IndexedParameter): fc.Arbitrary<string> {
  const name = parameter.name.toLowerCase();
  if (name === 'idempotency-key') return fc.uuid();
  // `wait=N` would hold the request; a short one is enough to exercise it.
  if (name === 'prefer') {
    return fc.oneof(
      { arbitrary: fc.constantFrom('respond-async', 'handling=lenient'), weight: 4 },
      { arbitrary: fc.constantFrom('wait=1', 'respond-async, wait=1'), weight: 1 },
    );
  }
  if (name === 'if-none-match') return fc.stringMatching(/^"[A-Za-z0-9._]{1,40}"$/);
  if (parameter.in === 'header') {
    const schema = spec.resolve<JsonObject>(parameter.schema);
    if (typeof schema.pattern === 'string')
      return fc.stringMatching(new RegExp(schema.pattern)).filter((v) => v.length <= Number(schema.maxLength ?? 256));
    return headerText(Math.min(Number(schema.maxLength ?? 64), 64)).filter(
      (value) => value.length >= Number(schema.minLength ?? 0),
    );
  }
  return validValue(spec, parameter.schema).map(String);
}

/** Parameters a request to `operation` may carry, without those the test server would act on outside it. */
function parametersOf(operation: IndexedOperation, options: { stateFree?: boolean }): IndexedParameter[] {
  return operation.parameters.filter(
    (parameter) =>
      !outboundParts.has(parameter.name) &&
      parameter.in !== 'cookie' &&
      // A cursor is only valid when this server issued it.
      !(options.stateFree && parameter.name === 'cursor'),
  );
}

/**
 * A valid request to `operation`, authenticated with `apiKey`.
 * @param options.stateFree leave out parameters whose validity depends on the server's state (a cursor)
 */
export function validRequest(
  spec: SpecIndex,
  operation: IndexedOperation,
  apiKey: string,
  options: { stateFree?: boolean } = {},
): fc.Arbitrary<GeneratedRequest> {
  const parameters = parametersOf(operation, options);
  const values: Record<string, fc.Arbitrary<string | undefined>> = {};
  for (const parameter of parameters) {
    const value = parameterValue(spec, parameter);
    values[`${parameter.in}:${parameter.name}`] = parameter.required ? value : fc.option(value, { nil: undefined });
  }
  const body =
    operation.requestBody === undefined ? fc.constant(undefined) : validValue(spec, operation.requestBody.schema);
  return fc.record({ values: fc.record(values), body }).map(({ values: chosen, body: value }) => {
    let path = operation.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    for (const parameter of parameters) {
      const given = chosen[`${parameter.in}:${parameter.name}`];
      if (given === undefined) continue;
      if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(given));
      else if (parameter.in === 'query') query.set(parameter.name, given);
      else headers[parameter.name] = given;
    }
    if (operation.secured) headers.Authorization = `Bearer ${apiKey}`;
    if (operation.requestBody !== undefined) headers['Content-Type'] = operation.requestBody.mediaType;
    const search = query.toString();
    return {
      operationId: operation.operationId,
      method: operation.method.toUpperCase(),
      target: search === '' ? path : `${path}?${search}`,
      headers,
      body: operation.requestBody === undefined ? undefined : JSON.stringify(value),
    };
  });
}

/** One way to break a valid request: a description and the broken request, or undefined when it does not apply. */
type Breaker = (request: GeneratedRequest, operation: IndexedOperation) => fc.Arbitrary<GeneratedRequest> | undefined;

/**
 * A request to `operation` that breaks the spec in exactly one way: a body member (missing, unknown,
 * of the wrong type, out of range, too long, off its pattern or enum), the body itself (not JSON, not
 * JSON at all, missing), a path, query or header parameter, or the API key.
 */
export function brokenRequest(
  spec: SpecIndex,
  operation: IndexedOperation,
  apiKey: string,
): fc.Arbitrary<GeneratedRequest> {
  const breakers: Breaker[] = [
    (request) => (request.body === undefined ? undefined : breakBody(spec, operation, request)),
    (request) =>
      request.body === undefined
        ? undefined
        : fc.constant({ ...request, body: `${request.body.slice(0, -1)},`, breakage: 'the body is not valid JSON' }),
    (request) =>
      request.body === undefined
        ? undefined
        : fc.constant({
            ...request,
            headers: { ...request.headers, 'Content-Type': 'text/plain' },
            breakage: 'the body is sent as text/plain',
          }),
    (request) =>
      operation.requestBody?.required
        ? fc.constant({
            ...request,
            body: undefined,
            headers: withoutHeader(request.headers, 'Content-Type'),
            breakage: 'the required body is missing',
          })
        : undefined,
    (request) => breakParameter(spec, operation, request),
    (request) =>
      operation.secured
        ? fc.constantFrom(
            { ...request, headers: withoutHeader(request.headers, 'Authorization'), breakage: 'no API key' },
            {
              ...request,
              headers: { ...request.headers, Authorization: 'Bearer not-a-key-of-this-server' },
              breakage: 'an unknown API key',
            },
          )
        : undefined,
  ];
  return validRequest(spec, operation, apiKey, { stateFree: true }).chain((request) => {
    const applicable = breakers
      .map((breaker) => breaker(request, operation))
      .filter((arbitrary) => arbitrary !== undefined);
    if (applicable.length === 0) throw new Error(`${operation.operationId} has nothing to break`);
    return fc.oneof(...applicable);
  });
}

/** Whether a request to `operation` has anything that can be broken. */
export function canBreak(operation: IndexedOperation): boolean {
  return operation.secured || operation.requestBody !== undefined || breakableParameters(operation).length > 0;
}

function withoutHeader(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()));
}

/** Breaks one member of the body, anywhere in it. */
function breakBody(
  spec: SpecIndex,
  operation: IndexedOperation,
  request: GeneratedRequest,
): fc.Arbitrary<GeneratedRequest> | undefined {
  const body = JSON.parse(request.body ?? 'null') as unknown;
  const sites = breakSites(spec, operation.requestBody?.schema, body, '');
  if (sites.length === 0) return undefined;
  return fc.constantFrom(...sites).map(({ pointer, apply, breakage }) => ({
    ...request,
    body: JSON.stringify(apply(structuredClone(body))),
    breakage: `body ${pointer || '/'}: ${breakage}`,
  }));
}

interface BreakSite {
  pointer: string;
  breakage: string;
  apply: (body: unknown) => unknown;
}

/** Every way to make `value` (at `pointer`) break `schemaValue`. */
function breakSites(spec: SpecIndex, schemaValue: unknown, value: unknown, pointer: string): BreakSite[] {
  let schema = spec.resolve<JsonObject>(schemaValue);
  if (!isObject(schema)) return [];
  if (Array.isArray(schema.allOf)) {
    schema = {
      type: 'object',
      ...Object.assign({}, ...schema.allOf.map((part) => spec.resolve<JsonObject>(part))),
    } as JsonObject;
  }
  const sites: BreakSite[] = [];
  const replace = (breakage: string, replacement: unknown): BreakSite => ({
    pointer,
    breakage,
    apply: (body) => setAt(body, pointer, replacement),
  });
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;

  if (type === 'object' && isObject(value)) {
    sites.push(replace('an array instead of an object', []));
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      sites.push({
        pointer: `${pointer}/${name}`,
        breakage: 'a required member is missing',
        apply: (body) => deleteAt(body, `${pointer}/${name}`),
      });
    }
    if (schema.additionalProperties === false)
      sites.push(replace('an unknown member', { ...value, unexpectedMember: 1 }));
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [name, member] of Object.entries(value)) {
      if (name in properties) sites.push(...breakSites(spec, properties[name], member, `${pointer}/${name}`));
    }
  } else if (type === 'array' && Array.isArray(value)) {
    sites.push(replace('a string instead of an array', 'not-an-array'));
    if (typeof schema.minItems === 'number' && schema.minItems > 0) sites.push(replace('too few items', []));
    if (typeof schema.maxItems === 'number' && value.length > 0) {
      sites.push(
        replace(
          'too many items',
          Array.from({ length: schema.maxItems + 1 }, () => value[0]),
        ),
      );
    }
    value.forEach((item, index) => {
      sites.push(...breakSites(spec, schema.items, item, `${pointer}/${index}`));
    });
  } else if (type === 'string') {
    sites.push(replace('an object instead of a string', { not: 'a string' }));
    if (typeof schema.maxLength === 'number') sites.push(replace('too long', 'x'.repeat(schema.maxLength + 1)));
    if (typeof schema.minLength === 'number' && schema.minLength > 0) sites.push(replace('too short', ''));
    if (Array.isArray(schema.enum)) sites.push(replace('not one of its values', 'not-one-of-the-values'));
    if (typeof schema.pattern === 'string') {
      const pattern = new RegExp(schema.pattern);
      const offPattern = ['', ' ', 'has spaces', '!!!', 'lower-case', '0'].find(
        (candidate) => !pattern.test(candidate),
      );
      if (offPattern !== undefined) sites.push(replace(`off its pattern ${schema.pattern}`, offPattern));
    }
    if (schema.format === 'uri') sites.push(replace('not a URI', 'not a uri'));
  } else if (type === 'integer' || type === 'number') {
    sites.push(replace('a string instead of a number', 'twelve'));
    if (typeof schema.minimum === 'number') sites.push(replace('below its minimum', schema.minimum - 1));
    if (typeof schema.maximum === 'number') sites.push(replace('above its maximum', schema.maximum + 1));
    if (type === 'integer') sites.push(replace('not an integer', 1.5));
  } else if (type === 'boolean') {
    sites.push(replace('a string instead of a boolean', 'yes please'));
  }
  return sites;
}

/** Parameters a broken value can be given to. */
function breakableParameters(operation: IndexedOperation): IndexedParameter[] {
  return operation.parameters.filter(
    (parameter) => parameter.in === 'path' || parameter.in === 'query' || parameter.in === 'header',
  );
}

/** Breaks one path, query or header parameter. */
function breakParameter(
  spec: SpecIndex,
  operation: IndexedOperation,
  request: GeneratedRequest,
): fc.Arbitrary<GeneratedRequest> | undefined {
  const options = breakableParameters(operation).flatMap((parameter) =>
    brokenParameterValues(spec, parameter).map((broken) => ({ parameter, broken })),
  );
  if (options.length === 0) return undefined;
  return fc.constantFrom(...options).map(({ parameter, broken }) => {
    const url = new URL(request.target, 'http://target.invalid');
    let target = request.target;
    let headers = request.headers;
    if (parameter.in === 'path') {
      const segments = operation.path.split('/');
      const index = segments.indexOf(`{${parameter.name}}`);
      const actual = url.pathname.split('/');
      actual[index] = encodeURIComponent(broken);
      target = `${actual.join('/')}${url.search}`;
    } else if (parameter.in === 'query') {
      url.searchParams.set(parameter.name, broken);
      target = `${url.pathname}${url.search}`;
    } else {
      headers = { ...withoutHeader(headers, parameter.name), [parameter.name]: broken };
    }
    return {
      ...request,
      target,
      headers,
      breakage: `${parameter.in} parameter ${parameter.name} = ${JSON.stringify(broken.slice(0, 40))}`,
    };
  });
}

/** Values that break a parameter's schema (header values stay sendable). */
function brokenParameterValues(spec: SpecIndex, parameter: IndexedParameter): string[] {
  const schema = spec.resolve<JsonObject>(parameter.schema);
  const values: string[] = [];
  if (typeof schema.maxLength === 'number' && schema.maxLength < 4096) values.push('x'.repeat(schema.maxLength + 1));
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    const off = ['has spaces', 'BAD!', 'x'].find((candidate) => !pattern.test(candidate));
    if (off !== undefined) values.push(off);
  }
  if (Array.isArray(schema.enum)) values.push('not-one-of-the-values');
  if (schema.type === 'integer') {
    values.push('twelve');
    if (typeof schema.minimum === 'number') values.push(String(schema.minimum - 1));
    if (typeof schema.maximum === 'number') values.push(String(schema.maximum + 1));
  }
  if (schema.format === 'uri') values.push('not a uri');
  return values.filter((value) => !(parameter.in === 'header' && /[^\x20-\x7E]/.test(value)));
}

function setAt(body: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const segments = pointer.split('/').slice(1);
  let holder = body as Record<string, unknown>;
  for (const segment of segments.slice(0, -1)) holder = holder[segment] as Record<string, unknown>;
  holder[segments.at(-1) as string] = value;
  return body;
}

function deleteAt(body: unknown, pointer: string): unknown {
  const segments = pointer.split('/').slice(1);
  let holder = body as Record<string, unknown>;
  for (const segment of segments.slice(0, -1)) holder = holder[segment] as Record<string, unknown>;
  delete holder[segments.at(-1) as string];
  return body;
}
