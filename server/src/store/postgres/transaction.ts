/**
 * Running work in one PostgreSQL transaction on one pooled connection: what every multi-statement
 * write of the PostgreSQL adapters goes through. Also where a lost connection becomes the core's
 * {@link StoreUnavailableError} instead of an unhandled `'error'` event that would end the process.
 */
import type { Pool, PoolClient } from 'pg';
import { StoreUnavailableError } from '../../operations/errors.ts';

/**
 * SQLSTATEs that mean the connection, not the statement, failed: class 08 (connection exception),
 * the server shutting down or ending the session (57P01–57P03), a transaction idle too long
 * (25P03) and no connection slots left (53300).
 */
const CONNECTION_LOST_STATES = /^(08...|57P0[123]|25P03|53300)$/;

/** Messages of node-postgres and Node for a connection that ended or could not be opened. */
const CONNECTION_LOST_MESSAGES =
  /Connection terminated|Client was closed|Client has encountered a connection error|timeout exceeded when trying to connect|is not currently accepting connections|ECONNREFUSED|ECONNRESET|EPIPE/;

/** Whether `error` says the connection to PostgreSQL was lost (rather than a statement failing). */
export function isConnectionLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_LOST_STATES.test(code) || /^E(CONNREFUSED|CONNRESET|PIPE)$/.test(code))) {
    return true;
  }
  return CONNECTION_LOST_MESSAGES.test(error.message);
}

/** `error` as the core's {@link StoreUnavailableError} when it is a lost connection; otherwise itself. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isConnectionLost(error)) return error;
  return new StoreUnavailableError(`PostgreSQL connection lost: ${(error as Error).message}`, { cause: error });
}

/**
 * Makes `pool.query` reject with {@link StoreUnavailableError} on a lost connection, so every
 * single-statement read and write of an adapter on `pool` reports it as the transactions do.
 */
export function guardPoolQueries(pool: Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  // Only the promise form is used by the adapters; a callback call is passed through untouched.
  pool.query = ((...args: unknown[]) => {
    if (typeof args.at(-1) === 'function') return query(...args);
    return query(...args).catch((error: unknown) => {
      throw toStoreError(error);
    });
  }) as Pool['query'];
}

/** What is known of a checked-out connection: the error that broke it, if one did. */
interface Connection {
  broken?: Error;
}

/**
 * Runs `work` on one checked-out connection of `pool` and releases it, destroying it when it broke.
 * The pool listens for errors only on idle connections: one that fails while checked out and
 * between statements (the server ends an idle transaction with 25P03, or is restarted) emits
 * 'error' with nobody listening, which would end the process.
 */
async function onConnection<T>(
  pool: Pool,
  work: (client: PoolClient, connection: Connection) => Promise<T>,
): Promise<T> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw toStoreError(error);
  }
  const connection: Connection = {};
  const onError = (error: Error): void => {
    connection.broken ??= error;
  };
  client.on('error', onError);
  try {
    return await work(client, connection);
  } finally {
    client.removeListener('error', onError);
    client.release(connection.broken);
  }
}

/**
 * Runs `work` on one connection of `pool` outside a transaction, with the same care as
 * {@link inTransaction}: a connection that fails while checked out is destroyed, and a lost
 * connection rejects with {@link StoreUnavailableError}.
 */
export function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return onConnection(pool, async (client) => {
    try {
      return await work(client);
    } catch (error) {
      throw toStoreError(error);
    }
  });
}

/**
 * Runs `work` between `BEGIN` and `COMMIT` on one connection of `pool`; rolls back and rejects when
 * it throws. A connection whose rollback fails, or that failed while checked out, is destroyed
 * instead of going back to the pool. A lost connection rejects with {@link StoreUnavailableError}.
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return onConnection(pool, async (client, connection) => {
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection itself failed: the pool must not hand it out again.
        connection.broken ??= rollbackError as Error;
      }
      const { broken } = connection;
      throw toStoreError(broken !== undefined && !isConnectionLost(error) ? broken : error);
    }
  });
}
