import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedRecord } from '../../operations/transitions.ts';
import { createCommand } from '../../testing/store-fixtures.ts';
import { storedOf } from './operation-row.ts';
import { RecordCache } from './record-cache.ts';

describe('RecordCache', () => {
  const db = new BetterSqlite3(':memory:');
  afterEach(() => undefined);

  it('holds at most its bound', () => {
    const cache = new RecordCache(db, 8);
    const stored = Array.from({ length: 50 }, (_, i) => storedOf(acceptedRecord(createCommand({ at: i }).operation)));
    for (const entry of stored) cache.remember(entry);
    expect(cache.size).toBeLessThanOrEqual(8);
    // The newest are kept.
    expect(cache.get(stored[49]?.record.id ?? '')).toBe(stored[49]);
  });

  it('keeps nothing with a bound of 0', () => {
    const cache = new RecordCache(db, 0);
    const entry = storedOf(acceptedRecord(createCommand().operation));
    cache.remember(entry);
    expect(cache.get(entry.record.id)).toBeUndefined();
  });
});
