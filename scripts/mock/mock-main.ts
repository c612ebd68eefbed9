/** The mock's command line, shared by `pnpm mock` and `longrun mock`. */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startMock } from './run-mock.ts';

/** Parses the mock's options, starts it and stops it on SIGINT/SIGTERM; resolves to an exit code. */
export async function mockMain(args: string[], usageLine: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      spec: { type: 'string' },
      stateful: { type: 'boolean', default: false },
      bare: { type: 'boolean', default: false },
      proxy: { type: 'boolean', default: false },
      dynamic: { type: 'boolean', default: false },
      duration: { type: 'string', default: '5000' },
      port: { type: 'string', default: process.env.PORT ?? '4010' },
      host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usageLine);
    return 0;
  }
  const port = Number(values.port);
  const durationMs = Number(values.duration);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a TCP port, got ${values.port}`);
    return 2;
  }
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    console.error(`--duration must be milliseconds, got ${values.duration}`);
    return 2;
  }
  const mock = await startMock({
    spec: values.spec === undefined ? undefined : path.resolve(values.spec),
    stateful: values.stateful,
    bare: values.bare,
    proxy: values.proxy,
    dynamic: values.dynamic,
    durationMs,
    port,
    host: values.host,
  });
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    await mock.stop();
    process.exit(0);
  };
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  console.log(`\nlongrun mock on ${mock.url}: ${mock.description} (docs/mock.md)`);
  return 0;
}
