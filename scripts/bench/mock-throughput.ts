/**
 * `node scripts/bench/mock-throughput.ts [--rounds 3] [--duration 5] [--connections 10]`: requests per
 * second of each mock `pnpm mock` / `longrun mock` can run, on the reference spec, for the two
 * requests a client of a mock sends most: accepting work (`POST /transcodes`) and polling its monitor
 * (`GET /monitors/{id}`). Rounds are interleaved across the mocks; medians and ratios to Prism
 * (`prism mock`) are printed. The load generator (autocannon) runs in its own process; Prism in its
 * own; the stateful mocks in this one. `--prism <url>` measures a Prism started apart instead.
 *
 *   prism              prism mock --errors (answers examples; what `pnpm mock` runs)
 *   stateful --proxy   the stateful mock behind prism proxy --errors
 *   stateful           the stateful mock, requests validated in process (what `--stateful` runs)
 *   stateful --bare    the stateful mock, no validation
 */
import { parseArgs } from 'node:util';
import { startPrism } from '../mock/prism-process.ts';
import { startStatefulMock } from '../mock/stateful-mock.ts';
import { startValidatedStatefulMock } from '../mock/validated-stateful-mock.ts';
import { runLoad } from './load.ts';
import { REQUEST_HEADERS, TRANSCODE_JSON } from './longrun-env.ts';
import { summarise } from './stats.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    // Measure a Prism started apart (`prism mock --errors openapi/openapi.yaml`) instead of one started here.
    prism: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const durationSeconds = Number(values.duration);
const connections = Number(values.connections);

// Operations that never finish during the run, so every poll reads a pending monitor.
const durationMs = 3_600_000;
const bare = await startStatefulMock({ durationMs });
const validated = await startValidatedStatefulMock({ durationMs });
const behindProxy = await startStatefulMock({ durationMs });
const proxy = await startPrism({ mode: 'proxy', upstream: behindProxy.url });
const prism =
  values.prism === undefined
    ? await startPrism({ mode: 'mock' })
    : { url: values.prism.replace(/\/$/, ''), stop: async () => undefined };

const targets = {
  'stateful --proxy': { url: proxy.url, prefer: undefined },
  prism: { url: prism.url, prefer: 'code=202' },
  stateful: { url: validated.url, prefer: undefined },
  'stateful --bare': { url: bare.url, prefer: undefined },
} as const;
type Target = keyof typeof targets;
const routes = ['POST /transcodes', 'GET /monitors/{id}'] as const;
type Route = (typeof routes)[number];

try {
  const ids = {} as Record<Target, string[]>;
  for (const [name, target] of Object.entries(targets) as [Target, (typeof targets)[Target]][]) {
    ids[name] = [];
    // Prism answers every poll from the examples, whatever the id; it keeps no operations.
    if (name === 'prism') ids[name] = ['op_01JABCDEF0123456789ABCDEFG'];
    for (let index = 0; index < (name === 'prism' ? 0 : 50); index++) {
      const response = await fetch(`${target.url}/transcodes`, {
        method: 'POST',
        headers: { ...REQUEST_HEADERS, ...(target.prefer ? { Prefer: target.prefer } : {}) },
        body: TRANSCODE_JSON,
      });
      if (response.status !== 202) throw new Error(`${name}: POST /transcodes answered ${response.status}`);
      ids[name].push(((await response.json()) as { id: string }).id);
    }
  }

  const measured = {} as Record<Route, Record<Target, number[]>>;
  for (const route of routes) {
    measured[route] = { prism: [], 'stateful --proxy': [], stateful: [], 'stateful --bare': [] };
  }
  for (let round = 0; round < rounds; round++) {
    for (const route of routes) {
      for (const [name, target] of Object.entries(targets) as [Target, (typeof targets)[Target]][]) {
        const headers: Record<string, string> = { ...REQUEST_HEADERS };
        if (name === 'prism') headers.Prefer = route.startsWith('GET') ? 'code=202, example=running' : 'code=202';
        const result = await runLoad({
          url: target.url,
          method: route.startsWith('GET') ? 'GET' : 'POST',
          path: route.startsWith('GET') ? '/monitors/{id}' : '/transcodes',
          ids: ids[name],
          headers,
          ...(route.startsWith('POST') ? { body: TRANSCODE_JSON } : {}),
          connections,
          durationSeconds,
        });
        if (result.failed > 0 || result.ok === 0) console.error(`  ${name} ${route}: ${JSON.stringify(result)}`);
        measured[route][name].push(result.requestsPerSecond);
        console.error(
          `  round ${round + 1} ${route.padEnd(20)} ${name.padEnd(17)} ${result.requestsPerSecond.toFixed(0)} req/s`,
        );
      }
    }
  }

  console.log(
    `\nmock throughput, ${rounds} rounds × ${durationSeconds} s, ${connections} connections (median req/s; × Prism)`,
  );
  for (const route of routes) {
    const prismMedian = summarise(measured[route].prism).median;
    console.log(`\n${route}`);
    for (const name of Object.keys(targets) as Target[]) {
      const median = summarise(measured[route][name]).median;
      console.log(`  ${name.padEnd(17)} ${median.toFixed(0).padStart(7)}   ${(median / prismMedian).toFixed(1)}×`);
    }
  }
} finally {
  await prism.stop();
  await proxy.stop();
  await Promise.all([bare.close(), validated.close(), behindProxy.close()]);
}
