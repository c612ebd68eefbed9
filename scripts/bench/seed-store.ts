/**
 * Seeds a SQLite data directory with stored operations straight through the store's own row
 * mapping (`toRow`) and schema (`openDatabase` migrates), in large transactions: a million rows in
 * well under a minute, where a million `POST`s would take many. Not measured.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newOperationId } from '../../server/src/operations/ids.ts';
import type { OperationRecord } from '../../server/src/operations/model.ts';
import { openDatabase } from '../../server/src/store/sqlite/open-database.ts';
import { OPERATION_COLUMNS, toRow } from '../../server/src/store/sqlite/operation-row.ts';
import { DATABASE_FILENAME } from '../../server/src/store/sqlite/sqlite-store.ts';
import { BENCH_TENANT } from './longrun-env.ts';
import { TRANSCODE_BODY } from './monitor-fixture.ts';

/** What to seed. */
export interface SeedOptions {
  dataDir: string;
  count: number;
  /** `succeeded` (finished within the last 23 hours, inside retention) or `queued` (still waiting). */
  state: 'succeeded' | 'queued';
  /** How many of the ids to hand back, drawn evenly across the whole range. @default 10_000 */
  sampleSize?: number;
}

const STEP_TITLES = [
  ['probe', 'Probe the source'],
  ['encode', 'Encode'],
  ['package', 'Package the product'],
] as const;

/** Writes `count` transcode operations of tenant `bench`; returns a sample of their ids and the file. */
export function seedOperations(options: SeedOptions): { ids: string[]; filename: string } {
  const filename = join(options.dataDir, DATABASE_FILENAME);
  const db = openDatabase(filename);
  try {
    // Seeding only: the file is closed (and fsynced) before any server opens it.
    db.pragma('synchronous = OFF');
    const insert = db.prepare(
      `INSERT INTO operations (${OPERATION_COLUMNS.join(', ')}) VALUES (${OPERATION_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    const sampleSize = Math.min(options.sampleSize ?? 10_000, options.count);
    const every = options.count / sampleSize;
    const ids: string[] = [];
    const now = Date.now();
    const span = 23 * 3_600_000;
    const batch = db.transaction((from: number, to: number) => {
      for (let index = from; index < to; index++) {
        const created = now - span + Math.floor((index * span) / options.count);
        const record = operation(newOperationId(created), created, options.state);
        insert.run(toRow(record));
        if (ids.length < sampleSize && index >= ids.length * every) ids.push(record.id);
      }
    });
    for (let from = 0; from < options.count; from += 50_000) batch(from, Math.min(options.count, from + 50_000));
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { ids, filename };
  } finally {
    db.close();
  }
}

function operation(id: string, created: number, state: SeedOptions['state']): OperationRecord {
  const at = (ms: number) => new Date(created + ms).toISOString();
  const done = state === 'succeeded';
  return {
    id,
    tenant: BENCH_TENANT,
    kind: 'transcode',
    state,
    version: done ? 9 : 1,
    input: TRANSCODE_BODY,
    request: { method: 'POST', path: '/transcodes', body: TRANSCODE_BODY },
    progress: { percent: done ? 100 : 0 },
    steps: STEP_TITLES.map(([name, title]) => ({ name, title, state: done ? 'succeeded' : 'pending' })),
    estimatedCompletionAt: done ? null : at(3_600_000),
    result: null,
    product: null,
    related: [],
    error: null,
    cancelRequested: false,
    lockKey: null,
    callbackUrl: null,
    actions: {},
    attempts: done ? 1 : 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    createdAt: at(0),
    updatedAt: at(done ? 10_000 : 0),
    startedAt: done ? at(5) : null,
    finishedAt: done ? at(10_000) : null,
  };
}

/**
 * Seeds in a child process: ids are generated monotonically per process, so each store gets a
 * fresh generator (a second store in the same process would have its ids pinned to the last
 * time of the first).
 */
export async function seedInChild(options: SeedOptions): Promise<{ ids: string[]; filename: string }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`seeding exited with ${code}`);
  return JSON.parse(output) as { ids: string[]; filename: string };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(seedOperations(JSON.parse(process.argv[2] as string) as SeedOptions)));
}
