import { type OpenApiDocument, readAsyncOperations } from '@longrun/openapi/async-operations';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatTypeScript } from './format-typescript.ts';
import { folderStubModules, renderServerStubs } from './server-stubs.ts';

const document: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/monitors/{monitorId}': { get: { operationId: 'getMonitor' } },
    '/cars': {
      get: { operationId: 'listCars' },
      post: { operationId: 'createCar', 'x-longrun-async': { kind: 'car.create', product: 'Car' } },
    },
    '/cars/{carId}': { get: { operationId: 'readCar' }, delete: {} },
    '/machines/{id}': {
      put: { operationId: 'putMachine', 'x-ms-long-running-operation': true, responses: {} },
    },
  },
  components: { schemas: { Car: { type: 'object' } } },
};

describe('renderServerStubs', () => {
  // As written: formatted like every generated file.
  let source: string;
  beforeAll(async () => {
    source = await formatTypeScript(
      renderServerStubs(document, readAsyncOperations(document), 'generated', folderStubModules),
      'server.gen.ts',
    );
  });

  it('names a handler for each synchronous operation, but none for the paths longrun serves or the long-running ones', () => {
    const handlers = source.slice(
      source.indexOf('export interface Handlers'),
      source.indexOf('export interface KindTypes'),
    );
    expect(handlers).toContain("listCars: OperationHandler<operations['listCars']>;");
    expect(handlers).toContain("readCar: OperationHandler<operations['readCar']>;");
    expect(handlers).not.toContain('getMonitor');
    expect(handlers).not.toContain('createCar');
    expect(handlers).not.toContain('putMachine');
  });

  it('types a kind per long-running operation, from any dialect, with its product and result', () => {
    expect(source).toMatch(
      /'car\.create': \{\s+operation: operations\['createCar'\];\s+input: KindInput<operations\['createCar'\]>;\s+product: components\['schemas'\]\['Car'\];\s+result: never;/,
    );
    expect(source).toMatch(
      /putMachine: \{\s+operation: operations\['putMachine'\];[^}]*product: never;\s+result: never;/,
    );
  });

  it('imports from the server package and points at the bundled spec beside it', () => {
    expect(source).toContain("from '@longrun/server';");
    expect(source).toContain("import type { components, operations } from './schema.gen.ts';");
    expect(source).toContain(
      "export const spec: ServerSpec<Handlers, Kinds> = { document: new URL('./openapi.gen.json', import.meta.url) };",
    );
  });
});
