/**
 * `/webhook-subscriptions` (subscribe, list, read, delete, rotate the secret, read the delivery
 * log) and `/callback-secret` (the secret that signs the tenant's callbacks).
 *
 * Contract: "Push instead of poll" of the async contract, as openapi/openapi.yaml states it.
 */

import { newId } from '../../operations/ids.ts';
import { InvalidCursorError } from '../../operations/ports/index.ts';
import type {
  DeliveryRecord,
  SigningSecrets,
  WebhookSubscriptionRecord,
} from '../../operations/ports/webhook-store.ts';
import { WEBHOOK_EVENT_TYPES } from '../../operations/ports/webhook-store.ts';
import { callbackSecrets, rotateCallbackSecrets } from '../../push/callbacks.ts';
import type { PushContext } from '../../push/push-settings.ts';
import { newSigningSecret } from '../../push/signing.ts';
import { OutboundRefusedError } from '../../push/ssrf-guard.ts';
import { boundedUrl } from '../answer-bounds.ts';
import type { Schema } from '../api-types.ts';
import { linkHeader } from '../headers.ts';
import type { HttpContext } from '../http-context.ts';
import { HttpProblem, validationProblem } from '../problem.ts';
import { defineRoute, type RouteDefinition } from '../typed-route.ts';

type WebhookSubscription = Schema<'WebhookSubscription'>;

/** The URL of a subscription. */
export function subscriptionHref(id: string): string {
  return `/webhook-subscriptions/${id}`;
}

/** A subscription as the API shows it (never with its secret). */
export function toWebhookSubscription(record: WebhookSubscriptionRecord): WebhookSubscription {
  const self = subscriptionHref(record.id);
  return {
    id: record.id,
    url: record.url,
    description: record.description,
    eventTypes: record.eventTypes,
    state: record.state,
    disabledReason: record.disabledReason,
    previousSecretExpiresAt: record.secrets.previous === null ? null : record.secrets.previousExpiresAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    links: { self: { href: self }, deliveries: { href: `${self}/deliveries` } },
  };
}

/** A delivery as the log shows it. */
export function toWebhookDelivery(record: DeliveryRecord): Schema<'WebhookDelivery'> {
  return {
    id: record.id,
    messageId: record.messageId,
    eventType: record.type,
    monitorId: record.operationId,
    monitorVersion: record.operationVersion,
    state: record.state,
    attempts: record.attempts,
    nextAttemptAt: record.nextAttemptAt,
    lastAttemptAt: record.lastAttemptAt,
    lastStatus: record.lastStatus,
    lastError: record.lastError,
    createdAt: record.createdAt,
    finishedAt: record.finishedAt,
  };
}

function toSigningSecret(secrets: SigningSecrets): Schema<'SigningSecret'> {
  return {
    secret: secrets.current,
    previousSecretExpiresAt: secrets.previous === null ? null : secrets.previousExpiresAt,
  };
}

function notFound(id: string): HttpProblem {
  return new HttpProblem('not-found', { detail: `No webhook subscription ${id}.` });
}

/** A page's `next` link and `Link` header for `path`, or nulls on the last page. */
function nextPage(
  path: string,
  next: string | null,
  limit: number,
): { href: string | null; header: string | undefined } {
  if (next === null) return { href: null, header: undefined };
  const href = `${path}?${new URLSearchParams({ cursor: next, limit: String(limit) }).toString()}`;
  return { href, header: linkHeader(href, 'next') };
}

function invalidCursor(error: unknown): never {
  if (error instanceof InvalidCursorError) {
    throw validationProblem([{ pointer: '/query/cursor', message: 'is not a cursor this server issued' }]);
  }
  throw error;
}

