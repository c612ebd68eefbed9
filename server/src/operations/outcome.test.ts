import { describe, expect, it } from 'vitest';
import type { StoredStep } from './model.ts';
import { cancelledWrite, failedWrite, InvalidOutcomeError, succeededWrite } from './outcome.ts';
import { OPERATION_PROBLEMS } from './problems.ts';

const steps: StoredStep[] = [
  { name: 'build', state: 'succeeded' },
  { name: 'paint', state: 'running' },
];

describe('succeededWrite', () => {
  it('links and stores the product, at 100 % with no ETA', () => {
    const write = succeededWrite(
      { product: { collection: 'cars', id: 'car_1', href: '/cars/car_1', title: 'Your car', body: { make: 'Volvo' } } },
      steps,
    );
    expect(write.patch).toEqual({
      state: 'succeeded',
      progress: { percent: 100 },
      estimatedCompletionAt: null,
      steps: [
        { name: 'build', state: 'succeeded' },
        { name: 'paint', state: 'succeeded' },
      ],
      product: { rel: 'product', href: '/cars/car_1', title: 'Your car' },
    });
    expect(write.resources).toEqual([{ collection: 'cars', id: 'car_1', body: { make: 'Volvo' } }]);
  });

  it('links related resources and stores those that carry one', () => {
    const write = succeededWrite(
      {
        related: [
          { rel: 'invoice', href: '/invoices/9', resource: { collection: 'invoices', id: '9', body: { total: 12 } } },
          { rel: 'widget', href: 'https://elsewhere.example/widgets/1' },
        ],
      },
      [],
    );
    expect(write.patch.related).toEqual([
      { rel: 'invoice', href: '/invoices/9' },
      { rel: 'widget', href: 'https://elsewhere.example/widgets/1' },
    ]);
    expect(write.patch.product).toBeUndefined();
    expect(write.resources).toEqual([{ collection: 'invoices', id: '9', body: { total: 12 } }]);
  });

  it('keeps an inline result', () => {
    expect(succeededWrite({ result: { rows: 3 } }, []).patch.result).toEqual({ rows: 3 });
  });

  it('takes nothing returned as no product and no result', () => {
    const write = succeededWrite(undefined, []);
    expect(write.patch).not.toHaveProperty('product');
    expect(write.patch).not.toHaveProperty('result');
    expect(write.resources).toEqual([]);
  });

  it.each([
    ['a string', 'done'],
    ['a product without an href', { product: { collection: 'cars', id: '1', body: {} } }],
    ['a product whose body is not an object', { product: { collection: 'cars', id: '1', href: '/cars/1', body: [] } }],
    ['a product and a result', { product: { collection: 'cars', id: '1', href: '/cars/1', body: {} }, result: 1 }],
    ['related that is not a list', { related: { rel: 'x', href: '/x' } }],
    ['a related link without a rel', { related: [{ href: '/x' }] }],
  ])('refuses %s', (_what, outcome) => {
    expect(() => succeededWrite(outcome, [])).toThrow(InvalidOutcomeError);
  });
});

describe('failedWrite and cancelledWrite', () => {
  it('fail with the problem, closing open steps as failed', () => {
    const problem = { ...OPERATION_PROBLEMS.operationFailed, detail: 'boom' };
    expect(failedWrite(problem, steps)).toEqual({
      patch: {
        state: 'failed',
        error: problem,
        estimatedCompletionAt: null,
        steps: [
          { name: 'build', state: 'succeeded' },
          { name: 'paint', state: 'failed' },
        ],
      },
      resources: [],
    });
  });

  it('cancel with no product, closing open steps as skipped', () => {
    const write = cancelledWrite(steps);
    expect(write.patch.state).toBe('cancelled');
    expect(write.patch.steps?.[1]?.state).toBe('skipped');
    expect(write.patch).not.toHaveProperty('product');
    expect(write.resources).toEqual([]);
  });
});
