/**
 * Changes made by other processes, from PostgreSQL: LISTEN/NOTIFY for speed, a poll for safety.
 *
 * - A trigger on `operations` sends a notification on commit for every new version (see
 *   `migrations.ts`); one dedicated connection LISTENs and turns each into a {@link ChangeNotice}.
 *   Notices of this process's own writes (same origin) are skipped: the engine published them.
 * - The backstop: every `pollIntervalMs`, a query over the pool reads what changed since the last
 *   poll (`changed_at`, the database's clock, with an overlap for transactions that committed late)
 *   and delivers what was not yet delivered. A notification lost with a dropped connection is
 *   noticed within one poll.
 * - The listening connection is checked on every poll; when it fails or drops it is re-established
 *   with capped exponential backoff, and a poll runs at once to cover the gap.
 *
 * @see https://www.postgresql.org/docs/current/sql-notify.html
 */

import type { ClientConfig, Notification, Pool } from 'pg';
import pg from 'pg';
import type { ChangeNotice, ChangeSource } from '../../operations/changes.ts';
import { type OperationLogger, silentLogger } from '../../operations/logger.ts';
import { OPERATION_STATES, type OperationState } from '../../operations/state.ts';
import { StoreOutageLog } from '../../operations/store-outage.ts';
import { CHANGE_CHANNEL } from './migrations.ts';

/** Default {@link NotifyChangeSourceOptions.pollIntervalMs}. */
export const DEFAULT_CHANGE_POLL_INTERVAL_MS = 1_000;
/** Default {@link NotifyChangeSourceOptions.pollOverlapMs}. */
export const DEFAULT_CHANGE_POLL_OVERLAP_MS = 2_000;
/** Default {@link NotifyChangeSourceOptions.reconnectDelayMs}. */
export const DEFAULT_RECONNECT_DELAY_MS = { min: 100, max: 5_000 } as const;

/** Most rows one backstop query reads; more are read by the next query at once. */
const POLL_BATCH = 1_000;

/** What a {@link NotifyChangeSource} needs. */
export interface NotifyChangeSourceOptions {
  /** How to open the listening connection. */
  connection: ClientConfig;
  /** Where backstop polls run (the store's pool). */
  pool: Pool;
  /** Notices with this origin (the local store's instance id) are skipped. */
  origin?: string | undefined;
  /** How often the backstop poll runs and the listening connection is checked. @default 1_000 */
  pollIntervalMs?: number | undefined;
  /**
   * How far back each poll looks before the previous one's newest change: covers a transaction
   * that stamped its change and committed after that poll. @default 2_000
   */
  pollOverlapMs?: number | undefined;
  /** Bounds of the reconnect backoff, in milliseconds. @default { min: 100, max: 5_000 } */
  reconnectDelayMs?: { min: number; max: number } | undefined;
  /** @default silentLogger */
  logger?: OperationLogger | undefined;
}

/** Counters for tests and metrics. */
export interface NotifyChangeSourceStats {
  /** Notices delivered from notifications. */
  notified: number;
  /** Notices delivered by the backstop poll (their notification was lost or not yet in). */
  polled: number;
  /** Times the listening connection was re-established. */
  reconnects: number;
}

/** A notification's payload, as the trigger builds it. */
interface ChangePayload {
  tenant: string;
  id: string;
  version: number;
  state: string;
  cancelRequested: boolean;
  origin: string | null;
}

/** A row the backstop poll reads. */
interface ChangedRow {
  tenant: string;
  id: string;
  version: number;
  state: string;
  cancel_requested: boolean;
  changed_at: Date;
}

/**
 * A {@link ChangeSource} on PostgreSQL LISTEN/NOTIFY with a polling backstop. Build it with
 * `PostgresOperationStore#changeSource()`, which fills in the connection, pool and origin.
 */
export class NotifyChangeSource implements ChangeSource {
  readonly #connection: ClientConfig;
  readonly #pool: Pool;
  readonly #origin: string | undefined;
  readonly #pollIntervalMs: number;
  readonly #pollOverlapMs: number;
  readonly #reconnectDelay: { min: number; max: number };
  readonly #logger: OperationLogger;
  readonly #stats: NotifyChangeSourceStats = { notified: 0, polled: 0, reconnects: 0 };
  /** Highest version delivered per operation, so a poll does not repeat a notification. */
  readonly #delivered = new Map<string, { version: number; at: number }>();
  #onNotice: ((notice: ChangeNotice) => void) | undefined;
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectAttempt = 0;
  #pollTimer: ReturnType<typeof setTimeout> | undefined;
  #polling: Promise<void> | undefined;
  /** The newest `changed_at` (database clock, ms) the poll has seen. */
  #cursor = 0;
  #stopped = true;
  readonly #pollOutage: StoreOutageLog;

