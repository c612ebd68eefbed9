/**
 * The reports team's server for `exports.yaml`, as a team writes it: `defineKind` bodies for the
 * spec's three long-running operations and plain handlers for its two others, on the stubs
 * `longrun generate --spec exports.yaml --out generated` wrote. `createServer` builds every route.
 */
import { createServer, HttpProblem, type LongrunServer, type ServerOptions } from '@longrun/server';
import type { components } from './generated/index.ts';
import { defineKind, type Handlers, type Kinds, spec } from './generated/server.gen.ts';

type Export = components['schemas']['Export'];

/** How long a rebuild takes: long enough for a second request to find the first still running. */
export const REBUILD_MS = 1_500;

/** `export.create`: the export exists from acceptance on; it is written once a reviewer approved it. */
export const createExport = defineKind('export.create', {
  steps: [{ name: 'query' }, { name: 'approval', title: 'A reviewer approves the export' }, { name: 'write' }],
  estimateMs: () => 2_000,
  // The export is readable (`pending`) while it is made, so it is made here, with its operation.
  async accept({ body }, server) {
    const id = server.newId('exp');
    const pending: Export = { id, report: body.report, format: body.format, state: 'pending' };
    return { input: pending, resource: { collection: 'exports', id, href: `/exports/${id}`, body: pending } };
  },
  async run(input, ctx) {
    await ctx.step('query', 'running');
    await ctx.sleep(20);
    await ctx.step('query', 'succeeded');
    const approval = await ctx.awaitAction<{ approvedBy: string }>('approval', {
      step: 'approval',
      action: { method: 'POST', path: `/exports/${input.id}/approval` },
    });
    await ctx.step('approval', 'succeeded');
    await ctx.step('write', 'running');
    const file: Export = {
      ...input,
      state: 'ready',
      fileUrl: `https://files.reports.example.com/${input.id}.${input.format}?approvedBy=${encodeURIComponent(approval.approvedBy)}`,
    };
    await ctx.step('write', 'succeeded');
    return { product: { collection: 'exports', id: input.id, href: `/exports/${input.id}`, body: file } };
  },
});

/** `rows.count`: the outcome is data, the monitor's inline result. */
export const countRows = defineKind('rows.count', {
  async run(input, ctx) {
    await ctx.sleep(10);
    return { result: { report: input.report, rows: input.report.length * 1_000 } };
  },
});

/** `archive.rebuild`: the spec says one at a time, so a second request while one runs is refused. */
export const rebuildArchive = defineKind('archive.rebuild', {
  estimateMs: () => REBUILD_MS,
  async run(_input, ctx) {
    await ctx.sleep(REBUILD_MS);
    return {};
  },
});

/** Every kind of the spec, by name. */
export const kinds: Kinds = {
  'export.create': createExport,
  'rows.count': countRows,
  'archive.rebuild': rebuildArchive,
};

/** The spec's synchronous operations. */
export const handlers: Handlers = {
  async getExport({ tenant, params }, server) {
    const stored = await server.getResource(tenant, 'exports', params.exportId);
    if (stored === undefined) throw new HttpProblem('not-found', { detail: `No export ${params.exportId}.` });
    return { status: 200, body: stored.body as Export };
  },

  // The outside action the export's `approval` step waits for.
  async approveExport({ tenant, params, body }, server) {
    const stored = await server.getResource(tenant, 'exports', params.exportId);
    if (stored === undefined) throw new HttpProblem('not-found', { detail: `No export ${params.exportId}.` });
    const delivered = await server.deliverAction(tenant, stored.operationId, 'approval', body);
    if (delivered?.outcome !== 'delivered') {
      throw new HttpProblem('not-waiting', { detail: `Export ${params.exportId} is not waiting for approval.` });
    }
    return {
      status: 202,
      headers: server.monitorHeaders(delivered.operation),
      body: server.monitor(delivered.operation) as components['schemas']['ExportMonitor'],
    };
  },
};

/** Starts the reports server: the spec, its handlers and kinds, and whatever else `options` says. */
export function startReportsServer(
  options: Omit<ServerOptions, 'spec' | 'handlers' | 'kinds'> = {},
): Promise<LongrunServer> {
  return createServer({ ...options, spec, handlers, kinds });
}
