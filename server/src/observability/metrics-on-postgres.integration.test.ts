/**
 * The queue gauges on PostgreSQL: an API-only process, whose work waits for a worker elsewhere,
 * reports the depth and age of the queue shared by every process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

let db: TestDatabase;
let api: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startTestServer({ databaseUrl: db.url, role: 'api' });
});

afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

describe('/metrics of an API process on PostgreSQL', { timeout: 60_000 }, () => {
  it('counts the work queued for the workers, and its age', async () => {
    for (const color of ['Blue', 'Red']) {
      const response = await fetch(`${api.url}/cars`, {
        method: 'POST',
        headers: api.headers(),
        body: JSON.stringify({ brand: 'Ford', make: 'Mustang', model: 2014, color }),
      });
      expect(response.status).toBe(202);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toMatch(/^longrun_queue_depth 2$/m);
    expect(text).toMatch(/^longrun_operations_running 0$/m);
    const age = Number(/^longrun_queue_oldest_age_seconds (\S+)$/m.exec(text)?.[1]);
    expect(age).toBeGreaterThan(0);
    expect(text).toMatch(/^longrun_operations_accepted_total\{kind="car.create"\} 2$/m);
  });
});
