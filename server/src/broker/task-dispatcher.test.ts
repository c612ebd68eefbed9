import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../operations/changes.ts';
import { StoreUnavailableError } from '../operations/errors.ts';
import type { AnyKind } from '../operations/kind.ts';
import type { OperationLogger } from '../operations/logger.ts';
import { systemClock, systemTimers } from '../operations/ports/clock.ts';
import type { OperationStore } from '../operations/ports/operation-store.ts';
import { STORE_BACK_MESSAGE, STORE_LOST_MESSAGE } from '../operations/store-outage.ts';
import type { BrokerTransport } from './broker-transport.ts';
import { TaskDispatcher } from './task-dispatcher.ts';

/** A logger that keeps each line as `level: message`. */
function recordingLogger(): { logger: OperationLogger; lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (_fields: object, msg = ''): void => {
      lines.push(`${level}: ${msg}`);
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The store calls the dispatcher's two loops make, answering "the database is away" while `away`
 * is set (what the PostgreSQL and SQLite adapters throw when their database does not answer).
 */
function outageStore(state: { away: boolean; tries: number }): OperationStore {
  const reach = async () => {
    state.tries += 1;
    if (state.away) throw new StoreUnavailableError('PostgreSQL connection lost: the database is away');
  };
  return {
    async claimNext() {
      await reach();
      return undefined;
    },
    async recoverExpiredLeases() {
      await reach();
      return [];
    },
  } as Partial<OperationStore> as OperationStore;
}

describe('the outside task dispatcher while its database is away', () => {
  it('says once that it lost the database and once that it is back, however often its loops retry', async () => {
    const { logger, lines } = recordingLogger();
    const state = { away: true, tries: 0 };
    const dispatcher = new TaskDispatcher({
      store: outageStore(state),
      changes: new ChangeFeed({ read: async () => undefined }),
      kinds: new Map([['render', {} as AnyKind]]),
      queues: new Map([['render', 'tasks.render']]),
      transport: {} as BrokerTransport,
      clock: systemClock,
      timers: systemTimers,
      logger,
      owner: 'api-1',
      dispatchLeaseMs: 30_000,
      heartbeatLeaseMs: 30,
      pollIntervalMs: 5,
      recoverWithMaxAttempts: 3,
    });
    dispatcher.start();
    try {
      while (state.tries < 20) await sleep(5);
      state.away = false;
      const triesBack = state.tries;
      while (state.tries < triesBack + 10) await sleep(5);
    } finally {
      await dispatcher.stop();
    }
    const told = lines.filter((line) => !line.startsWith('debug'));
    expect(told.toSorted()).toStrictEqual(
      [
        `warn: ${STORE_LOST_MESSAGE}`,
        `warn: ${STORE_LOST_MESSAGE}`,
        `info: ${STORE_BACK_MESSAGE}`,
        `info: ${STORE_BACK_MESSAGE}`,
      ].toSorted(),
    );
  });
});
