/**
 * Applies a worker's report to its operation, through the same store writes and state machine as
 * a local handler's context: steps with `withStep`, endings with the runner's terminal writes,
 * every write fenced by the dispatch's lease, every change published once to the change feed.
 *
 * - Fencing: a report whose token names another attempt than the operation's, or an operation no
 *   longer running, is refused (`stale`); its write would be refused by the store anyway.
 * - At-least-once delivery: a report whose `seq` this process already applied for that token is
 *   ignored (`duplicate`), and so is a second ending.
 * - Reports of one operation are applied one after another, so no step change overwrites another.
 */
import type { ChangeFeed } from '../operations/changes.ts';
import type { OperationLogger } from '../operations/logger.ts';
import type { OperationRecord, StoredStep } from '../operations/model.ts';
import {
  cancelledWrite,
  failedWrite,
  InvalidOutcomeError,
  invalidOutcomeProblem,
  succeededWrite,
  type TerminalWrite,
} from '../operations/outcome.ts';
import type { Clock } from '../operations/ports/clock.ts';
import type { Lease, OperationPatch, OperationStore } from '../operations/ports/operation-store.ts';
import { isTerminal } from '../operations/state.ts';
import { withStep } from '../operations/steps.ts';
import { decodeToken, type ReportMessage } from './protocol.ts';

/** What became of one report. */
export type ApplyOutcome =
  /** Stored (or, for a heartbeat, the lease renewed). */
  | 'applied'
  /** Seen before (redelivered), or a second ending of the same attempt: ignored. */
  | 'duplicate'
  /** From an attempt that no longer owns the operation: refused. */
  | 'stale'
  /** No such operation (deleted after retention, or never created): refused. */
  | 'unknown-operation'
  /** The token was not issued by a longrun API: the message belongs in the dead-letter queue. */
  | 'foreign-token';

/** What a {@link ReportApplier} needs. */
export interface ReportApplierOptions {
  store: OperationStore;
  changes: ChangeFeed;
  clock: Clock;
  logger: OperationLogger;
  /** The lease a worker's reports keep alive; renewed when less than two thirds of it remain. */
  heartbeatLeaseMs: number;
  /** Told when a report arrives for an operation a client asked to cancel (the cancel is re-sent). */
  onCancelRequested(record: OperationRecord, token: string): void;
  /** Told when a step waits for an action that was already delivered (it is re-sent). */
  onActionDelivered(record: OperationRecord, token: string, name: string): void;
}

/** Applies worker reports; see the module comment for the rules. */
export class ReportApplier {
  readonly #options: ReportApplierOptions;
  /** Per operation: the token of its current dispatch and the highest seq applied for it. */
  readonly #applied = new Map<string, { token: string; seq: number }>();
  /** Per operation: the report being applied, so the next waits for it. */
  readonly #chains = new Map<string, Promise<unknown>>();

  constructor(options: ReportApplierOptions) {
    this.#options = options;
  }

