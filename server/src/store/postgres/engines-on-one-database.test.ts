/**
 * Two engines on one PostgreSQL database, as an API-only and a worker process would run: what one
 * does reaches the other through LISTEN/NOTIFY. Both run on hand-driven time that never moves, so
 * no runner poll, lease renewal or wait timeout can explain a wake-up: only a notification can.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/postgres.ts';
import type { OperationContext } from '../../operations/context.ts';
import type { OperationEngine } from '../../operations/engine.ts';
import { defineKind } from '../../operations/kind.ts';
import { gate, REQUEST, startEngine, TENANT, waitUntil } from '../../testing/engine-harness.ts';
import { connectClient } from './database-admin.ts';
import { createPostgresStore, type PostgresOperationStore } from './postgres-store.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

/** What the worker's handler went through, for the test to wait on. */
interface Run {
  started: ReturnType<typeof gate<OperationContext>>;
  finish: ReturnType<typeof gate<void>>;
  abortedWith: ReturnType<typeof gate<unknown>>;
  confirmed: ReturnType<typeof gate<unknown>>;
}

let run: Run;

const build = defineKind<{ needsConfirmation?: boolean }, never, { built: true }>({
  name: 'thing.build',
  steps: [{ name: 'confirm' }],
  async run(input, ctx) {
    ctx.signal.addEventListener('abort', () => run.abortedWith.open(ctx.signal.reason), { once: true });
    run.started.open(ctx);
    if (input.needsConfirmation) {
      const payload = await ctx.awaitAction('confirm', {
        step: 'confirm',
        action: { method: 'POST', path: '/confirm' },
      });
      run.confirmed.open(payload);
    }
    await Promise.race([
      run.finish.promise,
      new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true })),
    ]);
    return { result: { built: true } };
  },
});

describe('engines on one PostgreSQL database', () => {
  const stops: (() => Promise<void>)[] = [];
  let api: OperationEngine;
  let worker: OperationEngine;

  afterEach(async () => {
    run.finish.open();
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  async function store(): Promise<PostgresOperationStore> {
    const opened = await createPostgresStore({ connectionString: db.url });
    stops.push(() => opened.close());
    return opened;
  }

  async function twoInstances(): Promise<void> {
    run = { started: gate(), finish: gate(), abortedWith: gate(), confirmed: gate() };
    const client = await connectClient(db.url);
    await client.query('TRUNCATE operations, idempotency_keys, resources').catch(() => undefined);
    await client.end();
    const apiStore = await store();
    const workerStore = await store();
    ({ engine: api } = await startEngine(apiStore, {
      kinds: [build],
      runWorker: false,
      changeSource: apiStore.changeSource(),
    }));
    stops.push(() => api.stop());
    ({ engine: worker } = await startEngine(workerStore, {
      kinds: [build],
      changeSource: workerStore.changeSource(),
    }));
    stops.push(() => worker.stop({ timeoutMs: 0 }));
  }

  /** Accepts a build on the API instance. */
  async function accept(input: { needsConfirmation?: boolean } = {}) {
    const accepted = await api.accept({ tenant: TENANT, kind: build.name, input, request: REQUEST });
    if (accepted.outcome !== 'created') throw new Error('expected a new operation');
    return accepted;
  }

  it('runs work accepted by the API instance on the worker instance at once, and the API sees it end', async () => {
    await twoInstances();
    const accepted = await accept();
    const ctx = await run.started.promise;
    expect(ctx.operationId).toBe(accepted.operation.id);
    const running = await waitUntil(api, accepted.operation.id, (record) => record.state === 'running');
    const ended = api.waitForChange(TENANT, running.id, running.version, 3_600_000);
    run.finish.open();
    expect(await ended).toMatchObject({ state: 'succeeded', result: { built: true }, attempts: 1 });
  });

  it("aborts the worker's handler at once when the API instance is asked to cancel", async () => {
    await twoInstances();
    const accepted = await accept();
    await run.started.promise;
    await waitUntil(api, accepted.operation.id, (record) => record.state === 'running');
    expect((await api.cancel(TENANT, accepted.operation.id))?.outcome).toBe('requested');
    expect(await run.abortedWith.promise).toMatchObject({ name: 'AbortError' });
    const ended = await waitUntil(api, accepted.operation.id, (record) => record.state !== 'running');
    expect(ended).toMatchObject({ state: 'cancelled', result: null, product: null });
  });

  it('resumes a handler waiting on the worker when the action is delivered through the API instance', async () => {
    await twoInstances();
    const accepted = await accept({ needsConfirmation: true });
    await waitUntil(api, accepted.operation.id, (record) => record.steps.some((step) => step.state === 'waiting'));
    expect((await api.deliverAction(TENANT, accepted.operation.id, 'confirm', { by: 'warehouse' }))?.outcome).toBe(
      'delivered',
    );
    expect(await run.confirmed.promise).toStrictEqual({ by: 'warehouse' });
  });
});
