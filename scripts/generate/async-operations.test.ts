import type { OpenApiDocument } from '@longrun/openapi/async-operations';
import { describe, expect, it } from 'vitest';
import { readAsyncOperations, renderAsyncOperations } from './async-operations.ts';

function documentWith(paths: OpenApiDocument['paths'], schemas: Record<string, unknown> = {}): OpenApiDocument {
  return { openapi: '3.1.0', paths, components: { schemas } };
}

const schemas = { Car: { type: 'object' }, ReindexResult: { type: 'object' } };

describe('readAsyncOperations', () => {
  it('lists every x-longrun-async operation sorted by kind, with product and result schema names', () => {
    const document = documentWith(
      {
        '/reindex': {
          post: { operationId: 'startReindex', 'x-longrun-async': { kind: 'reindex', result: 'ReindexResult' } },
        },
        '/cars': {
          get: { operationId: 'listCars' },
          post: { operationId: 'createCar', 'x-longrun-async': { kind: 'car.create', product: 'Car' } },
        },
      },
      schemas,
    );

    expect(readAsyncOperations(document)).toEqual([
      {
        kind: 'car.create',
        operationId: 'createCar',
        path: '/cars',
        method: 'post',
        product: 'Car',
        result: null,
        oneAtATime: false,
        steps: [],
        dialect: 'x-longrun-async',
      },
      {
        kind: 'reindex',
        operationId: 'startReindex',
        path: '/reindex',
        method: 'post',
        product: null,
        result: 'ReindexResult',
        oneAtATime: false,
        steps: [],
        dialect: 'x-longrun-async',
      },
    ]);
  });

  it('reads oneAtATime and the step names', () => {
    const document = documentWith({
      '/reindex': {
        post: {
          operationId: 'startReindex',
          'x-longrun-async': { kind: 'reindex', oneAtATime: true, steps: ['scan', 'build-index'] },
        },
      },
    });
    expect(readAsyncOperations(document)).toEqual([
      expect.objectContaining({ kind: 'reindex', oneAtATime: true, steps: ['scan', 'build-index'] }),
    ]);
  });

  it("reads Azure's x-ms-long-running-operation, the outcome where final-state-via says", () => {
    const okWith = (name: string) => ({
      '200': {
        description: 'done',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
      },
      '202': { description: 'accepted' },
    });
    const document = documentWith(
      {
        '/cars/{id}': {
          put: { operationId: 'Cars_CreateOrUpdate', 'x-ms-long-running-operation': true, responses: okWith('Car') },
        },
        '/reindex': {
          post: {
            operationId: 'Index_Rebuild',
            'x-ms-long-running-operation': true,
            'x-ms-long-running-operation-options': { 'final-state-via': 'location' },
            responses: okWith('ReindexResult'),
          },
        },
        '/plain': { post: { operationId: 'plain', 'x-ms-long-running-operation': false } },
      },
      schemas,
    );
    expect(readAsyncOperations(document)).toEqual([
      expect.objectContaining({ kind: 'Cars_CreateOrUpdate', method: 'put', product: 'Car', result: null }),
      expect.objectContaining({
        kind: 'Index_Rebuild',
        product: null,
        result: 'ReindexResult',
        dialect: 'x-ms-long-running-operation',
      }),
    ]);
  });

  it('reads a 202 whose Operation-Location is the parameter of an OpenAPI link', () => {
    const document = documentWith(
      {
        '/exports': {
          post: {
            operationId: 'startExport',
            responses: {
              '202': {
                description: 'accepted',
                headers: { 'Operation-Location': { schema: { type: 'string' } } },
                links: {
                  status: { operationId: 'getStatus', parameters: { url: '$response.header.Operation-Location' } },
                },
              },
            },
          },
        },
        '/other': {
          post: {
            operationId: 'other',
            responses: {
              '202': {
                description: 'x',
                links: { self: { operationId: 'a', parameters: { id: '$request.body#/id' } } },
              },
            },
          },
        },
      },
      schemas,
    );
    expect(readAsyncOperations(document)).toEqual([
      expect.objectContaining({ kind: 'startExport', product: null, result: null, dialect: 'links' }),
    ]);
  });

  it('refuses a malformed oneAtATime or steps, saying what is expected', () => {
    const document = documentWith({
      '/a': { post: { operationId: 'a', 'x-longrun-async': { kind: 'a', oneAtATime: 'yes', steps: ['Scan'] } } },
    });
    expect(() => readAsyncOperations(document)).toThrowError(
      [
        'invalid x-longrun-async in the spec:',
        '  - POST /a: x-longrun-async.oneAtATime must be true or false, got "yes"',
        '  - POST /a: x-longrun-async.steps must be a list of distinct step names like "write-file" (lower case, digits, dashes), got ["Scan"]',
      ].join('\n'),
    );
  });

  it('ignores operations without the extension and documents without paths', () => {
    expect(readAsyncOperations(documentWith({ '/cars': { get: { operationId: 'listCars' } } }))).toEqual([]);
    expect(readAsyncOperations({ openapi: '3.1.0' })).toEqual([]);
  });

  it('reports every problem at once, naming the operation', () => {
    const document = documentWith(
      {
        '/a': { post: { operationId: 'a', 'x-longrun-async': { kind: 'same', product: 'Missing' } } },
        '/b': { put: { operationId: 'b', 'x-longrun-async': { kind: 'same', colour: 'red' } } },
        '/c': { post: { 'x-longrun-async': { kind: 'c' } } },
        '/d': { delete: { operationId: 'd', 'x-longrun-async': { kind: '' } } },
        '/e': { patch: { operationId: 'e', 'x-longrun-async': 'e' } },
      },
      schemas,
    );

    expect(() => readAsyncOperations(document)).toThrowError(
      [
        'invalid x-longrun-async in the spec:',
        '  - POST /a: x-longrun-async.product must name a components.schemas entry, got "Missing"',
        '  - PUT /b: x-longrun-async has unknown key "colour"',
        '  - POST /c: an x-longrun-async operation needs an operationId',
        '  - DELETE /d: x-longrun-async.kind must be a non-empty string',
        '  - PATCH /e: x-longrun-async must be an object with a "kind"',
        '  - kind "same" is declared twice: POST /a and PUT /b',
      ].join('\n'),
    );
  });
});

