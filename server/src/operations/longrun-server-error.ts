/**
 * The one base class of the errors the server throws, so a caller can tell them apart by a stable
 * `code` instead of by message text, as the client's errors do.
 */

/**
 * An error of the longrun server. `code` is stable across releases (kebab-case, e.g.
 * `illegal-transition`, `schema-too-new`, or a problem name such as `not-found` for an
 * `HttpProblem`); `name` is the class name; `message` is for people and may change.
 *
 * @example
 * try { await createSqliteStore({ dataDir }); }
 * catch (error) { if (error instanceof LongrunServerError && error.code === 'schema-too-new') upgrade(); }
 */
export abstract class LongrunServerError extends Error {
  /** The stable machine-readable code of this error. */
  abstract readonly code: string;
}
