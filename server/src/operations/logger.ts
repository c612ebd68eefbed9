/**
 * The logging the operations layer needs: a pino logger fits it as is.
 */

/** A structured logger: fields first, then a message (pino's calling convention). */
export interface OperationLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const ignore = (): void => {};

/** A logger that drops everything: the default when none is given. */
export const silentLogger: OperationLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
