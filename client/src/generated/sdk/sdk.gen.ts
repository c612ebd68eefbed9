// generated from openapi/openapi.yaml by `pnpm generate` — do not edit

import { client } from './client.gen.ts';
import type { Client, Options as Options2, TDataShape } from './client/index.ts';
import type {
  CancelMonitorData,
  CancelMonitorErrors,
  CancelMonitorResponses,
  ConfirmWidgetOrderFulfilmentData,
  ConfirmWidgetOrderFulfilmentErrors,
  ConfirmWidgetOrderFulfilmentResponses,
  CreateCarData,
  CreateCarErrors,
  CreateCarResponses,
  CreateTranscodeData,
  CreateTranscodeErrors,
  CreateTranscodeResponses,
  CreateVirtualMachineData,
  CreateVirtualMachineErrors,
  CreateVirtualMachineResponses,
  CreateWebhookSubscriptionData,
  CreateWebhookSubscriptionErrors,
  CreateWebhookSubscriptionResponses,
  CreateWidgetOrderData,
  CreateWidgetOrderErrors,
  CreateWidgetOrderResponses,
  DeleteWebhookSubscriptionData,
  DeleteWebhookSubscriptionErrors,
  DeleteWebhookSubscriptionResponses,
  GetCallbackSecretData,
  GetCallbackSecretErrors,
  GetCallbackSecretResponses,
  GetCarData,
  GetCarErrors,
  GetCarResponses,
  GetHealthData,
  GetHealthErrors,
  GetHealthResponses,
  GetInvoiceData,
  GetInvoiceErrors,
  GetInvoiceResponses,
  GetMonitorData,
  GetMonitorErrors,
  GetMonitorResponses,
  GetProductData,
  GetProductErrors,
  GetProductResponses,
  GetVirtualMachineData,
  GetVirtualMachineErrors,
  GetVirtualMachineResponses,
  GetWebhookSubscriptionData,
  GetWebhookSubscriptionErrors,
  GetWebhookSubscriptionResponses,
  GetWidgetData,
  GetWidgetErrors,
  GetWidgetOrderData,
  GetWidgetOrderErrors,
  GetWidgetOrderResponses,
  GetWidgetResponses,
  ListMonitorsData,
  ListMonitorsErrors,
  ListMonitorsResponses,
  ListWebhookDeliveriesData,
  ListWebhookDeliveriesErrors,
  ListWebhookDeliveriesResponses,
  ListWebhookSubscriptionsData,
  ListWebhookSubscriptionsErrors,
  ListWebhookSubscriptionsResponses,
  RotateCallbackSecretData,
  RotateCallbackSecretErrors,
  RotateCallbackSecretResponses,
  RotateWebhookSubscriptionSecretData,
  RotateWebhookSubscriptionSecretErrors,
  RotateWebhookSubscriptionSecretResponses,
  StartReindexData,
  StartReindexErrors,
  StartReindexResponses,
  StreamMonitorEventsData,
  StreamMonitorEventsErrors,
  StreamMonitorEventsResponse,
  StreamMonitorEventsResponses,
} from './types.gen.ts';

export type Options<
  TData extends TDataShape = TDataShape,
  ThrowOnError extends boolean = boolean,
  TResponse = unknown,
> = Options2<TData, ThrowOnError, TResponse> & {
  /**
   * You can provide a client instance returned by `createClient()` instead of
   * individual options. This might be also useful if you want to implement a
   * custom client.
   */
  client?: Client;
  /**
   * You can pass arbitrary values through the `meta` object. This can be
   * used to access values that aren't defined as part of the SDK function.
   */
  meta?: Record<string, unknown>;
};

/**
 * Health of the service and its store
 */
export const getHealth = <ThrowOnError extends boolean = false>(options?: Options<GetHealthData, ThrowOnError>) =>
  (options?.client ?? client).get<GetHealthResponses, GetHealthErrors, ThrowOnError>({ url: '/healthz', ...options });

/**
 * List the caller's monitors, newest first
 *
 * Filterable by `state` and `kind`; cursor-paginated with `Link rel="next"`.
 */
export const listMonitors = <ThrowOnError extends boolean = false>(options?: Options<ListMonitorsData, ThrowOnError>) =>
  (options?.client ?? client).get<ListMonitorsResponses, ListMonitorsErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/monitors',
    ...options,
  });

