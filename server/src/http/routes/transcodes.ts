/**
 * `/transcodes` (many at a time) and the product documents they produce at
 * `/products/{productId}`.
 */
import type { EncodedVideo } from '../../kinds/transcodes.ts';
import { acceptOperation } from '../accept.ts';
import type { Schema } from '../api-types.ts';
import type { HttpContext } from '../http-context.ts';
import { HttpProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

/** The routes of `/transcodes` and `/products`. */
export function transcodeRoutes(context: HttpContext): RouteDefinition[] {
  return [
    defineRoute('/transcodes', 'post', async (request) =>
      acceptOperation<Schema<'TranscodeMonitor'>>(context, request, 'POST', { kind: 'transcode', input: request.body }),
    ),

    defineRoute('/products/{productId}', 'get', async ({ tenant, params }) => {
      const stored = await context.engine.getResource(tenant, 'products', params.productId);
      if (stored === undefined) throw new HttpProblem('not-found', { detail: `No product ${params.productId}.` });
      return {
        status: 200,
        headers: { ETag: `"${stored.id}.${stored.updatedAt}"` },
        body: stored.body as EncodedVideo,
      };
    }),
  ];
}
