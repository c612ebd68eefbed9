/**
 * Transaction-scoped advisory locks on names: how the PostgreSQL adapters serialize work on
 * something that is not (yet) a row, such as an idempotency key, a tenant's subscription count or
 * an operation's push messages.
 *
 * @see https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';

/**
 * The 64-bit advisory lock key of a (namespace, tenant, key) triple: the first 8 bytes of its
 * sha256. Two different triples sharing a key only serialize more than needed.
 */
export function advisoryKey(namespace: string, tenant: string, key: string): bigint {
  return createHash('sha256')
    .update(JSON.stringify([namespace, tenant, key]))
    .digest()
    .readBigInt64BE(0);
}

/**
 * Takes the advisory lock `key` until the current transaction of `client` ends, waiting for
 * another transaction holding it to end first.
 */
export async function lockUntilCommit(client: ClientBase, key: bigint): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.toString()]);
}
