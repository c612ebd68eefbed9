import { createRequire } from 'node:module';
import { loadBundledSpec } from '@longrun/openapi';
import { describe, expect, it } from 'vitest';
import { discriminatedUnion, rewriteDiscriminatedUnions } from './validator-schemas.ts';

// The Ajv the validator uses (a dependency of express-openapi-validator, not of the server).
const { default: Ajv2020 } = createRequire(import.meta.resolve('express-openapi-validator'))('ajv/dist/2020') as {
  default: new (
    options: object,
  ) => {
    addSchema(schema: object): void;
    compile(schema: object): (data: unknown) => boolean;
  };
};

const branch = (kind: string) => ({
  allOf: [
    { $ref: '#/components/schemas/Base' },
    { type: 'object', required: ['kind'], properties: { kind: { type: 'string', const: kind } } },
  ],
});

function specWith(union: Record<string, unknown>) {
  return {
    components: {
      schemas: {
        Base: {
          type: 'object',
          required: ['id', 'kind'],
          properties: { id: { type: 'string' }, kind: { type: 'string' } },
        },
        A: branch('a'),
        B: branch('b'),
        Union: union,
      },
    },
  };
}

const union = {
  description: 'either',
  oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }],
  discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A', b: '#/components/schemas/B' } },
};

describe('discriminatedUnion', () => {
  it('tests the discriminator once per branch and validates only the branch it names', () => {
    expect(discriminatedUnion(specWith(union), union)).toEqual({
      description: 'either',
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['a', 'b'] } },
      allOf: [
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
        { if: { properties: { kind: { const: 'a' } } }, then: { $ref: '#/components/schemas/A' } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
        { if: { properties: { kind: { const: 'b' } } }, then: { $ref: '#/components/schemas/B' } },
      ],
    });
  });

  it('leaves a union alone when a branch does not pin its mapping key', () => {
    const loose = {
      ...union,
      discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/B', b: '#/components/schemas/A' } },
    };
    expect(discriminatedUnion(specWith(loose), loose)).toBeUndefined();
  });

  it('leaves a union alone when a branch is missing from the mapping', () => {
    const partial = { ...union, discriminator: { propertyName: 'kind', mapping: { a: '#/components/schemas/A' } } };
    expect(discriminatedUnion(specWith(partial), partial)).toBeUndefined();
  });

  it('leaves a oneOf without a discriminator alone', () => {
    const plain = { oneOf: union.oneOf };
    expect(discriminatedUnion(specWith(plain), plain)).toBeUndefined();
  });
});

describe('rewriteDiscriminatedUnions on the longrun spec', () => {
  it('rewrites AnyMonitor, and the rewrite accepts and refuses exactly what the oneOf does', async () => {
    const original = await loadBundledSpec();
    const rewritten = await loadBundledSpec();
    expect(rewriteDiscriminatedUnions(rewritten)).toContain('AnyMonitor');

    const validatorFor = (spec: Record<string, unknown>) => {
      const ajv = new Ajv2020({ strict: false, allErrors: false, logger: false });
      ajv.addSchema({ ...spec, $id: 'spec' });
      return ajv.compile({ $ref: 'spec#/components/schemas/AnyMonitor' });
    };
    const before = validatorFor(original);
    const after = validatorFor(rewritten);
    const monitor = (kind: string, extra: Record<string, unknown> = {}) => ({
      id: 'op_01m81ttttj6nxqea2sgcsa6xfd',
      kind,
      state: 'succeeded',
      progress: { percent: 100 },
      estimatedCompletionAt: null,
      steps: [{ name: 'probe', state: 'succeeded' }],
      request: { method: 'POST', path: '/transcodes' },
      cancelRequested: false,
      createdAt: '2026-11-22T14:33:46.578Z',
      updatedAt: '2026-11-22T14:33:46.779Z',
      startedAt: '2026-11-22T14:33:46.579Z',
      finishedAt: '2026-11-22T14:33:47.579Z',
      links: { self: { href: '/monitors/op_01m81ttttj6nxqea2sgcsa6xfd' } },
      ...extra,
    });
    const samples: unknown[] = [
      monitor('transcode'),
      monitor('car.create'),
      monitor('reindex', { result: { documents: 'many' } }),
      monitor('car.read', { result: 42 }),
      monitor('no-such-kind'),
      monitor('transcode', { state: 'exploded' }),
      { ...monitor('transcode'), kind: undefined },
      'transcode',
      null,
    ];
    for (const sample of samples) expect(after(sample)).toBe(before(sample));
    expect(samples.filter((sample) => after(sample))).toHaveLength(2);
  });
});
