/**
 * `/reindex` (one at a time): a second request while one is pending answers 409
 * naming the pending monitor (the engine's lock, raised by `acceptOperation`).
 */
import { acceptOperation } from '../accept.ts';
import type { Schema } from '../api-types.ts';
import type { HttpContext } from '../http-context.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

/** The routes of `/reindex`. */
export function reindexRoutes(context: HttpContext): RouteDefinition[] {
  return [
    defineRoute('/reindex', 'post', async (request) => {
      const answer = await acceptOperation<Schema<'ReindexMonitor'>>(context, request, 'POST', {
        kind: 'reindex',
        input: request.body,
      });
      // A reindex never creates a resource, so the spec has no 201 for it.
      if (answer.status === 201) throw new Error('reindex ended with a product');
      return { ...answer, status: answer.status };
    }),
  ];
}
