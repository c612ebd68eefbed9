/**
 * Shared test scaffolding for the operations tests: a real SQLite store in a temp dir, an engine
 * on hand-driven time, and small promise tools. Not part of the public API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type EngineConfig, type OperationEngine } from '../operations/engine.ts';
import { createManualTime, type ManualTime } from '../operations/manual-time.ts';
import type { OperationRecord, StoredRequest } from '../operations/model.ts';
import type { OperationStore } from '../operations/ports/index.ts';
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts';

/** The tenant tests act as. */
export const TENANT = 'tenant-a';

/** A request to echo on accepted operations. */
export const REQUEST: StoredRequest = { method: 'POST', path: '/things', body: { n: 1 } };

/** A real SQLite store in a fresh temp dir; `dispose` closes it and removes the dir. */
export async function openTempStore(): Promise<{ store: OperationStore; dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'longrun-ops-'));
  const store = await createSqliteStore({ dataDir: dir });
  return {
    store,
    dir,
    async dispose() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A started engine on `store` with hand-driven time; stop it with `engine.stop()`. */
export async function startEngine(
  store: OperationStore,
  config: Omit<EngineConfig, 'store'>,
  time: ManualTime = createManualTime(),
): Promise<{ engine: OperationEngine; time: ManualTime }> {
  const engine = createEngine({ clock: time, timers: time, ...config, store });
  await engine.start();
  return { engine, time };
}

/**
 * Waits (on published changes, no sleeping) until the operation satisfies `predicate`; returns
 * that record. Fails the test by its timeout if it never does.
 */
export async function waitUntil(
  engine: OperationEngine,
  id: string,
  predicate: (record: OperationRecord) => boolean,
  tenant = TENANT,
): Promise<OperationRecord> {
  let record = await engine.get(tenant, id);
  while (record && !predicate(record)) {
    // The timeout is on the engine's manual timers, so it only ends by a change.
    record = await engine.waitForChange(tenant, id, record.version, 3_600_000);
  }
  if (!record) throw new Error(`operation ${id} does not exist`);
  return record;
}

/** A promise with its resolve and reject exposed (a gate a handler waits at). */
export interface Gate<T = void> {
  readonly promise: Promise<T>;
  open(value: T): void;
  fail(reason: unknown): void;
}

/** A new closed {@link Gate}. */
export function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void;
  let fail!: (reason: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}
