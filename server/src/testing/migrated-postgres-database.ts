/**
 * Test support: a fresh PostgreSQL database for one test file, migrated once, whose tables are
 * emptied before each store a test opens.
 */
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/postgres.ts';
import { connectClient } from '../store/postgres/database-admin.ts';
import { createPostgresStore, type PostgresOperationStore } from '../store/postgres/postgres-store.ts';

/** The database of a test file, ready once its `beforeAll` ran. */
export interface MigratedTestDatabase {
  /** Its connection string. */
  readonly url: string;
  /** A new store on it, after truncating `tables`. */
  emptyStore(): Promise<PostgresOperationStore>;
}

/**
 * Registers `beforeAll`/`afterAll` hooks that create (and migrate) a database and drop it after
 * the file; `tables` are truncated before each {@link MigratedTestDatabase.emptyStore}.
 */
export function useMigratedTestDatabase(tables: readonly string[]): MigratedTestDatabase {
  let db: TestDatabase | undefined;
  let admin: pg.Client | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    // Migrated once; each test then starts from empty tables.
    await (await createPostgresStore({ connectionString: db.url })).close();
    admin = await connectClient(db.url);
  });
  afterAll(async () => {
    await admin?.end();
    await db?.drop();
  });
  const ready = () => {
    if (db === undefined || admin === undefined) throw new Error('the test database is made in beforeAll');
    return { db, admin };
  };
  return {
    get url() {
      return ready().db.url;
    },
    async emptyStore() {
      const { db: database, admin: client } = ready();
      await client.query(`TRUNCATE ${tables.join(', ')}`);
      return createPostgresStore({ connectionString: database.url });
    },
  };
}
