/**
 * Test data for the store conformance suite: a fixed clock and builders of valid commands.
 *
 * Time is passed to the store explicitly (`now` arguments, `createdAt`), so nothing here reads the
 * real clock and no test sleeps.
 */

import { afterEach, beforeEach } from 'vitest';
import { newOperationId } from '../operations/ids.ts';
import type { StoredProblem } from '../operations/model.ts';
import type { CreateOperationCommand, IdempotencyClaim, NewOperation, NewResource } from '../operations/ports/index.ts';

/** The suite's epoch: every instant is `at(seconds)` after it. */
export const EPOCH = Date.parse('2031-05-06T07:08:09.000Z');

/** The instant `seconds` after {@link EPOCH}. */
export function at(seconds: number): Date {
  return new Date(EPOCH + seconds * 1000);
}

/** {@link at} as ISO 8601 text. */
export function iso(seconds: number): string {
  return at(seconds).toISOString();
}

/** The tenant most tests act as. */
export const TENANT = 'tenant-a';
/** A second tenant, which must never see the first one's data. */
export const OTHER_TENANT = 'tenant-b';

/** Operation kinds used by the suite. */
export const CAR = 'car.create';
export const TRANSCODE = 'transcode.run';
export const REINDEX = 'reindex.run';

/** The problem recorded when recovery gives up on an operation. */
export const WORKER_LOST: StoredProblem = {
  type: 'https://longrun.dev/problems/worker-lost',
  title: 'The worker running this operation stopped responding',
  status: 500,
};

/** What {@link newOperation} accepts: any field of a new operation, and `at` in suite seconds. */
export type NewOperationOverrides = Partial<NewOperation> & { at?: number };

/** A valid new operation: a car create by {@link TENANT} at `at(0)`, with a fresh id. */
export function newOperation(overrides: NewOperationOverrides = {}): NewOperation {
  const { at: seconds = 0, ...fields } = overrides;
  return {
    id: newOperationId(at(seconds)),
    tenant: TENANT,
    kind: CAR,
    input: { make: 'Volvo', model: 'EX30', colour: 'moss yellow' },
    request: { method: 'POST', path: '/cars', body: { make: 'Volvo', model: 'EX30', colour: 'moss yellow' } },
    steps: [
      { name: 'chassis', state: 'pending', title: 'Build the chassis' },
      { name: 'paint', state: 'pending' },
    ],
    estimatedCompletionAt: iso(seconds + 60),
    lockKey: null,
    callbackUrl: null,
    createdAt: iso(seconds),
    ...fields,
  };
}

/** An idempotency claim for `key`, remembered for a day after `at(seconds)`. */
export function idempotencyClaim(key: string, fingerprint = 'sha256:body-1', seconds = 0): IdempotencyClaim {
  return { key, fingerprint, expiresAt: iso(seconds + 86_400) };
}

/** A create command for {@link newOperation}`(overrides)` with optional key and resource. */
export function createCommand(
  overrides: NewOperationOverrides = {},
  extra: { idempotency?: IdempotencyClaim; resource?: NewResource } = {},
): CreateOperationCommand {
  return { operation: newOperation(overrides), ...extra };
}

/** A store made for one test of a conformance suite, and how to dispose of it. */
export interface MadeStore<S> {
  store: S;
  cleanup(): Promise<void>;
}

/**
 * Gives every test of the enclosing `describe` a fresh, empty store from `makeStore` (handed to `use`
 * before the test) and disposes of it after: the conformance suites' common setup.
 */
export function freshStorePerTest<S>(makeStore: () => Promise<MadeStore<S>>, use: (store: S) => void): void {
  let cleanup: (() => Promise<void>) | undefined;
  beforeEach(async () => {
    const made = await makeStore();
    use(made.store);
    cleanup = () => made.cleanup();
  });
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
}
