/**
 * `longrun conform` against longrun's own reference server and spec, the way a user runs it against
 * theirs: every check passes, including cancel, one-at-a-time, idempotency and the outside action of
 * the widget order's waiting step.
 */
import { specPath } from '@longrun/openapi';
import { startTestServer, TEST_TENANTS } from '@longrun/server/testing';
import { expect, it } from 'vitest';
import { runConform } from '../../scripts/conform/index.ts';

it('passes every check against the reference server', async () => {
  // Slow enough that a cancel reaches a running operation and a long poll a pending monitor.
  const server = await startTestServer({ simulationScale: 0.05 });
  try {
    const run = await runConform({ spec: specPath, url: server.url, key: TEST_TENANTS.acme, timeoutSeconds: 30 });
    expect(run.results.filter((result) => result.verdict === 'FAIL')).toEqual([]);
    const passed = new Set(
      run.results.filter((result) => result.verdict === 'PASS').map((result) => `${result.operation}/${result.check}`),
    );
    for (const check of [
      'createCar/cancel',
      'createCar/outcome',
      'createVirtualMachine/outcome',
      'createTranscode/idempotency-key-reused',
      'startReindex/one-at-a-time',
      'startReindex/outcome',
      'createWidgetOrder/outcome',
      'getCar/outcome',
      'createCar/responses-match-spec',
    ])
      expect(passed).toContain(check);
  } finally {
    await server.stop();
  }
}, 240_000);
