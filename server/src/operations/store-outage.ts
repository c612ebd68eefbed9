/**
 * What a background loop (the runner's claims, lease recovery, the webhook dispatcher, retention
 * sweeps, the change poll) says while its store is away: one warning when it first finds the
 * database unavailable, one line when it reaches it again, and nothing in between. Such a loop
 * retries on every tick (every quarter second for claims): logging each try would bury the two
 * lines an operator needs under hundreds of copies of the same error.
 */
import { StoreUnavailableError } from './errors.ts';
import type { OperationLogger } from './logger.ts';

/** Logged once when a loop loses its store. */
export const STORE_LOST_MESSAGE = 'lost the database; retrying until it answers';
/** Logged once when a loop that lost its store reaches it again. */
export const STORE_BACK_MESSAGE = 'the database answers again';

/**
 * The outage log of one background loop.
 *
 * @example
 * const outage = new StoreOutageLog(logger, 'operation runner');
 * try { await store.claimBatch(…); outage.succeeded(); }
 * catch (error) { outage.failed(error, 'claiming operations failed'); }
 */
export class StoreOutageLog {
  readonly #logger: OperationLogger;
  readonly #fields: Record<string, unknown>;
  /** When this loop first found the store unavailable, while it still does. */
  #since: number | undefined;

  /** `loop` names the loop in every line; `fields` are added to them (a worker id). */
  constructor(logger: OperationLogger, loop: string, fields: Record<string, unknown> = {}) {
    this.#logger = logger;
    this.#fields = { loop, ...fields };
  }

  /** True while the loop's last try found the store unavailable. */
  get unavailable(): boolean {
    return this.#since !== undefined;
  }

  /**
   * A try failed. The store being unavailable is logged once per outage (later tries at debug);
   * any other error is a fault and is logged as `message`, every time.
   */
  failed(error: unknown, message: string): void {
    if (!(error instanceof StoreUnavailableError)) {
      this.#logger.error({ ...this.#fields, err: error }, message);
      return;
    }
    if (this.#since !== undefined) {
      this.#logger.debug({ ...this.#fields, err: error }, message);
      return;
    }
    this.#since = Date.now();
    this.#logger.warn({ ...this.#fields, err: error }, STORE_LOST_MESSAGE);
  }

  /** A try reached the store: after an outage, says so once, with how long it lasted for this loop. */
  succeeded(): void {
    if (this.#since === undefined) return;
    const unavailableMs = Date.now() - this.#since;
    this.#since = undefined;
    this.#logger.info({ ...this.#fields, unavailableMs }, STORE_BACK_MESSAGE);
  }
}
