/**
 * The columns of the `operations` table, in table order: the one table shape every adapter
 * stores an {@link OperationRecord} in (each maps its own column types).
 */
import type { OperationRecord } from '../../operations/model.ts';

/** Every column of `operations`, in table order (a snake_case name per {@link OperationRecord} field). */
export const OPERATION_COLUMNS = [
  'id',
  'tenant',
  'kind',
  'state',
  'version',
  'input',
  'request',
  'progress',
  'steps',
  'estimated_completion_at',
  'result',
  'product',
  'related',
  'error',
  'cancel_requested',
  'lock_key',
  'callback_url',
  'actions',
  'attempts',
  'lease_owner',
  'lease_expires_at',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
] as const;

/** One column of `operations`. */
export type OperationColumn = (typeof OPERATION_COLUMNS)[number];

/**
 * The columns an ending changes (`patchedRecord` with a terminal state touches nothing else): a
 * worker's patch, the version, the lease it clears, and the times. An adapter that writes an ending
 * without reading the row first (see `endingFromSeen`) writes these; on SQLite, assigning only
 * these also leaves the indexes over the others alone (an UPDATE maintains an index when it assigns
 * one of its columns, whether or not the value changed).
 */
export const ENDING_COLUMNS = [
  'state',
  'version',
  'progress',
  'steps',
  'estimated_completion_at',
  'result',
  'product',
  'related',
  'error',
  'lease_owner',
  'lease_expires_at',
  'updated_at',
  'finished_at',
] as const satisfies readonly OperationColumn[];

// Every record field has its column (camelCase ↔ snake_case), checked at compile time.
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;
type MissingColumn = Exclude<SnakeCase<keyof OperationRecord & string>, OperationColumn>;
type EveryFieldHasAColumn = [MissingColumn] extends [never] ? true : MissingColumn;
/** Compiles only while every record field has its column; a missing one is named in the error. */
export const EVERY_FIELD_HAS_A_COLUMN: EveryFieldHasAColumn = true;