  /** Applies `report` after the reports of the same operation received before it. */
  apply(report: ReportMessage): Promise<ApplyOutcome> {
    const previous = this.#chains.get(report.operationId) ?? Promise.resolve();
    const next = previous.then(
      () => this.#apply(report),
      () => this.#apply(report),
    );
    this.#chains.set(report.operationId, next);
    void next
      .catch(() => {})
      .finally(() => {
        if (this.#chains.get(report.operationId) === next) this.#chains.delete(report.operationId);
      });
    return next;
  }

  async #apply(report: ReportMessage): Promise<ApplyOutcome> {
    const { store, clock, changes } = this.#options;
    const claims = decodeToken(report.token);
    if (!claims) return 'foreign-token';
    const record = await store.getOperation(claims.tenant, report.operationId);
    if (!record) return 'unknown-operation';
    if (record.attempts !== claims.attempt) return 'stale';
    if (isTerminal(record.state)) return 'duplicate';
    if (record.state !== 'running' || record.leaseOwner === null) return 'stale';
    const seen = this.#applied.get(record.id);
    if (seen?.token === report.token && report.seq <= seen.seq) return 'duplicate';

    const lease: Lease = { operationId: record.id, owner: record.leaseOwner, attempt: claims.attempt };
    const now = clock.now();
    if (record.cancelRequested) this.#options.onCancelRequested(record, report.token);
    if (this.#needsRenewal(record, report, now)) {
      const held = await store.renewLease(lease, this.#options.heartbeatLeaseMs, now);
      if (!held) return 'stale';
    }
    const write = this.#writeFor(record, report);
    if (write) {
      const updated = await store.updateOperation(
        lease,
        write.patch,
        now,
        write.resources.length > 0 ? write.resources : undefined,
      );
      if (!updated) return 'stale';
      changes.publish(updated);
      if (isTerminal(updated.state)) {
        this.#applied.delete(record.id);
        return 'applied';
      }
    }
    this.#applied.set(record.id, { token: report.token, seq: report.seq });
    return 'applied';
  }

  /**
   * A report keeps the lease alive: renewed when less than two thirds of a heartbeat lease remain,
   * or when more than one remains (the long lease a task has while it waits in the queue is cut
   * to a heartbeat lease once a worker has it). Endings clear the lease instead.
   */
  #needsRenewal(record: OperationRecord, report: ReportMessage, now: Date): boolean {
    if (report.type === 'succeeded' || report.type === 'failed') return false;
    const leaseMs = this.#options.heartbeatLeaseMs;
    const remaining = record.leaseExpiresAt === null ? 0 : Date.parse(record.leaseExpiresAt) - now.getTime();
    return report.type === 'started' || remaining < (leaseMs * 2) / 3 || remaining > leaseMs;
  }

  /** The write a report asks for, or undefined when it only keeps the lease (or changes nothing). */
  #writeFor(record: OperationRecord, report: ReportMessage): TerminalWrite | undefined {
    const steps: readonly StoredStep[] = record.steps;
    switch (report.type) {
      case 'started':
      case 'heartbeat':
        return undefined;
      case 'progress': {
        const patch: OperationPatch = {
          progress:
            report.message === undefined
              ? { percent: report.percent }
              : { percent: report.percent, message: report.message },
        };
        const current = report.step === undefined ? undefined : steps.find((step) => step.name === report.step);
        if (report.step !== undefined && current?.state !== 'running') {
          patch.steps = withStep(steps, report.step, 'running');
        }
        return { patch, resources: [] };
      }
      case 'step': {
        const current = steps.find((step) => step.name === report.step);
        if (current?.state === report.state && (report.title === undefined || current.title === report.title)) {
          return undefined;
        }
        const options = report.title === undefined ? {} : { title: report.title };
        return { patch: { steps: withStep(steps, report.step, report.state, options) }, resources: [] };
      }
      case 'waiting':
        if (Object.hasOwn(record.actions, report.action.name)) {
          // Delivered to an earlier attempt, or before this report arrived: hand it over again.
          this.#options.onActionDelivered(record, report.token, report.action.name);
          return undefined;
        }
        return { patch: { steps: withStep(steps, report.step, 'waiting', { action: report.action }) }, resources: [] };
      case 'succeeded': {
        if (record.cancelRequested) return cancelledWrite(steps);
        try {
          return succeededWrite({ product: report.product, result: report.result, related: report.related }, steps);
        } catch (error) {
          if (!(error instanceof InvalidOutcomeError)) throw error;
          this.#options.logger.warn({ operationId: record.id, err: error }, 'a worker reported an invalid outcome');
          return failedWrite(invalidOutcomeProblem(error), steps);
        }
      }
      case 'failed':
        return record.cancelRequested ? cancelledWrite(steps) : failedWrite(report.problem, steps);
    }
  }
}
