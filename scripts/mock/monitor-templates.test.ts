import { asyncOperations, loadBundledSpec } from '@longrun/openapi';
import { beforeAll, describe, expect, it } from 'vitest';
import { type KindTemplates, readKindTemplates } from './monitor-templates.ts';
import { SpecIndex } from './spec-index.ts';

let templates: Map<string, KindTemplates>;
beforeAll(async () => {
  templates = readKindTemplates(new SpecIndex(await loadBundledSpec()), asyncOperations);
});

describe('readKindTemplates (from the spec’s examples)', () => {
  it('finds a queued monitor and a succeeded outcome for every async operation', () => {
    expect([...templates.keys()].sort()).toEqual(asyncOperations.map((operation) => operation.kind).sort());
    for (const kind of templates.values()) {
      expect(kind.queued, kind.kind).toMatchObject({ kind: kind.kind, state: 'queued' });
      expect(kind.outcomes.get('succeeded'), kind.kind).toMatchObject({ kind: kind.kind, state: 'succeeded' });
    }
  });

  it('offers every terminal example of the accepting operation as an outcome', () => {
    expect([...(templates.get('car.create')?.outcomes.keys() ?? [])].sort()).toEqual(['failed', 'succeeded']);
    expect(templates.get('widget-order.fulfil')?.outcomes.get('cancelled')).toMatchObject({ state: 'cancelled' });
  });

  it('gives a read accepted as an operation its result schema’s example when no example shows it done', () => {
    expect(templates.get('car.read')?.outcomes.get('succeeded')?.result).toMatchObject({ vin: expect.any(String) });
  });

  it('tells an embedded-status resource (Location is the resource) from a monitor Location', () => {
    expect(templates.get('virtual-machine.provision')).toMatchObject({
      acceptLocation: 'product',
      productFromStart: true,
    });
    expect(templates.get('car.create')).toMatchObject({ acceptLocation: 'monitor', productFromStart: false });
    expect(templates.get('car.create')?.product?.href).toMatch(/^\/cars\/car_/);
  });

  it('reads one-at-a-time from a 409 whose problem names the pending monitor', () => {
    const oneAtATime = [...templates.values()].filter((kind) => kind.oneAtATime).map((kind) => kind.kind);
    expect(oneAtATime).toEqual(['reindex']);
  });
});

describe('readKindTemplates (a spec without examples)', () => {
  // Monitor examples are what the lint recommends, not what a spec must have: the mock still runs.
  const bare = {
    openapi: '3.1.0',
    info: { title: 'Checksums', version: '1.0.0' },
    paths: {
      '/builds': {
        post: {
          operationId: 'startBuild',
          'x-longrun-async': { kind: 'build.run', product: 'Build' },
          responses: { '202': { description: 'Accepted.', content: { 'application/json': { schema: {} } } } },
        },
      },
      '/builds/{buildId}': {
        get: {
          operationId: 'getBuild',
          parameters: [{ name: 'buildId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The build.',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Build' } } },
            },
          },
        },
      },
      '/checksums': {
        post: {
          operationId: 'computeChecksum',
          'x-longrun-async': { kind: 'checksum.compute', result: 'Checksum', steps: ['read', 'hash'] },
          responses: { '202': { description: 'Accepted.', content: { 'application/json': { schema: {} } } } },
        },
      },
    },
    components: {
      schemas: {
        Build: {
          type: 'object',
          required: ['id', 'artifact'],
          properties: {
            id: { type: 'string', example: 'bld_01J0000000000000000000000' },
            artifact: { type: 'string' },
          },
        },
        Checksum: {
          type: 'object',
          required: ['sha256'],
          properties: { sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
      },
    },
  };

  it('derives the queued monitor from the contract, and the result from its schema', () => {
    const spec = new SpecIndex(bare);
    const kind = readKindTemplates(spec).get('checksum.compute');
    expect(kind?.queued).toMatchObject({
      kind: 'checksum.compute',
      state: 'queued',
      steps: [
        { name: 'read', state: 'pending' },
        { name: 'hash', state: 'pending' },
      ],
      request: { method: 'POST', path: '/checksums' },
    });
    expect(kind?.outcomes.get('succeeded')).toMatchObject({
      state: 'succeeded',
      result: { sha256: expect.any(String) },
    });
  });

  it('links a product at the path of the operation that reads its schema, when no example links one', () => {
    const kind = readKindTemplates(new SpecIndex(bare)).get('build.run');
    expect(kind?.product?.href).toMatch(/^\/builds\/bld_0+$/);
    expect(kind?.outcomes.get('succeeded')).toMatchObject({
      state: 'succeeded',
      links: { product: { href: kind?.product?.href } },
    });
  });
});