/**
 * The status of one accepted request
 *
 * `202` while queued or running (with `Retry-After` from the ETA and `Cache-Control: no-store`),
 * `201` with `Location` → the created resource once it succeeded and created one, `200` once it
 * succeeded with an inline result or none, failed, or was cancelled. Every answer has an `ETag`;
 * `If-None-Match` that still matches answers `304`. `Prefer: wait=N` is a long poll: the answer
 * comes as soon as the monitor changes (or, with `If-None-Match`, differs from that ETag), or
 * after N seconds.
 *
 */
export const getMonitor = <ThrowOnError extends boolean = false>(options: Options<GetMonitorData, ThrowOnError>) =>
  (options.client ?? client).get<GetMonitorResponses, GetMonitorErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/monitors/{monitorId}',
    ...options,
  });

/**
 * Ask to cancel an accepted request
 *
 * A queued operation is cancelled at once (`200`). A running one is told (its handler's
 * `AbortSignal` fires) and ends `cancelled` shortly (`202`, with `cancelRequested: true`);
 * no product is published. A finished operation cannot be cancelled (`409`).
 *
 */
export const cancelMonitor = <ThrowOnError extends boolean = false>(
  options: Options<CancelMonitorData, ThrowOnError>,
) =>
  (options.client ?? client).post<CancelMonitorResponses, CancelMonitorErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/monitors/{monitorId}/cancel',
    ...options,
  });

/**
 * The monitor's changes as server-sent events
 *
 * A `text/event-stream` (WHATWG HTML "Server-sent events") of the monitor: one event per
 * change, each named `monitor`, with `id:` the monitor's version and `data:` the whole monitor
 * (an `AnyMonitor`, one line of JSON). The first event is the monitor as it is now; the stream
 * is closed after the event of a terminal state (`succeeded`, `failed`, `cancelled`). A comment
 * line (`: keep-alive`) is sent every 15 seconds so that proxies keep the connection open.
 *
 * Resuming: send the last `id:` received as `Last-Event-ID`. The stream then starts with the
 * monitor as it is now if its version is newer, and goes on with every later change; a version
 * already received is never sent again. Every event is a complete snapshot, so versions that
 * were superseded while the client was away are not replayed one by one. Once the monitor has
 * ended and the caller has its last version the answer is `204`, which tells an `EventSource`
 * to stop reconnecting.
 *
 * The stream is the only representation: a request whose `Accept` does not take
 * `text/event-stream` (`application/json` alone, or `text/event-stream;q=0`) answers `406`.
 * No `Accept`, `**`, `text*` and `text/event-stream` with any `q` above 0 get the stream.
 *
 * Authenticate with `Authorization: Bearer <key>` like every request: a `fetch`-based reader
 * can send it (the browser's `EventSource` cannot send headers).
 *
 */
export const streamMonitorEvents = <ThrowOnError extends boolean = false>(
  options: Options<StreamMonitorEventsData, ThrowOnError, StreamMonitorEventsResponse>,
) =>
  (options.client ?? client).sse.get<StreamMonitorEventsResponses, StreamMonitorEventsErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/monitors/{monitorId}/events',
    ...options,
  });

/**
 * Order a car to be built
 *
 * Accepted at once; the monitor walks the workflow steps `chassis`, `paint`, `inspection` and
 * ends `201` with `Location` → the car.
 *
 */
export const createCar = <ThrowOnError extends boolean = false>(options: Options<CreateCarData, ThrowOnError>) =>
  (options.client ?? client).post<CreateCarResponses, CreateCarErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/cars',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * Read a car
 *
 * Answers `200` with the car. With `Prefer: respond-async` the read is done as an
 * operation instead: `202` + monitor, which ends `200` with the car as its inline `result`.
 * With `Prefer: respond-async, wait=N` a read that ends within the wait answers as the read
 * itself: `200` with the car, or its problem with the problem's own status (`404` when the car
 * is gone by the time it is read), with `Link: <monitor>; rel="monitor"`.
 *
 */
export const getCar = <ThrowOnError extends boolean = false>(options: Options<GetCarData, ThrowOnError>) =>
  (options.client ?? client).get<GetCarResponses, GetCarErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/cars/{carId}',
    ...options,
  });

/**
 * Provision a virtual machine
 *
 * Embedded status: `Location` is the virtual machine itself, which carries its
 * `status`, `progress` and `estimatedCompletionAt` while it is provisioned; the monitor is
 * linked with `Link rel="monitor"`.
 *
 */
