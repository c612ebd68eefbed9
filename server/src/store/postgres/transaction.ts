/**
 * Running work in one PostgreSQL transaction on one pooled connection: what every multi-statement
 * write of the PostgreSQL adapters goes through.
 */
import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` between `BEGIN` and `COMMIT` on one connection of `pool`; rolls back and rejects when
 * it throws. A connection whose rollback fails is destroyed instead of going back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
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
      broken = rollbackError as Error;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
