/**
 * `pnpm mock`: a mock of the longrun API on http://127.0.0.1:4010 (`PORT`, `HOST` override).
 *
 *   pnpm mock                        Prism (`prism mock --errors`) answering the spec's examples; ask for a
 *                                    status and example with `Prefer: code=202, example=running`
 *   pnpm mock --dynamic              Prism generating bodies from the schemas instead
 *   pnpm mock --stateful             the stateful mock: monitors move queued → running → succeeded, then
 *                                    link their product; served through `prism proxy --errors`, so every
 *                                    request and answer is checked against the spec
 *   pnpm mock --stateful --duration 10000   operations take 10 s (default 5000 ms)
 *   pnpm mock --stateful --bare      the stateful mock alone, without Prism in front
 *
 * See docs/mock.md.
 */
import { parseArgs } from 'node:util';
import { startPrism } from './mock/prism-process.ts';
import { startStatefulMock } from './mock/stateful-mock.ts';

const { values } = parseArgs({
  options: {
    stateful: { type: 'boolean', default: false },
    bare: { type: 'boolean', default: false },
    dynamic: { type: 'boolean', default: false },
    duration: { type: 'string', default: '5000' },
    port: { type: 'string', default: process.env.PORT ?? '4010' },
    host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    'pnpm mock [--dynamic] | pnpm mock --stateful [--duration <ms>] [--bare]   (PORT, HOST; see docs/mock.md)',
  );
  process.exit(0);
}

const port = Number(values.port);
const host = values.host;
const durationMs = Number(values.duration);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new TypeError(`--port must be a TCP port, got ${values.port}`);
if (!Number.isFinite(durationMs) || durationMs < 0)
  throw new TypeError(`--duration must be milliseconds, got ${values.duration}`);

const stops: (() => Promise<void>)[] = [];
let stopping = false;
async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  process.exit(0);
}
process.once('SIGINT', stopAll);
process.once('SIGTERM', stopAll);

if (!values.stateful) {
  const prism = await startPrism({ mode: 'mock', port, host, dynamic: values.dynamic, inheritOutput: true });
  stops.push(prism.stop);
  console.log(
    `\nlongrun mock (Prism) on ${prism.url}; directives: Prefer: code=…, example=…, dynamic=true (docs/mock.md)`,
  );
} else if (values.bare) {
  const mock = await startStatefulMock({ durationMs, port, host });
  stops.push(mock.close);
  console.log(
    `longrun stateful mock on ${mock.url}; operations finish ${durationMs} ms after acceptance (docs/mock.md)`,
  );
} else {
  const mock = await startStatefulMock({ durationMs });
  stops.push(mock.close);
  const prism = await startPrism({ mode: 'proxy', upstream: mock.url, port, host, inheritOutput: true });
  stops.push(prism.stop);
  console.log(
    `\nlongrun stateful mock on ${prism.url} (validated by Prism; the mock itself is on ${mock.url}); ` +
      `operations finish ${durationMs} ms after acceptance (docs/mock.md)`,
  );
}
