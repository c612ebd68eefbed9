import { describe, expect, it } from 'vitest';
import { defineKind, indexKinds } from './kind.ts';

const run = async () => ({});

describe('defineKind', () => {
  it('returns the definition it was given', () => {
    const definition = { name: 'car.create', steps: [{ name: 'chassis' }], run };
    expect(defineKind(definition)).toBe(definition);
  });

  it.each(['Car.create', 'car.', '.create', 'car..create', 'car create', 'car.create!', '1car'])(
    'refuses the name %j',
    (name) => {
      expect(() => defineKind({ name, run })).toThrow(RangeError);
    },
  );

  it.each(['reindex', 'car.create', 'virtual-machine.create', 'widget-order.fulfil', 'a.b.c'])(
    'accepts the name %j',
    (name) => {
      expect(defineKind({ name, run }).name).toBe(name);
    },
  );

  it('refuses a step named twice or not at all', () => {
    expect(() => defineKind({ name: 'car.create', steps: [{ name: 'paint' }, { name: 'paint' }], run })).toThrow(
      /repeats step paint/,
    );
    expect(() => defineKind({ name: 'car.create', steps: [{ name: '' }], run })).toThrow(/without a name/);
  });
});

describe('indexKinds', () => {
  it('finds kinds by name', () => {
    const car = defineKind({ name: 'car.create', run });
    const reindex = defineKind({ name: 'reindex.run', run });
    const kinds = indexKinds([car, reindex]);
    expect(kinds.get('car.create')).toBe(car);
    expect([...kinds.keys()]).toEqual(['car.create', 'reindex.run']);
  });

  it('refuses two kinds with one name', () => {
    expect(() =>
      indexKinds([defineKind({ name: 'car.create', run }), defineKind({ name: 'car.create', run })]),
    ).toThrow(/two kinds are named car.create/);
  });
});
