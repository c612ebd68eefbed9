/**
 * Accepting work: a request to an async operation becomes a mocked operation with a monitor of its
 * own (or a `409` while a one-at-a-time kind is busy, a `422` for a reused idempotency key with
 * another body), answered `202` or, with `Prefer: wait`, with the outcome when it comes in time.
 */

import { formatPreferenceApplied, MAX_WAIT_SECONDS } from '@longrun/openapi/contract';
import randexpModule from 'randexp';
import { type Exchange, header, problem, send } from './exchange.ts';
import {
  etagOf,
  type MockState,
  mintId,
  monitorAnswer,
  monitorHref,
  monitorLink,
  replaceStrings,
  retryAfter,
  waitForChange,
} from './mock-state.ts';
import { type KindTemplates, monitorPaths, terminalStates } from './monitor-templates.ts';
import { type MockOperation, monitorAt } from './monitor-timeline.ts';
import { waitSeconds } from './preferences.ts';
import type { JsonObject } from './spec-index.ts';

/** Accepts `exchange` as an operation of `kind`, or answers why not. */
export async function accept(state: MockState, exchange: Exchange, kind: KindTemplates): Promise<void> {
  const { tenant, operation, preferences } = exchange;
  if (kind.oneAtATime) {
    const pending = [...state.operations.values()].find(
      (candidate) =>
        candidate.tenant === tenant &&
        candidate.kind === kind.kind &&
        !terminalStates.has(monitorAt(candidate, Date.now()).state),
    );
    if (pending !== undefined) {
      const snapshot = monitorAt(pending, Date.now());
      return problem(exchange, '409', {
        detail: `${pending.kind} ${pending.id} is ${snapshot.state}; retry after it finishes.`,
        extensions: { monitor: monitorHref(pending.id) },
        headers: { Link: monitorLink(pending.id), 'Retry-After': retryAfter(state, snapshot) },
      });
    }
  }

  const key = header(exchange.request, 'idempotency-key');
  const bodyText = JSON.stringify(exchange.body ?? null);
  const keyed = key === undefined ? undefined : `${tenant}\u0000${key}`;
  const replayed = keyed === undefined ? undefined : state.idempotencyKeys.get(keyed);
  if (replayed !== undefined && replayed.body !== bodyText) {
    return problem(exchange, '422', { detail: `Idempotency-Key "${key}" was first used for another request body.` });
  }

  let accepted = replayed === undefined ? undefined : state.operations.get(replayed.id);
  if (accepted === undefined) {
    const outcomeKey = preferences.get('example');
    const outcome = kind.outcomes.get(typeof outcomeKey === 'string' ? outcomeKey : 'succeeded');
    if (outcome === undefined) {
      const known = [...kind.outcomes.keys()].join(', ');
      return problem(exchange, '400', {
        detail: `No outcome "${String(outcomeKey)}" for ${operation.operationId}; its examples end in: ${known}.`,
        extensions: { errors: [{ pointer: '/headers/prefer', message: `example must be one of: ${known}` }] },
      });
    }
    accepted = newOperation(state, exchange, kind, outcome);
    state.operations.set(accepted.id, accepted);
    if (keyed !== undefined) state.idempotencyKeys.set(keyed, { body: bodyText, id: accepted.id });
  }

  const isRead = operation.method === 'get';
  const wait = waitSeconds(preferences, MAX_WAIT_SECONDS);
  let snapshot = monitorAt(accepted, Date.now());
  if (wait !== undefined && wait > 0) {
    snapshot = await waitForChange(accepted, wait, exchange.signal, (s) => terminalStates.has(s.state));
  }
  const applied = formatPreferenceApplied({ respondAsync: isRead, waitSeconds: wait });
  if (isRead && wait !== undefined && snapshot.state === 'succeeded') {
    // A read accepted as an operation that finished in time answers its result itself (RFC 7240 §4.3).
    return send(exchange, '200', { headers: { 'Preference-Applied': applied }, body: snapshot.monitor.result });
  }
  if (terminalStates.has(snapshot.state) && wait !== undefined && !isRead) {
    const answer = monitorAnswer(state, accepted, snapshot);
    return send(exchange, answer.code, {
      headers: {
        ...(answer.code === '201' ? { Location: accepted.productHref } : {}),
        'Content-Location': monitorHref(accepted.id),
        ETag: etagOf(accepted, snapshot),
        Link: monitorLink(accepted.id),
        'Preference-Applied': applied,
      },
      body: snapshot.monitor,
    });
  }
  return send(exchange, '202', {
    headers: {
      ETag: etagOf(accepted, snapshot),
      Location:
        kind.acceptLocation === 'product' && accepted.productHref ? accepted.productHref : monitorHref(accepted.id),
      'Retry-After': retryAfter(state, snapshot),
      Link: monitorLink(accepted.id),
      'Preference-Applied': applied,
    },
    body: snapshot.monitor,
  });
}

/** A new operation from the kind's examples, their ids made this operation's own. */
function newOperation(state: MockState, exchange: Exchange, kind: KindTemplates, outcome: JsonObject): MockOperation {
  const id = mintId('op_');
  const productId = kind.product === undefined ? undefined : mintProductId(kind.product);
  const replacements = new Map<string, string>(kind.exampleMonitorIds.map((exampleId) => [exampleId, id]));
  if (kind.product !== undefined && productId !== undefined) replacements.set(kind.product.id, productId);
  return {
    id,
    tenant: exchange.tenant,
    kind: kind.kind,
    acceptedAt: Date.now(),
    durationMs: state.durationMs,
    queuedMs: state.queuedMs,
    request: {
      method: exchange.operation.method.toUpperCase(),
      path: `${exchange.url.pathname}${exchange.url.search}`,
      ...(exchange.body === undefined ? {} : { body: exchange.body }),
    },
    queued: replaceStrings(kind.queued, replacements) as JsonObject,
    outcome: replaceStrings(outcome, replacements) as JsonObject,
    productHref: kind.product === undefined ? undefined : (replaceStrings(kind.product.href, replacements) as string),
    productFromStart: kind.productFromStart,
    cancellable: state.spec.operations.some(
      (operation) => operation.path === monitorPaths.cancel && operation.method === 'post',
    ),
  };
}

/** randexp's module is its class (`module.exports = RandExp`), though its declarations say `export default`. */
const RandExp = randexpModule as unknown as typeof randexpModule.default;

/**
 * A fresh id for a product, prefixed as its example's, that its read operation's path parameter
 * accepts: where the parameter's `pattern` refuses the minted one, a string generated from the pattern.
 */
function mintProductId(product: NonNullable<KindTemplates['product']>): string {
  const minted = mintId(`${product.id.split('_')[0]}_`);
  const pattern = product.idSchema?.pattern;
  if (typeof pattern !== 'string') return minted;
  const accepts = new RegExp(pattern, 'u');
  return [minted, minted.toLowerCase()].find((candidate) => accepts.test(candidate)) ?? new RandExp(accepts).gen();
}
