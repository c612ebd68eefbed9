import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './errors.ts';
import type { OperationLogger } from './logger.ts';
import { STORE_BACK_MESSAGE, STORE_LOST_MESSAGE, StoreOutageLog } from './store-outage.ts';

/** A logger that keeps each line as `level: message`, with its fields. */
function recordingLogger(): { logger: OperationLogger; lines: { level: string; msg: string; fields: object }[] } {
  const lines: { level: string; msg: string; fields: object }[] = [];
  const at =
    (level: string) =>
    (fields: object, msg = ''): void => {
      lines.push({ level, msg, fields });
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const away = () => new StoreUnavailableError('PostgreSQL connection lost: the database is away');

describe('StoreOutageLog', () => {
  it('says once that the loop lost the store, once that it is back, and tells each try in between only at debug', () => {
    const { logger, lines } = recordingLogger();
    const outage = new StoreOutageLog(logger, 'operation runner', { workerId: 'wrk_1' });
    outage.succeeded();
    expect(lines).toStrictEqual([]);
    for (let i = 0; i < 3; i++) outage.failed(away(), 'claiming operations failed');
    expect(outage.unavailable).toBe(true);
    outage.succeeded();
    outage.succeeded();
    expect(outage.unavailable).toBe(false);
    expect(lines.map((line) => `${line.level}: ${line.msg}`)).toStrictEqual([
      `warn: ${STORE_LOST_MESSAGE}`,
      'debug: claiming operations failed',
      'debug: claiming operations failed',
      `info: ${STORE_BACK_MESSAGE}`,
    ]);
    expect(lines[0]?.fields).toMatchObject({ loop: 'operation runner', workerId: 'wrk_1' });
    expect(lines[3]?.fields).toMatchObject({ loop: 'operation runner', unavailableMs: expect.any(Number) });
  });

  it('logs any other error as the fault it is, every time', () => {
    const { logger, lines } = recordingLogger();
    const outage = new StoreOutageLog(logger, 'retention sweep');
    outage.failed(new Error('syntax error at or near "DELET"'), 'retention sweep failed');
    outage.failed(new Error('syntax error at or near "DELET"'), 'retention sweep failed');
    outage.succeeded();
    expect(lines.map((line) => `${line.level}: ${line.msg}`)).toStrictEqual([
      'error: retention sweep failed',
      'error: retention sweep failed',
    ]);
  });
});
