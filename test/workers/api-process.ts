/**
 * An API process for the workers suite: the reference server with `transcode` done by outside
 * workers over the broker. Configured by environment (`DATA_DIR`, `AMQP_URL`, `BROKER_PREFIX`,
 * `LEASE_MS`, `MAX_ATTEMPTS`, optional `PORT`); logs JSON lines to stdout, the first that matters being
 * `longrun is serving` with its `url`. SIGTERM closes it.
 */
import { createServer } from '@longrun/server';
import { pino } from 'pino';
import { withOutsideTranscode } from './outside-transcode.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const leaseMs = Number(env('LEASE_MS'));
const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const server = await createServer({
  dataDir: env('DATA_DIR'),
  apiKeys: 'acme:test-key-acme',
  kinds: withOutsideTranscode,
  simulationScale: 0.01,
  logger,
  engine: { leaseMs, maxAttempts: Number(env('MAX_ATTEMPTS')) },
  broker: { url: env('AMQP_URL'), prefix: env('BROKER_PREFIX'), heartbeatLeaseMs: leaseMs },
});
// A restarted API comes back on its port, so the monitor URLs clients hold stay valid.
const { url } = await server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
logger.info({ url }, 'longrun is serving');
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