export const createVirtualMachine = <ThrowOnError extends boolean = false>(
  options: Options<CreateVirtualMachineData, ThrowOnError>,
) =>
  (options.client ?? client).post<CreateVirtualMachineResponses, CreateVirtualMachineErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/virtual-machines',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * A virtual machine with its embedded provisioning status
 */
export const getVirtualMachine = <ThrowOnError extends boolean = false>(
  options: Options<GetVirtualMachineData, ThrowOnError>,
) =>
  (options.client ?? client).get<GetVirtualMachineResponses, GetVirtualMachineErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/virtual-machines/{vmId}',
    ...options,
  });

/**
 * Transcode a video into a product document
 *
 * Many may run at once; each has its own monitor and, on success, its own product at `/products/{id}`.
 */
export const createTranscode = <ThrowOnError extends boolean = false>(
  options: Options<CreateTranscodeData, ThrowOnError>,
) =>
  (options.client ?? client).post<CreateTranscodeResponses, CreateTranscodeErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/transcodes',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * A product document produced by an operation
 */
export const getProduct = <ThrowOnError extends boolean = false>(options: Options<GetProductData, ThrowOnError>) =>
  (options.client ?? client).get<GetProductResponses, GetProductErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/products/{productId}',
    ...options,
  });

/**
 * Rebuild the search index, one run at a time
 *
 * One at a time: while a reindex is queued or running, another `POST` answers
 * `409` with a problem naming the pending monitor, `Link rel="monitor"` to it and `Retry-After`.
 * Ends `200` with an inline report; no product.
 *
 */
export const startReindex = <ThrowOnError extends boolean = false>(options: Options<StartReindexData, ThrowOnError>) =>
  (options.client ?? client).post<StartReindexResponses, StartReindexErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/reindex',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * Place a widget order
 *
 * The order is a resource of its own, readable during and after fulfilment. It
 * yields widgets and an invoice (`links.related` of the monitor). With
 * `manualFulfilment: true` the `fulfilment` step waits until someone confirms it with
 * `POST /widget-orders/{orderId}/fulfilment`. A `callbackUrl` is POSTed the monitor on every
 * state change.
 *
 */
export const createWidgetOrder = <ThrowOnError extends boolean = false>(
  options: Options<CreateWidgetOrderData, ThrowOnError>,
) =>
  (options.client ?? client).post<CreateWidgetOrderResponses, CreateWidgetOrderErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/widget-orders',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * A widget order, during and after fulfilment
 */
export const getWidgetOrder = <ThrowOnError extends boolean = false>(
  options: Options<GetWidgetOrderData, ThrowOnError>,
) =>
  (options.client ?? client).get<GetWidgetOrderResponses, GetWidgetOrderErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/widget-orders/{orderId}',
    ...options,
  });

/**
 * Confirm the manual fulfilment step of an order
 *
 * The outside action a `waiting` step links to. Answers `202` with the order's monitor, which
 * then moves on; `409` when the order is not waiting for fulfilment.
 *
 */
export const confirmWidgetOrderFulfilment = <ThrowOnError extends boolean = false>(
  options: Options<ConfirmWidgetOrderFulfilmentData, ThrowOnError>,
) =>
  (options.client ?? client).post<
    ConfirmWidgetOrderFulfilmentResponses,
    ConfirmWidgetOrderFulfilmentErrors,
    ThrowOnError
  >({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/widget-orders/{orderId}/fulfilment',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * A widget produced by an order
 */
export const getWidget = <ThrowOnError extends boolean = false>(options: Options<GetWidgetData, ThrowOnError>) =>
  (options.client ?? client).get<GetWidgetResponses, GetWidgetErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/widgets/{widgetId}',
    ...options,
  });

/**
 * The invoice of an order
 */
export const getInvoice = <ThrowOnError extends boolean = false>(options: Options<GetInvoiceData, ThrowOnError>) =>
  (options.client ?? client).get<GetInvoiceResponses, GetInvoiceErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/invoices/{invoiceId}',
    ...options,
  });

/**
 * List the caller's webhook subscriptions, newest first
 *
 * Cursor-paginated with `Link rel="next"`. Secrets are never listed; they are shown once, when made.
 */
export const listWebhookSubscriptions = <ThrowOnError extends boolean = false>(
  options?: Options<ListWebhookSubscriptionsData, ThrowOnError>,
) =>
  (options?.client ?? client).get<ListWebhookSubscriptionsResponses, ListWebhookSubscriptionsErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/webhook-subscriptions',
    ...options,
  });

