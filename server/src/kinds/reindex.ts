/**
 * Reindex (one at a time): while one run is queued or running, another request is
 * refused with 409. It creates nothing; its outcome is an inline report.
 */

import { defineKind } from '../operations/kind.ts';
import { runSimulatedSteps, type SimulatedStep, type Simulation, scaledTotal } from './simulation.ts';
import type { Schema } from './spec-types.ts';

/** What to reindex. */
export type ReindexRequest = Schema<'ReindexRequest'>;
/** The inline result. */
export type ReindexReport = Schema<'ReindexReport'>;

const REINDEX_STEPS: readonly SimulatedStep[] = [
  { name: 'scan', title: 'Scan documents', ms: 2_000 },
  { name: 'build', title: 'Build the index', ms: 3_000 },
  { name: 'swap', title: 'Swap the live index', ms: 1_000 },
];

/** Simulated documents per scope. */
const DOCUMENTS: Record<ReindexRequest['scope'], number> = {
  cars: 12_480,
  products: 30_112,
  'widget-orders': 5_618,
  all: 48_210,
};

/** `reindex`: one run per tenant at a time. */
export function reindexKind(simulation: Simulation) {
  return defineKind<ReindexRequest, never, ReindexReport>({
    name: 'reindex',
    steps: REINDEX_STEPS.map(({ name, title }) => ({ name, title })),
    estimateMs: () => scaledTotal(simulation, REINDEX_STEPS),
    lockKey: () => 'reindex',
    async run(request, ctx) {
      await runSimulatedSteps(ctx, simulation, REINDEX_STEPS);
      return { result: { scope: request.scope, documentsIndexed: DOCUMENTS[request.scope] } };
    },
  });
}
