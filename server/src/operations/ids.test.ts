import { describe, expect, it } from 'vitest';
import { newId, newOperationId } from './ids.ts';

const CROCKFORD = '[0-9a-hjkmnp-tv-z]';

describe('newOperationId', () => {
  it('is op_ and 26 lower-case Crockford base32 characters (URL-safe)', () => {
    expect(newOperationId()).toMatch(new RegExp(`^op_${CROCKFORD}{26}$`));
  });

  it('sorts by creation time as a plain string', () => {
    const times = [Date.UTC(2030, 0, 1), Date.UTC(2030, 0, 1, 0, 0, 1), Date.UTC(2031, 6, 1), Date.UTC(2090, 0, 1)];
    const ids = times.map((t) => newOperationId(new Date(t)));
    expect([...ids].sort()).toStrictEqual(ids);
  });

  it('stays strictly increasing and unique within one millisecond', () => {
    const now = Date.UTC(2099, 0, 1);
    const ids = Array.from({ length: 1000 }, () => newOperationId(now));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toStrictEqual(ids);
  });

  it('stays increasing when the clock steps back', () => {
    const later = newOperationId(Date.UTC(2100, 0, 1, 0, 0, 1));
    const earlier = newOperationId(Date.UTC(2100, 0, 1));
    expect(earlier > later).toBe(true);
  });
});

describe('newId', () => {
  it('takes a lower-case prefix', () => {
    expect(newId('car')).toMatch(new RegExp(`^car_${CROCKFORD}{26}$`));
    expect(() => newId('Car')).toThrow(RangeError);
    expect(() => newId('op_')).toThrow(RangeError);
  });

  it('refuses times it cannot encode', () => {
    expect(() => newId('op', -1)).toThrow(RangeError);
    expect(() => newId('op', 2 ** 48)).toThrow(RangeError);
  });
});
