/**
 * Accepting a request for work: the one flow every long-running operation of a spec shares (its
 * route is built from the spec, `spec-routes.ts`).
 *
 * Idempotency-Key (replay / 409 while in flight / 422 on another body), one-at-a-time 409,
 * `202` with `Location`, `Retry-After`, `Link rel="monitor"` and the monitor as body, and
 * `Prefer: wait=N` answering with the final outcome when the work finishes in time.
 *
 * Contract: "Accepting a request" of the async contract, as openapi/openapi.yaml states it.
 */

import type { NewResource } from '../operations/ports/index.ts';
import { isTerminal } from '../operations/state.ts';
import { checkCallbackUrl } from '../push/callbacks.ts';
import { OutboundRefusedError } from '../push/ssrf-guard.ts';
import { boundedUrl, uriTooLong } from './answer-bounds.ts';
import type { AnyMonitor } from './api-types.ts';
import { linkHeader, monitorEtag, parsePrefer, preferenceApplied, retryAfterFromEta } from './headers.ts';
import type { HttpContext } from './http-context.ts';
import { monitorHref, monitorStatus } from './monitor-view.ts';
import { HttpProblem, validationProblem } from './problem.ts';

/** The request parts the accept flow reads (a route's request; never spread: `signal` is lazy). */
export interface AcceptRequest {
  tenant: string;
  path: string;
  body: unknown;
  header(name: string): string | undefined;
  readonly signal: AbortSignal;
}

/** What a route asks to accept. */
export interface AcceptSpec {
  kind: string;
  input: unknown;
  /** A resource that exists from acceptance on (an embedded-status resource, an order). */
  resource?: NewResource | undefined;
  /** Where `resource` is read; linked as the product from the start. */
  resourceHref?: string | undefined;
  /** Embedded status: `Location` is the resource itself rather than the monitor. @default false */
  locationIsResource?: boolean;
  /** A callback URL from the body (`callbackUrl`); the `Callback-Url` header works for every request. */
  callbackUrl?: string | null | undefined;
}

/** The answer to an accepted request, typed by the route as its kind's monitor. */
export interface AcceptAnswer<M extends AnyMonitor> {
  status: 200 | 201 | 202;
  headers: Record<string, string | number | undefined>;
  body: M;
}

/** Idempotency keys whose first request is still being accepted, in this process. */
const keysInFlight = new Set<string>();

/**
 * Accepts work and answers per the contract.
 *
 * @throws {HttpProblem} 409 `idempotency-key-in-flight`, 422 `idempotency-key-reused`,
 *   409 `operation-pending` (one at a time).
 */
