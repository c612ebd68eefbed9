import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeOutboxConformance, describeWebhookStoreConformance } from '@longrun/server/testing';
import { createSqliteStore } from './sqlite-store.ts';

describeWebhookStoreConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-sqlite-webhooks-'));
  const store = await createSqliteStore({ dataDir: dir });
  return {
    store: store.webhooks,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeOutboxConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-sqlite-outbox-'));
  const store = await createSqliteStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
