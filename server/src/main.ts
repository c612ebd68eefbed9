#!/usr/bin/env node
/**
 * `pnpm start`: runs the service configured by the environment: on its embedded SQLite store, or
 * on PostgreSQL (`DATABASE_URL`) as one of many processes, serving the API, running handlers, or
 * both (`LONGRUN_ROLE=api|worker|all`).
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { ConfigError, loadConfig, serverOptionsFromConfig } from './config.ts';
import { createServer } from './create-server.ts';
import { LongrunServerError } from './operations/longrun-server-error.ts';

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
// Before the server is built, so its spans go to this provider.
// The SDK is loaded only when traces are asked for: a server without them never uses it.
const stopTracing =
  config.traces === 'console' ? (await import('./observability/tracing-sdk.ts')).startConsoleTracing() : undefined;
let server: Awaited<ReturnType<typeof createServer>>;
try {
  server = await createServer({ ...serverOptionsFromConfig(config), logger });
} catch (error) {
  // A known refusal (a store this Node cannot run, a schema from a newer release) is a message, not a stack.
  if (error instanceof LongrunServerError) {
    console.error(`longrun: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
const where = config.databaseUrl === undefined ? { dataDir: config.dataDir } : {};
if (config.role === 'worker') {
  // A worker serves no HTTP: it claims and runs operations accepted by the API processes.
  logger.info(
    { role: config.role, workerId: server.engine.workerId, store: server.store.name, ...where },
    'longrun is working',
  );
} else {
  const { url } = await server.listen(config.port, config.host);
  logger.info(
    { url, role: config.role, workerId: server.engine.workerId, store: server.store.name, ...where },
    'longrun is serving',
  );
  if (config.developmentKey !== undefined) {
    printDevelopmentKey(url, config.developmentKey, config.developmentKeyMade, config.dataDir);
  }
}

/** Says which key to use, and whether it is new or the one a first start made and kept. */
function printDevelopmentKey(url: string, key: string, made: boolean, dataDir: string): void {
  const file = join(dataDir, 'development-api-key');
  const origin = made ? `made a development key and kept it in ${file}` : `reused the development key kept in ${file}`;
  console.log(
    `\n  longrun is serving ${url}\n  LONGRUN_API_KEYS is not set, so longrun ${origin}:\n\n    export LONGRUN_API_KEY=${key}\n    curl -H "Authorization: Bearer $LONGRUN_API_KEY" ${url}/monitors\n`,
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'stopping: draining running operations (signal again to stop at once)');
    server
      .close()
      .then(() => stopTracing?.())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stopping failed');
          process.exit(1);
        },
      );
  });
}