export async function acceptOperation<M extends AnyMonitor>(
  context: HttpContext,
  request: AcceptRequest,
  method: string,
  spec: AcceptSpec,
): Promise<AcceptAnswer<M>> {
  // The monitor echoes the path: one longer than the spec lets it show would break every read of it.
  if (request.path.length > context.bounds.requestPath) throw uriTooLong(request.path.length, context.bounds);
  const preferences = parsePrefer(request.header('prefer'), context.maxWaitSeconds);
  const callbackUrl = await acceptedCallbackUrl(context, request, spec.callbackUrl ?? undefined);
  const key = request.header('idempotency-key');
  const inFlightKey = key === undefined ? undefined : `${request.tenant}\u0000${key}`;
  if (inFlightKey !== undefined && keysInFlight.has(inFlightKey)) {
    throw new HttpProblem('idempotency-key-in-flight', {
      detail: 'Retry after the first request with this key has been answered.',
      headers: { 'Retry-After': '1' },
    });
  }
  if (inFlightKey !== undefined) keysInFlight.add(inFlightKey);
  let outcome: Awaited<ReturnType<HttpContext['engine']['accept']>>;
  try {
    outcome = await context.engine.accept({
      tenant: request.tenant,
      kind: spec.kind,
      input: spec.input,
      request: { method, path: request.path, ...(request.body === undefined ? {} : { body: request.body }) },
      idempotencyKey: key,
      callbackUrl,
      resource: spec.resource,
      productHref: spec.resourceHref,
    });
  } finally {
    if (inFlightKey !== undefined) keysInFlight.delete(inFlightKey);
  }

  switch (outcome.outcome) {
    case 'idempotency-mismatch':
      throw new HttpProblem('idempotency-key-reused', {
        detail: `Idempotency-Key "${key}" was first used for another request (method, path, body or callback URL); use a new key for a different request.`,
      });
    case 'locked': {
      const pending = outcome.pending;
      throw new HttpProblem('operation-pending', {
        detail: `${pending.kind} ${pending.id} is ${pending.state}; retry after it finishes.`,
        extensions: { monitor: monitorHref(pending.id) },
        headers: {
          Link: linkHeader(monitorHref(pending.id), 'monitor'),
          'Retry-After': String(
            retryAfterFromEta(pending.estimatedCompletionAt, context.clock.now(), context.retryAfter),
          ),
        },
      });
    }
    case 'created':
    case 'replayed':
      break;
  }

  let operation = outcome.operation;
  const replayHeader = outcome.outcome === 'replayed' ? { 'Idempotent-Replayed': 'true' } : {};
  const release =
    preferences.waitSeconds !== undefined && preferences.waitSeconds > 0 && !isTerminal(operation.state)
      ? context.heldPolls.hold(request.tenant)
      : undefined;
  // The tenant holds as many waits as it may: answered now with the 202, the wait not applied.
  if (release === undefined && (preferences.waitSeconds ?? 0) > 0 && !isTerminal(operation.state))
    preferences.waitSeconds = undefined;
  if (release !== undefined && preferences.waitSeconds !== undefined) {
    const waited = await context.engine
      .waitForTerminal(operation.tenant, operation.id, preferences.waitSeconds * 1000, request.signal)
      .catch((error: unknown) => {
        // The client went away; the operation was accepted and goes on.
        if (request.signal.aborted) return undefined;
        throw error;
      })
      .finally(release);
    if (waited !== undefined) operation = waited;
  }
  const monitor = context.toMonitor(operation) as M;
  const link = linkHeader(monitorHref(operation.id), 'monitor');

  if (isTerminal(operation.state) && preferences.waitSeconds !== undefined) {
    const status = monitorStatus(operation) as 200 | 201;
    return {
      status,
      headers: {
        ...(status === 201 && operation.product ? { Location: operation.product.href } : {}),
        'Content-Location': monitorHref(operation.id),
        Link: link,
        'Preference-Applied': preferenceApplied({ waitSeconds: preferences.waitSeconds }),
        ...replayHeader,
      },
      body: monitor,
    };
  }
  return {
    status: 202,
    headers: {
      // The stored product, not `spec.resourceHref`: a replayed request names a resource that was never made.
      Location: spec.locationIsResource && operation.product ? operation.product.href : monitorHref(operation.id),
      'Retry-After': retryAfterFromEta(operation.estimatedCompletionAt, context.clock.now(), context.retryAfter),
      // The monitor's ETag, so the first long poll can already be conditional.
      ETag: monitorEtag(operation),
      Link: link,
      // Answering 202 honours respond-async (every POST here is async), and the wait if one was asked.
      'Preference-Applied': preferenceApplied(preferences),
      ...replayHeader,
    },
    body: monitor,
  };
}

/**
 * The callback URL of a request (`Callback-Url` header, or a `callbackUrl` body member), checked
 * by the SSRF guard and normalised; null for none.
 *
 * @throws {HttpProblem} 400 pointing at the header or member when the URL is refused, or when both
 *   are given and differ.
 */
async function acceptedCallbackUrl(
  context: HttpContext,
  request: AcceptRequest,
  fromBody: string | undefined,
): Promise<string | null> {
  const fromHeader = request.header('callback-url');
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw validationProblem([
      { pointer: '/headers/callback-url', message: 'differs from /body/callbackUrl; send one of them' },
    ]);
  }
  const url = fromHeader ?? fromBody;
  if (url === undefined) return null;
  const pointer = fromHeader === undefined ? '/body/callbackUrl' : '/headers/callback-url';
  if (context.outboundGuard === undefined) {
    throw validationProblem([{ pointer, message: 'this server delivers no callbacks' }]);
  }
  try {
    return boundedUrl(await checkCallbackUrl(context.outboundGuard, url), context.bounds, pointer);
  } catch (error) {
    if (error instanceof OutboundRefusedError)
      throw validationProblem([{ pointer, message: `refused: ${error.message}` }]);
    throw error;
  }
}