describe('renderAsyncOperations', () => {
  const entries = readAsyncOperations(
    documentWith(
      {
        '/cars': { post: { operationId: 'createCar', 'x-longrun-async': { kind: 'car.create', product: 'Car' } } },
        '/reindex': { post: { operationId: 'startReindex', 'x-longrun-async': { kind: 'reindex' } } },
      },
      schemas,
    ),
  );
  const source = renderAsyncOperations(entries, 'generated from openapi/openapi.yaml by `pnpm generate` — do not edit');

  it('starts with the generated-file notice', () => {
    expect(source.split('\n')[0]).toBe('// generated from openapi/openapi.yaml by `pnpm generate` — do not edit');
  });

  it('maps each kind to its product and result types, `never` when absent', () => {
    expect(source).toContain(
      [
        '  "car.create": {',
        `    product: components['schemas']["Car"];`,
        '    result: never;',
        '    operationId: "createCar";',
        '    path: "/cars";',
        '    method: "post";',
        '    oneAtATime: false;',
        '    steps: readonly [];',
        '  };',
      ].join('\n'),
    );
    expect(source).toContain(`import type { components } from "./schema.gen.ts";`);
  });

  it('lists the operations at runtime with schema names, `null` when absent', () => {
    expect(source).toContain(
      '  { kind: "reindex", operationId: "startReindex", path: "/reindex", method: "post", product: null, result: null, oneAtATime: false, steps: [] },',
    );
  });

  it('omits the components import when no kind names a schema', () => {
    expect(renderAsyncOperations([], 'notice')).not.toContain('import type');
  });

  it('renders the same input to the same text', () => {
    expect(renderAsyncOperations([...entries], 'n')).toBe(renderAsyncOperations(entries, 'n'));
  });
});
