/**
 * The exports API's server and client are typed from its spec: `waitFor` resolves to the spec's
 * product and result; a missing handler, a handler answering what the spec does not declare, and a
 * kind whose product or result is not the spec's fail to compile.
 */
import { createClient, waitFor } from '@longrun/client';
import { createServer, defineKind as defineAnyKind, HttpProblem } from '@longrun/server';
import { describe, expectTypeOf, test } from 'vitest';
import { handlers, kinds } from './exports-api.ts';
import type { AsyncKinds, components, paths } from './generated/index.ts';
import { defineKind, type Handlers, type Kinds, spec } from './generated/server.gen.ts';

type Schemas = components['schemas'];
const reports = createClient<paths, AsyncKinds>({ baseUrl: 'http://127.0.0.1:3000', apiKey: 'team-key' });

describe('waitFor is typed to the exports spec', () => {
  test('POST /exports yields the Export (its product)', async () => {
    const accepted = await reports.POST('/exports', { body: { report: 'sales', format: 'csv' } });
    expectTypeOf(await waitFor(reports, accepted)).toEqualTypeOf<Schemas['Export']>();
  });

  test('POST /row-counts yields the RowCount (its inline result)', async () => {
    const accepted = await reports.POST('/row-counts', { body: { report: 'sales' } });
    expectTypeOf(await waitFor(reports, accepted)).toEqualTypeOf<Schemas['RowCount']>();
  });

  test('POST /archive-rebuilds yields nothing', async () => {
    expectTypeOf(await waitFor(reports, await reports.POST('/archive-rebuilds'))).toEqualTypeOf<undefined>();
  });
});

describe('the server stubs', () => {
  test('name a handler for each synchronous operation, and a kind for each long-running one', () => {
    expectTypeOf<keyof Handlers>().toEqualTypeOf<'getExport' | 'approveExport'>();
    expectTypeOf<keyof Kinds>().toEqualTypeOf<'export.create' | 'rows.count' | 'archive.rebuild'>();
  });

  test('createServer takes the spec with its handlers and kinds', () => {
    void createServer({ spec, handlers, kinds });
  });

  test('a missing handler or kind does not compile', () => {
    const { approveExport: _approve, ...fewer } = handlers;
    // @ts-expect-error approveExport is missing
    void createServer({ spec, handlers: fewer, kinds });
    const { 'rows.count': _rows, ...someKinds } = kinds;
    // @ts-expect-error the kind rows.count is missing
    void createServer({ spec, handlers, kinds: someKinds });
  });

  test('a handler answering a status or body the spec does not declare does not compile', () => {
    const wrongStatus: Handlers['getExport'] = async ({ params }) =>
      // @ts-expect-error getExport answers 200, never 201
      ({ status: 201, body: { id: params.exportId, report: 'sales', format: 'csv', state: 'ready' } });
    // @ts-expect-error an Export's format is csv or xlsx
    const wrongBody: Handlers['getExport'] = async ({ params }) => ({
      status: 200,
      body: { id: params.exportId, report: 'sales', format: 'pdf', state: 'ready' },
    });
    const unknownParam: Handlers['getExport'] = async ({ params }) => {
      // @ts-expect-error getExport has no path parameter orderId
      throw new HttpProblem('not-found', { detail: params.orderId });
    };
    void [wrongStatus, wrongBody, unknownParam];
  });

  test('a kind is typed from its operation: the body as input, the spec’s product or result as outcome', () => {
    defineKind('rows.count', {
      async run(input) {
        expectTypeOf(input).toEqualTypeOf<Schemas['RowCountRequest']>();
        return { result: { report: input.report, rows: 1 } };
      },
    });
    defineKind('rows.count', {
      // @ts-expect-error rows counts are a number, not text
      async run(input) {
        return { result: { report: input.report, rows: 'many' } };
      },
    });
    defineKind('export.create', {
      // @ts-expect-error an export's product is an Export, not a RowCount
      async run() {
        return { product: { collection: 'exports', id: 'e', href: '/exports/e', body: { report: 'sales', rows: 1 } } };
      },
    });
    // @ts-expect-error no kind export.delete in the spec
    defineKind('export.delete', { run: async () => ({}) });
  });

  test('a kind written elsewhere whose product is not the spec’s is refused by createServer', () => {
    const wrongProduct = defineAnyKind<{ report: string }, Schemas['RowCount']>({
      name: 'export.create',
      run: async ({ report }) => ({
        product: { collection: 'exports', id: 'e', href: '/exports/e', body: { report, rows: 1 } },
      }),
    });
    // @ts-expect-error export.create's product is an Export
    void createServer({ spec, handlers, kinds: { ...kinds, 'export.create': wrongProduct } });
  });
});
