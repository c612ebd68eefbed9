import { describe, expect, it } from 'vitest';
import { pairedRatios, quantile, summarise } from './stats.ts';

describe('summarise', () => {
  it('gives the median, the extremes and the quartiles of the rounds', () => {
    expect(summarise([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, q1: 1.5, q3: 2.5, n: 3 });
  });

  it('takes the mean of the two middle rounds for an even count', () => {
    expect(summarise([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('leaves out rounds that measured nothing', () => {
    expect(summarise([1, Number.NaN, 3])).toMatchObject({ median: 2, n: 2 });
  });

  it('says NaN, not zero, when there is nothing to summarise', () => {
    expect(summarise([])).toMatchObject({ median: Number.NaN, n: 0 });
  });
});

describe('quantile', () => {
  it('interpolates between closest ranks', () => {
    expect(quantile([10, 20, 30, 40, 50], 0.99)).toBeCloseTo(49.6);
  });
});

describe('pairedRatios', () => {
  it('divides round by round', () => {
    expect(pairedRatios([2, 9], [4, 3])).toEqual([0.5, 3]);
  });
});
