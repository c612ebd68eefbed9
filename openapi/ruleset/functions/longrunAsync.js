/**
 * Checks the long-running operations of a spec against the longrun contract. One function, one check
 * per rule (`options.check`), each run on a path item (`$.paths[*]`) of the resolved document, so that
 * `$ref`s into the contract file are followed. Every message says how to fix what it reports.
 *
 * An operation is long-running when it has `x-longrun-async`, Azure's `x-ms-long-running-operation:
 * true`, or a `202` whose `Location`/`Operation-Location` header is the parameter of an OpenAPI link:
 * the same operations `longrun generate` lists in `AsyncKinds`.
 */

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Where a spec finds the contract file, as its `$ref`s name it (relative to the spec). */
const contract = 'node_modules/@longrun/openapi/contract/longrun.yaml';
const extensionKeys = new Set(['kind', 'product', 'result', 'oneAtATime', 'steps']);

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const lower = (record) => new Set(Object.keys(isObject(record) ? record : {}).map((key) => key.toLowerCase()));

/** The kind and declared shape of a long-running operation, or undefined for any other operation. */
function asyncMarker(operation) {
  const extension = operation['x-longrun-async'];
  if (extension !== undefined) {
    const kind = isObject(extension) && typeof extension.kind === 'string' ? extension.kind : undefined;
    return { kind, extension: isObject(extension) ? extension : {}, declared: 'x-longrun-async' };
  }
  const id = typeof operation.operationId === 'string' ? operation.operationId : undefined;
  if (operation['x-ms-long-running-operation'] === true) {
    return { kind: id, extension: {}, declared: 'x-ms-long-running-operation' };
  }
  const accepted = isObject(operation.responses) ? operation.responses['202'] : undefined;
  const links = isObject(accepted) && isObject(accepted.links) ? Object.values(accepted.links) : [];
  const linked = links.some(
    (link) =>
      isObject(link) &&
      isObject(link.parameters) &&
      Object.values(link.parameters).some(
        (value) => typeof value === 'string' && /^\$response\.header\.(location|operation-location)$/i.test(value),
      ),
  );
  return linked ? { kind: id, extension: {}, declared: 'a 202 status link' } : undefined;
}

/** Whether a (resolved) schema describes the contract's monitor: `id`, `kind`, `state` and `links`. */
function isMonitorSchema(schema, depth = 0) {
  if (!isObject(schema) || depth > 8) return false;
  const properties = isObject(schema.properties) ? schema.properties : {};
  if (['id', 'kind', 'state', 'links'].every((name) => name in properties)) return true;
  return ['allOf', 'oneOf', 'anyOf'].some(
    (key) => Array.isArray(schema[key]) && schema[key].some((part) => isMonitorSchema(part, depth + 1)),
  );
}

/** Whether a (resolved) schema requires `name`, through `allOf` too. */
function requires(schema, name, depth = 0) {
  if (!isObject(schema) || depth > 8) return false;
  if (Array.isArray(schema.required) && schema.required.includes(name)) return true;
  return Array.isArray(schema.allOf) && schema.allOf.some((part) => requires(part, name, depth + 1));
}

/** The kinds a (resolved) monitor schema pins its `kind` to (`const`, or an `enum`), through `allOf` too. */
function pinnedKinds(schema, depth = 0) {
  if (!isObject(schema) || depth > 8) return [];
  const kind = isObject(schema.properties) ? schema.properties.kind : undefined;
  const own = !isObject(kind) ? [] : 'const' in kind ? [kind.const] : Array.isArray(kind.enum) ? kind.enum : [];
  const parts = Array.isArray(schema.allOf) ? schema.allOf.flatMap((part) => pinnedKinds(part, depth + 1)) : [];
  return [...own, ...parts];
}

function examplesOf(response) {
  const content = isObject(response) && isObject(response.content) ? response.content : {};
  return Object.values(content).flatMap((media) => {
    if (!isObject(media)) return [];
    const named = isObject(media.examples) ? Object.entries(media.examples) : [];
    const found = named.map(([key, example]) => ({ key, value: isObject(example) ? example.value : undefined }));
    if (media.example !== undefined) found.push({ key: 'example', value: media.example });
    return found;
  });
}

const isMonitorExample = (value) =>
  isObject(value) && typeof value.kind === 'string' && typeof value.state === 'string';

