/**
 * The refusal both store adapters give a database migrated by a newer release: an older release
 * does not know what the newer schema means, so it must not read or write it.
 */
import { LongrunServerError } from '../../operations/longrun-server-error.ts';

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