  constructor(options: NotifyChangeSourceOptions) {
    this.#connection = options.connection;
    this.#pool = options.pool;
    this.#origin = options.origin;
    this.#pollIntervalMs = positive(options.pollIntervalMs ?? DEFAULT_CHANGE_POLL_INTERVAL_MS, 'pollIntervalMs');
    this.#pollOverlapMs = Math.max(0, options.pollOverlapMs ?? DEFAULT_CHANGE_POLL_OVERLAP_MS);
    this.#reconnectDelay = options.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS;
    this.#logger = options.logger ?? silentLogger;
    this.#pollOutage = new StoreOutageLog(this.#logger, 'change poll');
  }

  /** How many notices came from notifications and from polls, and how often it reconnected. */
  get stats(): Readonly<NotifyChangeSourceStats> {
    return { ...this.#stats };
  }

  /** True while the listening connection is up. */
  get listening(): boolean {
    return this.#client !== undefined && this.#connecting === undefined;
  }

  /**
   * Connects, LISTENs and starts the backstop poll; rejects when the first connection fails.
   * Resolves to the function that stops it all.
   */
  async listen(onNotice: (notice: ChangeNotice) => void): Promise<() => Promise<void>> {
    if (!this.#stopped) throw new Error('this change source is already listening');
    this.#stopped = false;
    this.#onNotice = onNotice;
    try {
      // Changes from now on: start the poll's cursor at the database's clock.
      const { rows } = await this.#pool.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      this.#cursor = rows[0]?.now.getTime() ?? Date.now();
      await this.#connect();
    } catch (error) {
      await this.#stop();
      throw error;
    }
    this.#schedulePoll();
    return () => this.#stop();
  }

  /** Runs the backstop poll now (tests; also run after every reconnect). */
  pollNow(): Promise<void> {
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ ...this.#connection, keepAlive: true });
    const connecting = (async () => {
      client.on('notification', (message) => this.#onNotification(message));
      client.on('error', (error) => this.#lost(client, error));
      client.on('end', () => this.#lost(client, undefined));
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    })();
    this.#client = client;
    this.#connecting = connecting;
    try {
      await connecting;
    } catch (error) {
      if (this.#client === client) this.#client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    } finally {
      if (this.#connecting === connecting) this.#connecting = undefined;
    }
  }

  /** The listening connection failed or ended: drop it and reconnect (unless stopping). */
  #lost(client: pg.Client, error: Error | undefined): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    if (this.#stopped) return;
    this.#logger.warn({ err: error }, 'the PostgreSQL change listener lost its connection; reconnecting');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.#reconnectTimer !== undefined) return;
    const base = Math.min(this.#reconnectDelay.max, this.#reconnectDelay.min * 2 ** this.#reconnectAttempt);
    // Full jitter on the upper half: instances that lost the database together do not return together.
    const delay = base / 2 + Math.random() * (base / 2);
    this.#reconnectAttempt += 1;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#stopped) return;
      this.#connect().then(
        () => {
          this.#reconnectAttempt = 0;
          this.#stats.reconnects += 1;
          this.#logger.info({}, 'the PostgreSQL change listener reconnected');
          // Whatever changed while it was away arrives now, not at the next poll.
          void this.pollNow();
        },
        (error: unknown) => {
          this.#logger.warn({ err: error }, 'reconnecting the PostgreSQL change listener failed; retrying');
          this.#scheduleReconnect();
        },
      );
    }, delay);
  }

  #onNotification(message: Notification): void {
    if (message.channel !== CHANGE_CHANNEL || message.payload === undefined) return;
    const payload = parsePayload(message.payload);
    if (payload === undefined) {
      this.#logger.warn({ payload: message.payload }, 'ignored a malformed change notification');
      return;
    }
    if (payload.origin !== null && payload.origin === this.#origin) {
      // This process made (and published) the change; marked so the poll does not bring it back.
      this.#mark(payload.id, payload.version);
      return;
    }
    if (this.#deliver(payload.tenant, payload.id, payload.version, payload.state, payload.cancelRequested)) {
      this.#stats.notified += 1;
    }
  }

  /** Delivers a notice unless that version (or a newer one) was delivered already. */
  #deliver(tenant: string, id: string, version: number, state: string, cancelRequested: boolean): boolean {
    if (!this.#mark(id, version)) return false;
    const notice: ChangeNotice = { tenant, operationId: id, version, cancelRequested };
    if (isOperationState(state)) notice.state = state;
    try {
      this.#onNotice?.(notice);
    } catch (error) {
      this.#logger.error({ err: error, operationId: id }, 'a change notice handler threw');
    }
    return true;
  }

  /** Records `version` of `id` as delivered; false when it (or a newer one) already was. */
  #mark(id: string, version: number): boolean {
    const seen = this.#delivered.get(id);
    if (seen !== undefined && seen.version >= version) return false;
    this.#delivered.set(id, { version, at: Date.now() });
    return true;
  }

  #schedulePoll(): void {
    if (this.#stopped) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = undefined;
      void Promise.all([this.pollNow(), this.#checkListener()]).finally(() => this.#schedulePoll());
    }, this.#pollIntervalMs);
  }

  /** A listening connection that stopped answering (half-open TCP) is replaced. */
  async #checkListener(): Promise<void> {
    const client = this.#client;
    if (client === undefined || this.#connecting !== undefined) {
      if (client === undefined) this.#scheduleReconnect();
      return;
    }
    try {
      await withTimeout(client.query('SELECT 1'), Math.max(this.#pollIntervalMs, 1_000));
    } catch (error) {
      this.#lost(client, error as Error);
    }
  }

  async #poll(): Promise<void> {
    try {
      // Look back past the newest change seen: a transaction may stamp its change, then commit
      // after the previous poll read. Repeats are filtered out by #deliver.
      let since = this.#cursor - this.#pollOverlapMs;
      for (;;) {
        if (this.#stopped) return;
        const { rows } = await this.#pool.query<ChangedRow>(
          `SELECT tenant, id, version, state, cancel_requested, changed_at FROM operations
           WHERE changed_at > $1 ORDER BY changed_at LIMIT ${POLL_BATCH}`,
          [new Date(since)],
        );
        for (const row of rows) {
          this.#cursor = Math.max(this.#cursor, row.changed_at.getTime());
          if (this.#deliver(row.tenant, row.id, row.version, row.state, row.cancel_requested)) this.#stats.polled += 1;
        }
        const last = rows.at(-1)?.changed_at.getTime();
        // A full batch means more to read, after the last row (Date keeps milliseconds, so the
        // bound is at most one millisecond early: rows are re-read, never skipped).
        if (rows.length < POLL_BATCH || last === undefined || last <= since) break;
        since = last;
      }
      this.#forgetDelivered();
      this.#pollOutage.succeeded();
    } catch (error) {
      if (!this.#stopped) this.#pollOutage.failed(error, 'the backstop poll for changes failed');
    }
  }

  /**
   * Drops delivery marks no poll can read again: a change is re-read for about one interval plus
   * the overlap after it was made; marks are kept twice that (local time, so clock skew with the
   * database does not matter). A mark dropped early only lets the feed see a repeat, which it ignores.
   */
  #forgetDelivered(): void {
    const cutoff = Date.now() - 2 * (this.#pollIntervalMs + this.#pollOverlapMs);
    for (const [id, mark] of this.#delivered) if (mark.at < cutoff) this.#delivered.delete(id);
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    this.#onNotice = undefined;
    clearTimeout(this.#pollTimer);
    clearTimeout(this.#reconnectTimer);
    this.#pollTimer = undefined;
    this.#reconnectTimer = undefined;
    const client = this.#client;
    this.#client = undefined;
    await this.#connecting?.catch(() => undefined);
    await client?.end().catch(() => undefined);
    await this.#polling;
    this.#delivered.clear();
  }
}

function parsePayload(text: string): ChangePayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<ChangePayload>;
  if (typeof p.tenant !== 'string' || typeof p.id !== 'string' || typeof p.version !== 'number') return undefined;
  if (typeof p.state !== 'string' || typeof p.cancelRequested !== 'boolean') return undefined;
  return {
    tenant: p.tenant,
    id: p.id,
    version: p.version,
    state: p.state,
    cancelRequested: p.cancelRequested,
    origin: typeof p.origin === 'string' && p.origin !== '' ? p.origin : null,
  };
}

function isOperationState(state: string): state is OperationState {
  return (OPERATION_STATES as readonly string[]).includes(state);
}

function positive(value: number, what: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${what} must be a positive number: ${value}`);
  return value;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