/** Every monitor example of the document, wherever it is shown. */
function allMonitorExamples(document) {
  const paths = isObject(document?.paths) ? Object.values(document.paths) : [];
  return paths.flatMap((item) =>
    methods
      .map((method) => (isObject(item) ? item[method] : undefined))
      .filter(isObject)
      .flatMap((operation) => Object.values(isObject(operation.responses) ? operation.responses : {}))
      .flatMap(examplesOf)
      .map((example) => example.value)
      .filter(isMonitorExample),
  );
}

const checks = {
  /** `x-longrun-async` is an object with a `kind`, known keys, schema names that exist, step names. */
  extension({ operation, marker, at, document }) {
    if (marker.declared !== 'x-longrun-async') return [];
    const where = [...at, 'x-longrun-async'];
    const value = operation['x-longrun-async'];
    if (!isObject(value) || marker.kind === undefined || marker.kind === '') {
      return [
        {
          message: 'x-longrun-async needs a "kind", e.g. `x-longrun-async: { kind: export.create, product: Export }`.',
          path: where,
        },
      ];
    }
    const results = [];
    for (const key of Object.keys(value)) {
      if (!extensionKeys.has(key)) {
        results.push({
          message: `x-longrun-async has no "${key}": use kind, product or result, oneAtATime, steps.`,
          path: [...where, key],
        });
      }
    }
    const schemas = isObject(document?.components?.schemas) ? document.components.schemas : {};
    for (const key of ['product', 'result']) {
      if (value[key] !== undefined && !(typeof value[key] === 'string' && value[key] in schemas)) {
        results.push({
          message: `x-longrun-async.${key} names no schema: write the name of an entry of components.schemas (got ${JSON.stringify(value[key])}).`,
          path: [...where, key],
        });
      }
    }
    if (value.product !== undefined && value.result !== undefined) {
      results.push({
        message:
          'x-longrun-async has both product and result: an operation creates a resource (product) or answers data (result), keep one.',
        path: where,
      });
    }
    if (value.oneAtATime !== undefined && typeof value.oneAtATime !== 'boolean') {
      results.push({ message: 'x-longrun-async.oneAtATime is true or false.', path: [...where, 'oneAtATime'] });
    }
    const steps = value.steps;
    if (
      steps !== undefined &&
      !(
        Array.isArray(steps) &&
        steps.every((step) => typeof step === 'string' && /^[a-z][a-z0-9-]*$/.test(step)) &&
        new Set(steps).size === steps.length
      )
    ) {
      results.push({
        message:
          'x-longrun-async.steps lists distinct step names in lower case, digits and dashes, e.g. [query, write-file].',
        path: [...where, 'steps'],
      });
    }
    return results;
  },

  /** `202` with `Location` and `Retry-After`. */
  accepted({ operation, marker, at }) {
    const accepted = operation.responses?.['202'];
    const label = `${marker.kind ?? 'This operation'} (${marker.declared})`;
    if (!isObject(accepted)) {
      return [
        {
          message: `${label} is long-running but documents no 202: add \`'202': { $ref: '${contract}#/components/responses/Accepted' }\`.`,
          path: [...at, 'responses'],
        },
      ];
    }
    const headers = lower(accepted.headers);
    const results = [];
    if (!headers.has('location')) {
      results.push({
        message: `The 202 of ${label} needs a Location header (the monitor's URL): add \`Location: { $ref: '${contract}#/components/headers/MonitorLocation' }\` to its headers.`,
        path: [...at, 'responses', '202'],
      });
    }
    if (!headers.has('retry-after')) {
      results.push({
        message: `The 202 of ${label} needs a Retry-After header (seconds until a poll is worth it): add \`Retry-After: { $ref: '${contract}#/components/headers/RetryAfter' }\` to its headers.`,
        path: [...at, 'responses', '202'],
      });
    }
    return results;
  },

  /** The `202` body is the contract's monitor. */
  monitor({ operation, marker, at }) {
    const accepted = operation.responses?.['202'];
    if (!isObject(accepted)) return [];
    const schema = accepted.content?.['application/json']?.schema;
    if (isMonitorSchema(schema)) return [];
    return [
      {
        message: `The 202 of ${marker.kind ?? 'this operation'} must answer the monitor as application/json: \`schema: { $ref: '${contract}#/components/schemas/Monitor' }\`.`,
        path: [...at, 'responses', '202'],
      },
    ];
  },

  /** The `202` monitor names its kind, so the typed client knows what `waitFor` resolves to. */
  kind({ operation, marker, at }) {
    if (marker.declared !== 'x-longrun-async' || marker.kind === undefined) return [];
    const schema = operation.responses?.['202']?.content?.['application/json']?.schema;
    if (!isMonitorSchema(schema) || pinnedKinds(schema).includes(marker.kind)) return [];
    return [
      {
        message: `The 202 monitor of ${marker.kind} leaves \`kind\` open, so a typed client cannot tell what waitFor resolves to (and refuses the call): answer a schema of your own, \`allOf: [{ $ref: '${contract}#/components/schemas/Monitor' }, { type: object, properties: { kind: { const: ${marker.kind} } } }]\`.`,
        path: [...at, 'responses', '202'],
      },
    ];
  },

  /** `oneAtATime` operations document the `409` that names the pending monitor. */
  oneAtATime({ operation, marker, at }) {
    if (marker.extension.oneAtATime !== true) return [];
    const conflict = operation.responses?.['409'];
    const schema = isObject(conflict) ? conflict.content?.['application/problem+json']?.schema : undefined;
    const fix = `add \`'409': { $ref: '${contract}#/components/responses/OperationPending' }\``;
    if (!isObject(conflict) || !requires(schema, 'monitor')) {
      return [
        {
          message: `${marker.kind} accepts one request at a time (oneAtATime): document the 409 problem that names the pending monitor; ${fix}.`,
          path: [...at, 'responses'],
        },
      ];
    }
    if (!lower(conflict.headers).has('link')) {
      return [
        {
          message: `The 409 of ${marker.kind} needs a Link header to the pending monitor (rel="monitor"); ${fix}.`,
          path: [...at, 'responses', '409'],
        },
      ];
    }
    return [];
  },

  /** Async `POST`s take `Idempotency-Key`. */
  idempotency({ operation, marker, at, pathItem, method }) {
    if (method !== 'post') return [];
    const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])];
    const has = parameters.some(
      (parameter) =>
        isObject(parameter) && parameter.in === 'header' && String(parameter.name).toLowerCase() === 'idempotency-key',
    );
    if (has) return [];
    return [
      {
        message: `${marker.kind ?? 'This async POST'} should be safe to retry: add \`- $ref: '${contract}#/components/parameters/IdempotencyKey'\` to its parameters.`,
        path: [...at, 'parameters'],
      },
    ];
  },

  /** Examples of the kind's monitor: queued on the `202`, and the outcome where it has one. */
  examples({ operation, marker, at, document }) {
    const accepted = operation.responses?.['202'];
    if (!isObject(accepted) || marker.kind === undefined) return [];
    const results = [];
    const shown = examplesOf(accepted).filter((example) => isMonitorExample(example.value));
    const queued = shown.find((example) => example.value.state === 'queued' || example.value.state === 'running');
    if (queued === undefined) {
      results.push({
        message: `The 202 of ${marker.kind} shows no monitor example: add an example of the monitor just accepted (kind: ${marker.kind}, state: queued), which mocks answer and docs show.`,
        path: [...at, 'responses', '202'],
      });
    }
    for (const example of shown) {
      if (example.value.kind !== marker.kind) {
        results.push({
          message: `The 202 example "${example.key}" has kind "${example.value.kind}", but the operation's kind is "${marker.kind}": make the example's kind match.`,
          path: [...at, 'responses', '202'],
        });
      }
    }
    const outcome = marker.extension.product ?? marker.extension.result;
    if (outcome !== undefined) {
      const ofKind = allMonitorExamples(document).filter((value) => value.kind === marker.kind);
      if (!ofKind.some((value) => value.state === 'succeeded')) {
        results.push({
          message: `No example shows ${marker.kind} succeeded: add a monitor example (kind: ${marker.kind}, state: succeeded${marker.extension.product ? ', links.product' : ', result'}) to a 200/201 answer, so mocks and docs show the outcome.`,
          path: [...at, 'responses'],
        });
      }
    }
    return results;
  },
};

/**
 * @param {unknown} pathItem a path item of the resolved document
 * @param {{ check: keyof typeof checks }} options which check to run
 */
export default function longrunAsync(pathItem, options, context) {
  if (!isObject(pathItem)) return [];
  const check = checks[options?.check];
  if (check === undefined) throw new Error(`longrunAsync: unknown check ${JSON.stringify(options?.check)}`);
  const document = context.document?.data === undefined ? undefined : context.documentInventory?.resolved;
  const results = [];
  for (const method of methods) {
    const operation = pathItem[method];
    if (!isObject(operation)) continue;
    const marker = asyncMarker(operation);
    if (marker === undefined) continue;
    results.push(...check({ operation, marker, at: [...context.path, method], document, pathItem, method }));
  }
  return results;
}