/** The routes of `/webhook-subscriptions` and `/callback-secret`. */
export function webhookSubscriptionRoutes(context: HttpContext, push: PushContext): RouteDefinition[] {
  const { clock } = context;
  const { webhooks, guard } = push;

  async function find(tenant: string, id: string): Promise<WebhookSubscriptionRecord> {
    const found = await webhooks.getSubscription(tenant, id);
    if (found === undefined) throw notFound(id);
    return found;
  }

  return [
    defineRoute('/webhook-subscriptions', 'post', async ({ tenant, body }) => {
      let url: string;
      try {
        url = (await guard.check(body.url)).url.href;
        // Stored normalised: percent-encoding may lengthen it past what a subscription can show.
        url = boundedUrl(url, context.bounds, '/body/url');
      } catch (error) {
        if (error instanceof OutboundRefusedError)
          throw validationProblem([{ pointer: '/body/url', message: `refused: ${error.message}` }]);
        throw error;
      }
      const now = clock.now();
      const secret = newSigningSecret();
      const created = await webhooks.createSubscription(
        {
          id: newId('whs', now),
          tenant,
          url,
          description: body.description ?? null,
          eventTypes: body.eventTypes ?? [...WEBHOOK_EVENT_TYPES],
          secret,
          createdAt: now.toISOString(),
        },
        push.maxSubscriptionsPerTenant,
      );
      if (created === 'limit-reached') {
        throw new HttpProblem('webhook-subscription-limit', {
          detail: `A tenant may have ${push.maxSubscriptionsPerTenant} webhook subscriptions.`,
        });
      }
      return {
        status: 201,
        headers: { Location: subscriptionHref(created.id) },
        body: { ...toWebhookSubscription(created), secret },
      };
    }),

    defineRoute('/webhook-subscriptions', 'get', async ({ tenant, query }) => {
      const limit = query.limit ?? 20;
      const page = await webhooks.listSubscriptions({ tenant, after: query.cursor, limit }).catch(invalidCursor);
      const next = nextPage('/webhook-subscriptions', page.next, limit);
      return {
        status: 200,
        headers: { Link: next.header },
        body: { items: page.items.map(toWebhookSubscription), next: next.href },
      };
    }),

    defineRoute('/webhook-subscriptions/{subscriptionId}', 'get', async ({ tenant, params }) => ({
      status: 200,
      body: toWebhookSubscription(await find(tenant, params.subscriptionId)),
    })),

    defineRoute('/webhook-subscriptions/{subscriptionId}', 'delete', async ({ tenant, params }) => {
      if (!(await webhooks.deleteSubscription(tenant, params.subscriptionId))) throw notFound(params.subscriptionId);
      return { status: 204 };
    }),

    defineRoute('/webhook-subscriptions/{subscriptionId}/rotate-secret', 'post', async ({ tenant, params }) => {
      const now = clock.now();
      const secret = newSigningSecret();
      const expires = new Date(now.getTime() + push.secretGraceMs).toISOString();
      const rotated = await webhooks.rotateSubscriptionSecret(tenant, params.subscriptionId, secret, expires, now);
      if (rotated === undefined) throw notFound(params.subscriptionId);
      return { status: 200, body: { ...toWebhookSubscription(rotated), secret } };
    }),

    defineRoute('/webhook-subscriptions/{subscriptionId}/deliveries', 'get', async ({ tenant, params, query }) => {
      await find(tenant, params.subscriptionId);
      const limit = query.limit ?? 20;
      const page = await webhooks
        .listDeliveries({ tenant, subscriptionId: params.subscriptionId, after: query.cursor, limit })
        .catch(invalidCursor);
      const next = nextPage(`${subscriptionHref(params.subscriptionId)}/deliveries`, page.next, limit);
      return {
        status: 200,
        headers: { Link: next.header },
        body: { items: page.items.map(toWebhookDelivery), next: next.href },
      };
    }),

    defineRoute('/callback-secret', 'get', async ({ tenant }) => ({
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: toSigningSecret(await callbackSecrets(webhooks, tenant, clock.now())),
    })),

    defineRoute('/callback-secret/rotate', 'post', async ({ tenant }) => ({
      status: 200,
      headers: { 'Cache-Control': 'no-store' },
      body: toSigningSecret(await rotateCallbackSecrets(webhooks, tenant, clock.now(), push.secretGraceMs)),
    })),
  ];
}
