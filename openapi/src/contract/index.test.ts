import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';

describe('the contract module', () => {
  test('imports no Node module, so it runs in a browser', async () => {
    const dir = new URL('./', import.meta.url);
    const sources = (await readdir(dir)).filter((file) => file.endsWith('.ts') && !file.includes('.test'));
    expect(sources.length).toBeGreaterThan(0);
    for (const file of sources) {
      const text = await readFile(new URL(file, dir), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
      for (const specifier of imports)
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(/^node:|^(fs|path|url|stream|http)$/);
    }
  });
});
