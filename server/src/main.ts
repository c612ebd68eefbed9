#!/usr/bin/env node
/**
 * `pnpm start`: runs the service on its embedded SQLite store, configured by the environment.
 */
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config.ts';
import { createServer } from './create-server.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`longrun: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const logger = pino({ level: config.logLevel });
const server = await createServer({
  dataDir: config.dataDir,
  apiKeys: config.apiKeys,
  simulationScale: config.simulationScale,
  logger,
  corsOrigins: config.corsOrigins,
  rateLimit: config.rateLimit,
  validateResponses: config.validateResponses,
  engine: { concurrency: config.concurrency, retentionMs: config.retentionHours * 3_600_000 },
});
const { url } = await server.listen(config.port, config.host);
logger.info({ url, dataDir: config.dataDir, store: server.store.name }, 'longrun is serving');
if (config.developmentKey !== undefined) {
  console.log(
    `\n  longrun is serving ${url}\n  LONGRUN_API_KEYS is not set, so this development key was made (kept in ${config.dataDir}):\n\n    export LONGRUN_API_KEY=${config.developmentKey}\n    curl -H "Authorization: Bearer $LONGRUN_API_KEY" ${url}/monitors\n`,
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'stopping: draining running operations (signal again to stop at once)');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  });
}
