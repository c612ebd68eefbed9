import { describe, expect, it } from 'vitest';
import { readAsyncOperations, renderAsyncOperations } from './async-operations.ts';
import type { OpenApiDocument } from './openapi-document.ts';

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
      { kind: 'car.create', operationId: 'createCar', path: '/cars', method: 'post', product: 'Car', result: null },
      {
        kind: 'reindex',
        operationId: 'startReindex',
        path: '/reindex',
        method: 'post',
        product: null,
        result: 'ReindexResult',
      },
    ]);
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
        '  };',
      ].join('\n'),
    );
    expect(source).toContain(`import type { components } from "./schema.gen.ts";`);
  });

  it('lists the operations at runtime with schema names, `null` when absent', () => {
    expect(source).toContain(
      '  { kind: "reindex", operationId: "startReindex", path: "/reindex", method: "post", product: null, result: null },',
    );
  });

  it('omits the components import when no kind names a schema', () => {
    expect(renderAsyncOperations([], 'notice')).not.toContain('import type');
  });

  it('renders the same input to the same text', () => {
    expect(renderAsyncOperations([...entries], 'n')).toBe(renderAsyncOperations(entries, 'n'));
  });
});
