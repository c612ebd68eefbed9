/**
 * What both SQL adapters' migration runners share: the shape of a versioned migration, the plan
 * of which ones a database lacks, and the refusal of a database migrated by a newer release. Each
 * adapter keeps its own DDL (the dialects' types differ) and its own way to run the plan in one
 * locked transaction.
 */
import { LongrunServerError } from '../../operations/longrun-server-error.ts';

/** One schema step. Released migrations are never edited: a schema change is a new entry at the end. */
export interface Migration {
  /** 1, 2, 3…: the order they apply in. */
  version: number;
  name: string;
  sql: string;
}

/** Thrown when the database was migrated by a newer release than this one. */
export class SchemaTooNewError extends LongrunServerError {
  override readonly name = 'SchemaTooNewError';
  readonly code = 'schema-too-new';
  /** The schema version the database holds. */
  readonly found: number;
  /** The newest schema version this release knows. */
  readonly known: number;
  constructor(found: number, known: number) {
    super(`database schema version ${found} is newer than this release knows (${known}); refusing to use it`);
    this.found = found;
    this.known = known;
  }
}

/**
 * The migrations a database at schema version `current` lacks, oldest first.
 *
 * @throws {SchemaTooNewError} when `current` is newer than every migration this release knows:
 * an older release does not know what the newer schema means, so it must not read or write it.
 */
export function pendingMigrations(migrations: readonly Migration[], current: number): Migration[] {
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > known) throw new SchemaTooNewError(current, known);
  return [...migrations].sort((a, b) => a.version - b.version).filter((migration) => migration.version > current);
}
