import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createClient, waitFor } from '@longrun/client';
import type { AsyncKinds, paths } from '../src/generated/index.ts';
import { startWordCounts } from '../src/word-counts.ts';

test('a word count is accepted at once and its monitor ends with the count', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'word-counts-'));
  const server = await startWordCounts({ dataDir, apiKeys: 'tests:test-key', logger: false });
  try {
    const { url } = await server.listen(0);
    const client = createClient<paths, AsyncKinds>({ baseUrl: url, apiKey: 'test-key' });
    const accepted = await client.POST('/word-counts', { body: { text: 'hello long running world' } });
    assert.equal(accepted.response.status, 202);
    const count = await waitFor(client, accepted, { timeoutMs: 10_000 });
    assert.deepEqual(count, { words: 4 });
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
