/**
 * A client for a spec of another domain: `createClient<paths, AsyncKinds>()` over the reports API's
 * generated types, and `waitFor` typed to that spec's products and inline results.
 */
import { describe, expectTypeOf, test } from 'vitest';
import { createClient, waitFor } from './index.ts';
import type { AsyncKinds, components, paths } from './testing/reports-api.ts';

type Schemas = components['schemas'];
const reports = createClient<paths, AsyncKinds>({ baseUrl: 'https://reports.example.com', apiKey: 'key' });
const longrun = createClient({ baseUrl: 'https://api.longrun.dev' });

describe('waitFor on a client of another spec is typed from that spec', () => {
  test('POST /exports yields the export file (a product)', async () => {
    const accepted = await reports.POST('/exports', { body: { report: 'sales-2026', format: 'csv' } });
    expectTypeOf(await waitFor(reports, accepted)).toEqualTypeOf<Schemas['ExportFile']>();
  });

  test('POST /summaries yields the summary (an inline result)', async () => {
    const accepted = await reports.POST('/summaries', { body: { report: 'sales-2026' } });
    expectTypeOf(await waitFor(reports, accepted)).toEqualTypeOf<Schemas['ExportSummary']>();
  });

  test('onProgress receives that spec’s monitor of the kind', async () => {
    const accepted = await reports.POST('/exports', { body: { report: 'sales-2026', format: 'parquet' } });
    await waitFor(reports, accepted, {
      onProgress: (monitor) => expectTypeOf(monitor).toEqualTypeOf<Schemas['ExportMonitor']>(),
    });
  });

  test('a monitor in hand yields its kind’s outcome', async () => {
    const { data } = await reports.POST('/summaries', { body: { report: 'sales-2026' } });
    if (data === undefined) return;
    expectTypeOf(await waitFor(reports, data)).toEqualTypeOf<Schemas['ExportSummary']>();
  });

  test('a resumed wait names the kind and the spec’s kinds', async () => {
    expectTypeOf(await waitFor<'export.create', AsyncKinds>(reports, '/monitors/op_1')).toEqualTypeOf<
      Schemas['ExportFile']
    >();
    expectTypeOf(await waitFor(reports, '/monitors/op_1')).toBeUnknown();
  });

  test('the typed requests are the spec’s', async () => {
    const { data } = await reports.GET('/exports/{exportId}', { params: { path: { exportId: 'exp_1' } } });
    expectTypeOf(data).toEqualTypeOf<Schemas['ExportFile'] | undefined>();
  });
});

describe('mistakes against another spec fail to compile', () => {
  test('a path of the reference API, or a body of the wrong shape', () => {
    // @ts-expect-error '/cars' is not a path of the reports API
    void reports.POST('/cars', { body: { brand: 'Ford' } });
    // @ts-expect-error format is 'csv' or 'parquet'
    void reports.POST('/exports', { body: { report: 'sales-2026', format: 'xlsx' } });
  });

  test('waiting on a synchronous answer', async () => {
    const file = await reports.GET('/exports/{exportId}', { params: { path: { exportId: 'exp_1' } } });
    // @ts-expect-error GET /exports/{exportId} is not an async operation
    void waitFor(reports, file);
  });

  test('a kind of the reference API, or one the reports API lacks', () => {
    // @ts-expect-error 'car.create' is no kind of the reports API
    void waitFor<'car.create', AsyncKinds>(reports, '/monitors/op_1');
    // @ts-expect-error 'export.delete' is no kind of the reports API
    void waitFor<'export.delete', AsyncKinds>(reports, '/monitors/op_1');
  });

  test('an answer of one API waited on with a client of another', async () => {
    const accepted = await reports.POST('/exports', { body: { report: 'sales-2026', format: 'csv' } });
    // @ts-expect-error the reference client knows no 'export.create' kind
    void waitFor(longrun, accepted);
  });

  test('an onProgress that expects another kind of monitor', async () => {
    const accepted = await reports.POST('/exports', { body: { report: 'sales-2026', format: 'csv' } });
    // @ts-expect-error an export's monitor is never a summary monitor
    await waitFor(reports, accepted, { onProgress: (monitor: Schemas['SummaryMonitor']) => monitor });
  });
});
