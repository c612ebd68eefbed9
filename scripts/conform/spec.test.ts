import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { SchemaCheck } from './schema-check.ts';
import { Spec } from './spec.ts';

const accepted = { description: 'Accepted', headers: { Location: { required: true, schema: { type: 'string' } } } };
const document = {
  openapi: '3.0.3',
  info: { title: 'dialects', version: '1' },
  paths: {
    '/backups': {
      put: {
        operationId: 'Backups_Create',
        'x-ms-long-running-operation': true,
        'x-ms-long-running-operation-options': { 'final-state-via': 'azure-async-operation' },
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Backup' } } } },
        responses: { '201': { description: 'Created' }, '202': accepted },
      },
    },
    '/imports': {
      post: {
        responses: {
          '202': {
            ...accepted,
            links: { status: { operationId: 'getImport', parameters: { id: '$response.header.Location' } } },
          },
        },
      },
    },
    '/rebuilds': {
      post: {
        operationId: 'rebuild',
        'x-longrun-async': { kind: 'rebuild', result: 'Backup' },
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
        requestBody: {
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/Backup' },
              examples: { a: { value: { name: 'nightly', copies: 2 } } },
            },
          },
        },
        responses: {
          '202': accepted,
          '409': { description: 'Pending', headers: { Link: { required: true, schema: { type: 'string' } } } },
        },
      },
    },
    '/plain': { get: { responses: { '200': { description: 'OK' } } } },
  },
  components: {
    schemas: {
      Backup: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, example: 'weekly' },
          copies: { type: 'integer', maximum: 3 },
        },
      },
    },
  },
};

describe('Spec: async operations from any dialect', () => {
  let dir: string;
  let spec: Spec;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'conform-spec-'));
    await writeFile(path.join(dir, 'api.yaml'), stringify(document));
    spec = await Spec.load(path.join(dir, 'api.yaml'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds Azure, links and longrun operations, and nothing else', () => {
    const found = spec.asyncOperations();
    expect(found.map((op) => [op.name, op.dialect])).toEqual([
      ['Backups_Create', 'azure'],
      ['POST /imports', 'links'],
      ['rebuild', 'longrun'],
    ]);
    expect(found[0]?.finalStateVia).toBe('azure-async-operation');
  });

  it('takes the request example, else samples the schema, and infers one-at-a-time from a 409 that must link the monitor', () => {
    const [azure, , longrun] = spec.asyncOperations();
    expect(longrun?.body).toEqual({ name: 'nightly', copies: 2 });
    expect(longrun?.oneAtATime).toBe(true);
    expect(longrun?.idempotencyKey).toBe(true);
    expect(azure?.body).toMatchObject({ name: 'weekly' });
    expect(azure?.oneAtATime).toBe(false);
  });

  it('derives an invalid body and a different valid one from the schema', () => {
    const schemas = new SchemaCheck(spec);
    const schema = { $ref: '#/components/schemas/Backup' };
    const invalid = schemas.invalidBody(schema);
    expect(schemas.component('Backup', invalid)).not.toEqual([]);
    const variant = schemas.variantBody(schema, { name: 'nightly', copies: 3 });
    expect(variant).not.toEqual({ name: 'nightly', copies: 3 });
    expect(schemas.component('Backup', variant)).toEqual([]);
  });
});
