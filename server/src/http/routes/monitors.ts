/**
 * `/monitors`: the status resource of every accepted request, its long poll, cancel and list.
 *
 * Contract: "The monitor" of the async contract, as openapi/openapi.yaml states it.
 */
import type { OperationRecord } from '../../operations/model.ts';
import { InvalidCursorError } from '../../operations/ports/index.ts';
import { isTerminal } from '../../operations/state.ts';
import {
  ifNoneMatchMatches,
  linkHeader,
  monitorEtag,
  parsePrefer,
  preferenceApplied,
  retryAfterFromEta,
} from '../headers.ts';
import type { HttpContext } from '../http-context.ts';
import { monitorHref, monitorStatus } from '../monitor-view.ts';
import { HttpProblem, validationProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

/** Answers 404 for ids the caller cannot see (another tenant's do not exist for it). */
function notFound(id: string): HttpProblem {
  return new HttpProblem('not-found', { detail: `No monitor ${id}.` });
}

/** The routes of `/monitors`. */
export function monitorRoutes(context: HttpContext): RouteDefinition[] {
  const { engine, clock } = context;

  const pendingHeaders = (operation: OperationRecord) =>
    isTerminal(operation.state)
      ? {}
      : {
          'Retry-After': retryAfterFromEta(operation.estimatedCompletionAt, clock.now(), context.retryAfter),
          'Cache-Control': 'no-store',
        };

  return [
    defineRoute('/monitors', 'get', async ({ tenant, query }) => {
      const limit = query.limit ?? 20;
      const page = await engine
        .list({ tenant, state: query.state, kind: query.kind, after: query.cursor, limit })
        .catch((error: unknown) => {
          if (error instanceof InvalidCursorError) {
            throw validationProblem([{ pointer: '/query/cursor', message: 'is not a cursor this server issued' }]);
          }
          throw error;
        });
      let next: string | null = null;
      if (page.next !== null) {
        const params = new URLSearchParams();
        if (query.state) params.set('state', query.state);
        if (query.kind) params.set('kind', query.kind);
        params.set('cursor', page.next);
        params.set('limit', String(limit));
        next = `/monitors?${params.toString()}`;
      }
      return {
        status: 200,
        headers: { Link: next === null ? undefined : linkHeader(next, 'next') },
        body: { items: page.items.map(context.toMonitor), next },
      };
    }),

    defineRoute('/monitors/{monitorId}', 'get', async (request) => {
      const { tenant, params, header } = request;
      let operation = await engine.get(tenant, params.monitorId);
      if (operation === undefined) throw notFound(params.monitorId);
      let { waitSeconds } = parsePrefer(header('prefer'), context.maxWaitSeconds);
      const ifNoneMatch = header('if-none-match');

      // Long poll: hold the answer until the monitor changes (or no longer matches the caller's
      // ETag), the wait runs out, or the client goes away.
      const holds = ifNoneMatch === undefined || ifNoneMatchMatches(ifNoneMatch, monitorEtag(operation));
      if (waitSeconds !== undefined && waitSeconds > 0 && holds && !isTerminal(operation.state)) {
        const release = context.heldPolls.hold(tenant);
        if (release === undefined) {
          // The tenant holds as many polls as it may: answered now, the wait not applied.
          waitSeconds = undefined;
        } else {
          // The signal is made only here: most requests never wait.
          const signal = request.signal;
          const changed = await engine
            .waitForChange(tenant, operation.id, operation.version, waitSeconds * 1000, signal)
            .catch((error: unknown) => {
              // The client went away: nobody reads the answer.
              if (signal.aborted) return undefined;
              throw error;
            })
            .finally(release);
          if (changed !== undefined) operation = changed;
        }
      }

      const etag = monitorEtag(operation);
      const applied = preferenceApplied({ waitSeconds });
      if (ifNoneMatchMatches(ifNoneMatch, etag)) {
        return { status: 304, headers: { ETag: etag, 'Preference-Applied': applied, ...pendingHeaders(operation) } };
      }
      const status = monitorStatus(operation);
      const common = {
        ETag: etag,
        Link: linkHeader(monitorHref(operation.id), 'monitor'),
        'Preference-Applied': applied,
      };
      const body = context.toMonitor(operation);
      if (status === 202) return { status, headers: { ...common, ...pendingHeaders(operation) }, body };
      if (status === 201) return { status, headers: { ...common, Location: operation.product?.href }, body };
      return { status, headers: common, body };
    }),

    defineRoute('/monitors/{monitorId}/cancel', 'post', async ({ tenant, params }) => {
      const answer = await engine.cancel(tenant, params.monitorId);
      if (answer === undefined) throw notFound(params.monitorId);
      const { operation } = answer;
      const link = linkHeader(monitorHref(operation.id), 'monitor');
      if (answer.outcome === 'terminal') {
        throw new HttpProblem('operation-finished', {
          detail: `Operation ${operation.id} ended ${operation.state}; it cannot be cancelled.`,
          headers: { Link: link },
        });
      }
      const etag = monitorEtag(operation);
      if (answer.outcome === 'cancelled') {
        return { status: 200, headers: { ETag: etag, Link: link }, body: context.toMonitor(operation) };
      }
      return {
        status: 202,
        headers: {
          Location: monitorHref(operation.id),
          ETag: etag,
          Link: link,
          'Retry-After': retryAfterFromEta(operation.estimatedCompletionAt, clock.now(), context.retryAfter),
        },
        body: context.toMonitor(operation),
      };
    }),
  ];
}
