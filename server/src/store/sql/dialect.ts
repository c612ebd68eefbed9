/**
 * The dialect seam of the SQL store adapters: the only ways SQLite (better-sqlite3) and PostgreSQL
 * (node-postgres) differ in the values they bind and read back. The row mappings in this folder
 * are written once against it; each adapter passes its dialect.
 *
 * - JSON columns: SQLite holds JSON text; node-postgres parses `json` columns itself.
 * - Instants: SQLite holds ISO 8601 text; node-postgres turns `timestamptz` into `Date`.
 * - Booleans: SQLite has none and holds 0 or 1; PostgreSQL has `boolean`.
 * - Text lists (a subscription's event types): SQLite holds JSON text; PostgreSQL a `text[]`.
 */

/** A value a driver reads back from an instant column. */
export type SqlInstant = string | Date;

/** The value conversions of one SQL dialect. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The value a JSON column read back holds. */
  readJson(value: unknown): unknown;
  /** The value to bind for a boolean. */
  writeBoolean(value: boolean): number | boolean;
  /** A boolean column read back. */
  readBoolean(value: unknown): boolean;
  /** A text-list column read back. */
  readTextList(value: unknown): string[];
}

/** better-sqlite3: JSON and lists as text, booleans as 0/1, instants as ISO 8601 text. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  readJson: (value) => JSON.parse(value as string),
  writeBoolean: (value) => (value ? 1 : 0),
  readBoolean: (value) => value === 1,
  readTextList: (value) => JSON.parse(value as string) as string[],
};

/** node-postgres: `json` parsed by the driver, `boolean`, `text[]`, `timestamptz` as `Date`. */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  readJson: (value) => value,
  writeBoolean: (value) => value,
  readBoolean: (value) => value === true,
  readTextList: (value) => value as string[],
};

/** JSON text of a value to bind; `undefined` (no JSON form) is stored as `null`. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** An instant column read back, as `Date#toISOString()` text (SQLite's is stored in that form). */
export function readInstant(value: SqlInstant): string {
  return typeof value === 'string' ? value : value.toISOString();
}

/** A nullable instant column read back. */
export function readInstantOrNull(value: SqlInstant | null): string | null {
  return value === null ? null : readInstant(value);
}
