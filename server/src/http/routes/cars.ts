/**
 * `/cars` (a task with workflow steps): building a car is a task with workflow steps; `GET` with
 * `Prefer: respond-async` answers 202 + monitor instead of the car.
 */
import type { Car } from '../../kinds/cars.ts';
import { acceptOperation } from '../accept.ts';
import type { Schema } from '../api-types.ts';
import { parsePrefer } from '../headers.ts';
import type { HttpContext } from '../http-context.ts';
import { HttpProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

/** The entity tag of a stored car. */
function carEtag(stored: { id: string; updatedAt: string }): string {
  return `"${stored.id}.${stored.updatedAt}"`;
}

/** The routes of `/cars`. */
export function carRoutes(context: HttpContext): RouteDefinition[] {
  return [
    defineRoute('/cars', 'post', async (request) =>
      acceptOperation<Schema<'CarCreationMonitor'>>(context, request, 'POST', {
        kind: 'car.create',
        input: request.body,
      }),
    ),

    defineRoute('/cars/{carId}', 'get', async (request) => {
      const { tenant, params, header } = request;
      const stored = await context.engine.getResource(tenant, 'cars', params.carId);
      if (stored === undefined) throw new HttpProblem('not-found', { detail: `No car ${params.carId}.` });
      if (parsePrefer(header('prefer')).respondAsync) {
        const answer = await acceptOperation<Schema<'CarReadMonitor'>>(
          context,
          { ...request, body: undefined, signal: request.signal },
          'GET',
          { kind: 'car.read', input: { carId: params.carId } },
        );
        // Preference-Applied names respond-async (and a wait, when one was asked for and ran out).
        if (answer.status === 202) return { status: 202, headers: answer.headers, body: answer.body };
        // `respond-async, wait=N` and the read finished in time: the outcome is the car itself (RFC 7240 §4.3).
        if (answer.body.result === undefined) throw new HttpProblem('not-found', { detail: `No car ${params.carId}.` });
        return {
          status: 200,
          headers: { ETag: carEtag(stored), 'Preference-Applied': answer.headers['Preference-Applied'] },
          body: answer.body.result,
        };
      }
      return { status: 200, headers: { ETag: carEtag(stored) }, body: stored.body as Car };
    }),
  ];
}
