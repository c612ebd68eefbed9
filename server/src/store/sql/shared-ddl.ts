/**
 * The indexes both SQL adapters create, in the same words: the statements they serve do not
 * depend on the dialect. Interpolated into each adapter's migrations (the text each migration
 * runs is unchanged by this: it is the same DDL).
 */

/** The indexes of `operations` (migration 1), after its active-lock backstop's comment. */
export const OPERATION_INDEXES = `      CREATE UNIQUE INDEX operations_active_lock ON operations (tenant, lock_key)
        WHERE lock_key IS NOT NULL AND state IN ('queued', 'running');

      -- claimNext: oldest queued first. Partial, so it holds only the (short) queue.
      CREATE INDEX operations_queue ON operations (created_at, id) WHERE state = 'queued';

      -- listOperations: newest first (ids sort by time), optionally by state or kind.
      CREATE INDEX operations_by_tenant ON operations (tenant, id);
      CREATE INDEX operations_by_tenant_state ON operations (tenant, state, id);
      CREATE INDEX operations_by_tenant_kind ON operations (tenant, kind, id);

      -- recoverExpiredLeases.
      CREATE INDEX operations_leases ON operations (lease_expires_at) WHERE state = 'running';

      -- deleteExpired (retention).
      CREATE INDEX operations_finished ON operations (finished_at) WHERE finished_at IS NOT NULL;
`;

/** The indexes of `webhook_deliveries` (migration 2). */
export const DELIVERY_INDEXES = `      -- claimDeliveries: due first. Partial, so it holds only the (short) queue.
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE state = 'pending';
      -- claimDeliveries and nextDeliveryDueAt: "first in line" per target and operation.
      CREATE INDEX webhook_deliveries_line ON webhook_deliveries (target, operation_id, seq) WHERE state = 'pending';
      -- listDeliveries, and dropping a subscription's queue.
      CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, seq);
      -- A callback that answered 410 (appendMessage), and dropping its queue.
      CREATE INDEX webhook_deliveries_by_operation ON webhook_deliveries (operation_id, target);
      -- deleteFinishedDeliveries (retention).
      CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE finished_at IS NOT NULL;
      CREATE INDEX webhook_deliveries_message ON webhook_deliveries (message_id);
`;
