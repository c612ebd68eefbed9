/**
 * `longrun conform` against an API of another domain written without longrun (`exports-server.ts`,
 * plain `node:http`, serving `fixtures/exports.yaml`): the correct server passes every check, and each
 * planted fault fails the check that covers it with a message naming the fault.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CheckResult, runConform } from '../../scripts/conform/index.ts';
import { type PlantedFault, startExportsServer } from './exports-server.ts';

const spec = fileURLToPath(new URL('./fixtures/exports.yaml', import.meta.url));

async function conformAgainst(fault: PlantedFault | undefined, only?: string[]) {
  const server = await startExportsServer(fault);
  try {
    const run = await runConform({
      spec,
      url: server.url,
      key: server.key,
      timeoutSeconds: 10,
      ...(only ? { only } : {}),
    });
    return { run, started: { ...server.started } };
  } finally {
    await server.stop();
  }
}

const failures = (results: CheckResult[]) =>
  results
    .filter((result) => result.verdict === 'FAIL')
    .map((result) => `${result.operation}/${result.check}: ${result.detail}`);

describe('longrun conform against a server written without longrun', () => {
  it('passes every check of the correct server, for each of its three operations', async () => {
    const { run } = await conformAgainst(undefined);
    expect(failures(run.results)).toEqual([]);
    expect(run.ok).toBe(true);
    const passed = run.results
      .filter((result) => result.verdict === 'PASS')
      .map((result) => `${result.operation}/${result.check}`);
    expect(passed).toEqual(
      expect.arrayContaining([
        'startExport/outcome',
        'startExport/cancel',
        'startExport/idempotent-replay',
        'startExport/idempotency-key-reused',
        'startExport/long-poll',
        'startExport/etag-304',
        'countRows/outcome',
        'compactStorage/one-at-a-time',
        'compactStorage/invalid-input',
        'compactStorage/responses-match-spec',
      ]),
    );
  }, 120_000);

  it.each<{ fault: PlantedFault; only: string[]; check: string; message: RegExp }>([
    {
      fault: 'no-retry-after',
      only: ['startExport/retry-after'],
      check: 'startExport/retry-after',
      message: /202 Accepted without Retry-After/,
    },
    {
      fault: 'state-goes-back',
      only: ['startExport/states-forward'],
      check: 'startExport/states-forward',
      message: /state went back: running → queued/,
    },
    {
      fault: 'product-breaks-schema',
      only: ['startExport/outcome'],
      check: 'startExport/outcome',
      message: /breaks its schema ExportFile: .*required property 'bytes'/,
    },
    {
      fault: 'conflict-without-monitor',
      only: ['compactStorage/one-at-a-time'],
      check: 'compactStorage/one-at-a-time',
      message: /409 .* does not name the pending monitor .*; no Link rel="monitor"/,
    },
    {
      fault: 'replay-creates-second',
      only: ['startExport/idempotent-replay'],
      check: 'startExport/idempotent-replay',
      message: /same Idempotency-Key created a second operation: \/operations\/\S+ besides \/operations\//,
    },
  ])(
    'catches a server whose fault is $fault, naming it',
    async ({ fault, only, check, message }) => {
      const { run, started } = await conformAgainst(fault, only);
      expect(run.ok).toBe(false);
      const failed = run.results.find((result) => `${result.operation}/${result.check}` === check);
      expect(failed?.verdict).toBe('FAIL');
      expect(failed?.detail).toMatch(message);
      if (fault === 'replay-creates-second') expect(started.export).toBe(2);
    },
    120_000,
  );

  it('reports the spec violation of a fault through Prism too, headers included', async () => {
    const { run } = await conformAgainst('no-retry-after', [
      'startExport/accepted',
      'startExport/responses-match-spec',
    ]);
    const spec = run.results.find((result) => result.check === 'responses-match-spec');
    expect(spec?.verdict).toBe('FAIL');
    expect(spec?.detail).toMatch(/POST \/exports → 202: response\.header .*'retry-after'/);
  }, 120_000);
});
