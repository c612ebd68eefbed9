/**
 * `longrun conform` on a spec in Azure's dialect (`x-ms-long-running-operation`, `final-state-via`)
 * against a server written without longrun: the PUT is found, followed on `Azure-AsyncOperation`
 * through `NotStarted` → `InProgress` → `Succeeded`, and its outcome read from the original URI.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runConform } from '../../scripts/conform/index.ts';
import { startBackupsServer } from './backups-server.ts';

it('follows an Azure long-running PUT to its outcome, every answer valid against the spec', async () => {
  const server = await startBackupsServer();
  try {
    const run = await runConform({
      spec: fileURLToPath(new URL('./fixtures/backups.yaml', import.meta.url)),
      url: server.url,
      timeoutSeconds: 10,
    });
    expect(run.results.filter((result) => result.verdict === 'FAIL')).toEqual([]);
    const verdicts = Object.fromEntries(
      run.results.map((result) => [result.check, `${result.verdict} ${result.detail}`]),
    );
    expect(verdicts.accepted).toMatch(/^PASS 201 .* monitor \/operations\//);
    expect(verdicts['states-forward']).toMatch(/^PASS (notstarted → )?inprogress → succeeded/);
    expect(verdicts.outcome).toMatch(
      /^PASS succeeded; GET \/backups\/nightly \(final-state-via original-uri\) answered 200/,
    );
    expect(verdicts['invalid-input']).toMatch(/^PASS 400 error InvalidRequestContent/);
    expect(verdicts['responses-match-spec']).toMatch(/^PASS/);
  } finally {
    await server.stop();
  }
}, 120_000);