/**
 * Subscribe an endpoint to monitor events
 *
 * The endpoint receives a signed `POST` (see the top-level `webhooks`) each time one of the
 * caller's monitors enters a state named in `eventTypes` (default: all). The answer holds the
 * signing `secret`, shown this once (rotate it to get a new one).
 *
 * The URL must be `http` or `https`, carry no credentials, and resolve only to public
 * addresses: loopback, private, link-local, metadata and other special-purpose addresses are
 * refused unless the operator allows them (`LONGRUN_OUTBOUND_ALLOW`). Deliveries follow no
 * redirect. An endpoint that answers `410 Gone` is disabled.
 *
 */
export const createWebhookSubscription = <ThrowOnError extends boolean = false>(
  options: Options<CreateWebhookSubscriptionData, ThrowOnError>,
) =>
  (options.client ?? client).post<CreateWebhookSubscriptionResponses, CreateWebhookSubscriptionErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/webhook-subscriptions',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * Unsubscribe
 *
 * Deletes the subscription with its delivery log; deliveries still queued for it are not sent.
 */
export const deleteWebhookSubscription = <ThrowOnError extends boolean = false>(
  options: Options<DeleteWebhookSubscriptionData, ThrowOnError>,
) =>
  (options.client ?? client).delete<DeleteWebhookSubscriptionResponses, DeleteWebhookSubscriptionErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/webhook-subscriptions/{subscriptionId}',
    ...options,
  });

/**
 * One webhook subscription
 *
 * Whether it is enabled (or was disabled because its endpoint answered `410`), what it receives, and its links.
 */
export const getWebhookSubscription = <ThrowOnError extends boolean = false>(
  options: Options<GetWebhookSubscriptionData, ThrowOnError>,
) =>
  (options.client ?? client).get<GetWebhookSubscriptionResponses, GetWebhookSubscriptionErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/webhook-subscriptions/{subscriptionId}',
    ...options,
  });

/**
 * Give a subscription a new signing secret
 *
 * Answers the new secret, shown this once. Until `previousSecretExpiresAt` (24 hours) each
 * delivery carries two signatures in `webhook-signature`, one per secret, so the receiver can
 * switch to the new secret at its own pace.
 *
 */
export const rotateWebhookSubscriptionSecret = <ThrowOnError extends boolean = false>(
  options: Options<RotateWebhookSubscriptionSecretData, ThrowOnError>,
) =>
  (options.client ?? client).post<
    RotateWebhookSubscriptionSecretResponses,
    RotateWebhookSubscriptionSecretErrors,
    ThrowOnError
  >({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/webhook-subscriptions/{subscriptionId}/rotate-secret',
    ...options,
  });

/**
 * The delivery log of a subscription, newest first
 *
 * Every message queued for the subscription: pending (with the time of its next attempt),
 * succeeded, failed (the retries ran out, or the endpoint answered `410`), or dropped (not sent
 * because the subscription was disabled). Cursor-paginated with `Link rel="next"`.
 *
 */
export const listWebhookDeliveries = <ThrowOnError extends boolean = false>(
  options: Options<ListWebhookDeliveriesData, ThrowOnError>,
) =>
  (options.client ?? client).get<ListWebhookDeliveriesResponses, ListWebhookDeliveriesErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/webhook-subscriptions/{subscriptionId}/deliveries',
    ...options,
  });

/**
 * The secret that signs the caller's callbacks
 *
 * Callbacks (a `Callback-Url` header, or `callbackUrl` in a widget order) are signed with the
 * Standard Webhooks scheme using this secret of the caller's tenant. It is made on first use.
 *
 */
export const getCallbackSecret = <ThrowOnError extends boolean = false>(
  options?: Options<GetCallbackSecretData, ThrowOnError>,
) =>
  (options?.client ?? client).get<GetCallbackSecretResponses, GetCallbackSecretErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/callback-secret',
    ...options,
  });

/**
 * Give the caller's callbacks a new signing secret
 *
 * Until `previousSecretExpiresAt` (24 hours) callbacks carry two signatures, one per secret.
 */
export const rotateCallbackSecret = <ThrowOnError extends boolean = false>(
  options?: Options<RotateCallbackSecretData, ThrowOnError>,
) =>
  (options?.client ?? client).post<RotateCallbackSecretResponses, RotateCallbackSecretErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/callback-secret/rotate',
    ...options,
  });
