import { describe, expect, it } from 'vitest';
import { monitorEtag } from './headers.ts';

describe('monitor entity tags', () => {
  it('change with the version', () => {
    expect(monitorEtag({ id: 'op_1', version: 3 })).toBe('"op_1.3"');
    expect(monitorEtag({ id: 'op_1', version: 4 })).not.toBe(monitorEtag({ id: 'op_1', version: 3 }));
  });
});
