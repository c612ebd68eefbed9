// generated from openapi/openapi.yaml by `pnpm generate` — do not edit

export type ClientOptions = {
  baseUrl: 'https://api.longrun.dev' | (string & {});
};

export type Webhooks = MonitorEventWebhookWebhookRequest;

/**
 * Opaque, URL-safe id of a resource.
 */
export type ResourceId = string;

/**
 * The monitor of `POST /cars`; its product is a `Car`.
 */
export type CarCreationMonitor = Monitor & {
  kind: 'car.create';
};

/**
 * The monitor of `GET /cars/{carId}` with `Prefer: respond-async`; its result is a `Car`.
 */
export type CarReadMonitor = Monitor & {
  kind: 'car.read';
  result?: Car;
};

/**
 * The monitor of `POST /virtual-machines`; its product is a `VirtualMachine`.
 */
export type VirtualMachineProvisionMonitor = Monitor & {
  kind: 'virtual-machine.provision';
};

/**
 * The monitor of `POST /transcodes`; its product is an `EncodedVideo`.
 */
export type TranscodeMonitor = Monitor & {
  kind: 'transcode';
};

/**
 * The monitor of `POST /reindex`; its result is a `ReindexReport`.
 */
export type ReindexMonitor = Monitor & {
  kind: 'reindex';
  result?: ReindexReport;
};

/**
 * The monitor of `POST /widget-orders`; its product is the fulfilled `WidgetOrder`, with widgets and an invoice as related links.
 */
export type WidgetOrderMonitor = Monitor & {
  kind: 'widget-order.fulfil';
};

/**
 * A monitor of any kind.
 */
export type AnyMonitor =
  | ({
      kind: 'car.create';
    } & CarCreationMonitor)
  | ({
      kind: 'car.read';
    } & CarReadMonitor)
  | ({
      kind: 'virtual-machine.provision';
    } & VirtualMachineProvisionMonitor)
  | ({
      kind: 'transcode';
    } & TranscodeMonitor)
  | ({
      kind: 'reindex';
    } & ReindexMonitor)
  | ({
      kind: 'widget-order.fulfil';
    } & WidgetOrderMonitor);

/**
 * One page of monitors, newest first.
 */
export type MonitorPage = {
  items: Array<AnyMonitor>;
  /**
   * The next page's URL, or null on the last page.
   */
  next: Href | null;
};

/**
 * Health of the service.
 */
export type Health = {
  status: 'ok';
  store: string;
  version: string;
};

/**
 * The car to build.
 */
export type CarSpec = {
  brand: string;
  make: string;
  /**
   * Model year.
   */
  model: number;
  color: string;
};

/**
 * A built car.
 */
export type Car = {
  id: ResourceId;
  brand: string;
  make: string;
  model: number;
  color: string;
  /**
   * Vehicle identification number.
   */
  vin: string;
  createdAt: Timestamp;
  links: {
    self: Link;
  };
};

/**
 * What to provision.
 */
export type VirtualMachineConfiguration = {
  os: 'Linux' | 'Windows' | 'FreeBSD';
  ram: string;
  storage: string;
};

/**
 * A virtual machine to provision.
 */
export type VirtualMachineSpec = {
  configuration: VirtualMachineConfiguration;
};

/**
 * A virtual machine with its provisioning status embedded.
 */
export type VirtualMachine = {
  id: ResourceId;
  status: 'provisioning' | 'ready' | 'failed' | 'cancelled';
  configuration: VirtualMachineConfiguration;
  progress: Progress;
  estimatedCompletionAt: Timestamp | null;
  /**
   * The machine's address once ready.
   */
  ipAddress: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  links: {
    self: Link;
    monitor: Link;
  };
};

/**
 * A video to transcode.
 */
export type TranscodeRequest = {
  source: string;
  format: 'mp4' | 'webm' | 'hls';
  resolution: '480p' | '720p' | '1080p' | '2160p';
};

/**
 * A product document: the encoded video.
 */
export type EncodedVideo = {
  id: ResourceId;
  source: string;
  format: 'mp4' | 'webm' | 'hls';
  resolution: '480p' | '720p' | '1080p' | '2160p';
  sizeBytes: number;
  durationSeconds: number;
  createdAt: Timestamp;
  links: {
    self: Link;
  };
};

/**
 * What to reindex.
 */
export type ReindexRequest = {
  scope: 'all' | 'cars' | 'products' | 'widget-orders';
};

/**
 * The inline result of a reindex.
 */
export type ReindexReport = {
  scope: 'all' | 'cars' | 'products' | 'widget-orders';
  documentsIndexed: number;
};

/**
 * One line of an order.
 */
export type WidgetOrderItem = {
  sku: string;
  quantity: number;
};

/**
 * A widget order.
 */
export type WidgetOrderRequest = {
  items: Array<WidgetOrderItem>;
  /**
   * When true, the `fulfilment` step waits for `POST /widget-orders/{orderId}/fulfilment`.
   */
  manualFulfilment?: boolean;
  /**
   * POSTed the monitor on every state change (see `callbacks`).
   */
  callbackUrl?: string;
};

/**
 * An order, readable during and after fulfilment.
 */
export type WidgetOrder = {
  id: ResourceId;
  status: 'pending' | 'processing' | 'awaiting-fulfilment' | 'fulfilled' | 'failed' | 'cancelled';
  items: Array<WidgetOrderItem>;
  widgets: Array<Link>;
  invoice: Link | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  links: {
    self: Link;
    monitor: Link;
    confirmFulfilment?: Link;
  };
};

/**
 * Who confirmed the manual fulfilment.
 */
export type FulfilmentConfirmation = {
  confirmedBy: string;
  note?: string;
};

/**
 * A widget produced by an order.
 */
export type Widget = {
  id: ResourceId;
  orderId: ResourceId;
  sku: string;
  serialNumber: string;
  createdAt: Timestamp;
  links: {
    self: Link;
  };
};

/**
 * The invoice of a fulfilled order.
 */
export type Invoice = {
  id: ResourceId;
  orderId: ResourceId;
  currency: 'EUR';
  totalCents: number;
  lines: Array<{
    sku: string;
    quantity: number;
    unitPriceCents: number;
  }>;
  createdAt: Timestamp;
  links: {
    self: Link;
  };
};

/**
 * What happened to a monitor: it was accepted (`monitor.queued`), started or went on
 * (`monitor.running`), has a step waiting for an outside action (`monitor.waiting`), or ended.
 *
 */
export type WebhookEventType =
  | 'monitor.queued'
  | 'monitor.running'
  | 'monitor.waiting'
  | 'monitor.succeeded'
  | 'monitor.failed'
  | 'monitor.cancelled';

/**
 * The body of a webhook delivery (Standard Webhooks payload structure).
 */
export type MonitorEvent = {
  type: WebhookEventType;
  /**
   * When the monitor entered this state.
   */
  timestamp: Timestamp;
  data: AnyMonitor;
};

/**
 * A Standard Webhooks signing secret, `whsec_` and 32 random bytes in base64.
 */
export type WebhookSecret = string;

/**
 * An endpoint to subscribe.
 */
export type WebhookSubscriptionRequest = {
  /**
   * Where events are POSTed; `http` or `https`, no credentials, a public address unless the operator allows others.
   */
  url: string;
  /**
   * What the endpoint is for.
   */
  description?: string;
  /**
   * The event types to receive. @default every type
   */
  eventTypes?: Array<WebhookEventType>;
};

/**
 * An endpoint that receives the tenant's monitor events.
 */
export type WebhookSubscription = {
  id: ResourceId;
  url: string;
  description: string | null;
  eventTypes: Array<WebhookEventType>;
  /**
   * `disabled` once the endpoint answered `410 Gone`; nothing more is sent to it.
   */
  state: 'enabled' | 'disabled';
  /**
   * Why it was disabled, or null.
   */
  disabledReason: 'gone' | null;
  /**
   * After a rotation, until when deliveries are also signed with the previous secret; else null.
   */
  previousSecretExpiresAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  links: {
    self: Link;
    deliveries: Link;
  };
};

/**
 * A subscription with its signing secret, as answered once when it is made or its secret rotated.
 */
export type WebhookSubscriptionWithSecret = WebhookSubscription & {
  secret: WebhookSecret;
};

/**
 * One page of webhook subscriptions, newest first.
 */
export type WebhookSubscriptionPage = {
  items: Array<WebhookSubscription>;
  /**
   * The next page's URL, or null on the last page.
   */
  next: Href | null;
};

/**
 * One message queued for a subscription, and what became of it.
 */
export type WebhookDelivery = {
  id: ResourceId;
  /**
   * The `webhook-id` it is sent with.
   */
  messageId: string;
  eventType: WebhookEventType;
  monitorId: OperationId;
  /**
   * The monitor's version (its SSE event id) the event carries.
   */
  monitorVersion: number;
  /**
   * `pending` until it is delivered (`succeeded`), the retries run out or the endpoint answered `410` (`failed`), or it is not sent because the subscription was disabled (`dropped`).
   */
  state: 'pending' | 'succeeded' | 'failed' | 'dropped';
  attempts: number;
  /**
   * When it is tried next, while pending.
   */
  nextAttemptAt: Timestamp | null;
  lastAttemptAt: Timestamp | null;
  /**
   * The HTTP status of the last attempt, or null when it got no answer.
   */
  lastStatus: number | null;
  /**
   * Why the last attempt failed, or null.
   */
  lastError: string | null;
  createdAt: Timestamp;
  finishedAt: Timestamp | null;
};

/**
 * One page of a delivery log, newest first.
 */
export type WebhookDeliveryPage = {
  items: Array<WebhookDelivery>;
  /**
   * The next page's URL, or null on the last page.
   */
  next: Href | null;
};

/**
 * The secret that signs the tenant's callbacks.
 */
export type SigningSecret = {
  secret: WebhookSecret;
  /**
   * After a rotation, until when callbacks are also signed with the previous secret; else null.
   */
  previousSecretExpiresAt: Timestamp | null;
};

/**
 * An RFC 9457 problem document.
 */
export type Problem = {
  /**
   * Stable identifier of the kind of problem.
   */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
};

/**
 * `queued` → `running` → `succeeded` | `failed` | `cancelled`.
 */
export type MonitorState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * An operation's (and its monitor's) id.
 */
export type OperationId = string;

/**
 * What the operation does (the `kind` of its `x-longrun-async`); decides the type of its product or result.
 */
export type OperationKind = string;

/**
 * How far the operation has come.
 */
export type Progress = {
  percent: number;
  message?: string;
};

export type Timestamp = string;

/**
 * `waiting` means the step needs an outside action, linked by `action`.
 */
export type StepState = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';

export type Href = string;

/**
 * One named step of the operation's workflow.
 */
export type Step = {
  name: string;
  title?: string;
  state: StepState;
  /**
   * When `waiting`, the request that performs the outside action.
   */
  action?: {
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    href: Href;
  };
};

/**
 * The request that started the operation.
 */
export type EchoedRequest = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /**
   * The request body, as sent.
   */
  body?: unknown;
};

/**
 * A typed link to a resource.
 */
export type Link = {
  href: Href;
  title?: string;
};

/**
 * A link to a further resource the operation produced.
 */
export type RelatedLink = {
  rel: string;
  href: Href;
  title?: string;
};

/**
 * Where to go from the monitor.
 */
export type MonitorLinks = {
  self: Link;
  product?: Link;
  /**
   * Every further resource it produced; an order of the largest size yields 2000 widgets and an invoice.
   */
  related?: Array<RelatedLink>;
  cancel?: Link;
  events?: Link;
};

/**
 * The status resource of one accepted request. `result` holds the inline result when the
 * outcome is data; `links.product` the created resource when there is one; `error` the problem
 * when it failed.
 *
 */
export type Monitor = {
  id: OperationId;
  kind: OperationKind;
  state: MonitorState;
  progress: Progress;
  /**
   * Estimated completion time, or null when unknown.
   */
  estimatedCompletionAt: Timestamp | null;
  steps: Array<Step>;
  request: EchoedRequest;
  /**
   * Inline result (its schema depends on `kind`); absent until it succeeded.
   */
  result?: unknown;
  error?: Problem;
  /**
   * A cancellation was asked for and the handler was told.
   */
  cancelRequested: boolean;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  links: MonitorLinks;
};

/**
 * A problem listing each invalid part of the request.
 */
export type ValidationProblem = Problem & {
  errors: Array<{
    /**
     * JSON pointer (RFC 6901) into the request: /body/…, /query/…, /headers/…
     */
    pointer: string;
    message: string;
  }>;
};

/**
 * A problem naming the operation that must finish first.
 */
export type PendingOperationProblem = Problem & {
  monitor: Href;
};

/**
 * Only monitors of this kind (this API's kinds; the contract's own filter takes any kind name).
 */
export type KindFilter =
  | 'car.create'
  | 'car.read'
  | 'virtual-machine.provision'
  | 'transcode'
  | 'reindex'
  | 'widget-order.fulfil';

/**
 * The widget order's id.
 */
export type OrderId = ResourceId;

/**
 * The webhook subscription's id.
 */
export type SubscriptionId = ResourceId;

/**
 * The message's id; the same on every retry of it (Standard Webhooks).
 */
export type WebhookId = string;

/**
 * Unix time of this attempt, in seconds; receivers refuse messages more than 5 minutes off (Standard Webhooks).
 */
export type WebhookTimestamp = string;

/**
 * Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<webhook-id>.<webhook-timestamp>.<body>`, one per valid secret (Standard Webhooks).
 */
export type WebhookSignature = string;

/**
 * Only monitors in this state.
 */
export type StateFilter = MonitorState;

/**
 * Opaque cursor from a previous page's `next`.
 */
export type Cursor = string;

/**
 * Page size.
 */
export type Limit = number;

/**
 * The monitor's id (the operation's id).
 */
export type MonitorId = OperationId;

/**
 * `wait=N` (1–60 seconds): a long poll that answers as soon as the monitor changes, or after N seconds (RFC 7240).
 */
export type PreferWait = string;

/**
 * The ETag of the representation the caller holds; `304` while it still matches (RFC 9110 §13.1.2).
 */
export type IfNoneMatch = string;

/**
 * The `id:` of the last event received; the stream resumes after it (WHATWG HTML, server-sent events).
 */
export type LastEventId = string;

/**
 * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
 * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
 * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
 *
 */
export type PreferAsync = string;

/**
 * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
 * key and body replays the first answer (same monitor, no second piece of work); the same key
 * with another body answers `422`; a retry while the first is still being accepted answers
 * `409`. Keys are kept at least 24 hours, per tenant.
 *
 */
export type IdempotencyKey = string;

/**
 * Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
 * the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
 * public addresses only unless the operator allows others; redirects are not followed. A
 * header rather than a body member, so that it fits every request body unchanged.
 *
 */
export type CallbackUrl = string;

export type GetHealthData = {
  body?: never;
  path?: never;
  query?: never;
  url: '/healthz';
};

export type GetHealthErrors = {
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetHealthError = GetHealthErrors[keyof GetHealthErrors];

export type GetHealthResponses = {
  /**
   * The service is up and its store answers.
   */
  200: Health;
};

export type GetHealthResponse = GetHealthResponses[keyof GetHealthResponses];

export type ListMonitorsData = {
  body?: never;
  path?: never;
  query?: {
    /**
     * Only monitors in this state.
     */
    state?: MonitorState;
    /**
     * Only monitors of this kind (this API's kinds; the contract's own filter takes any kind name).
     */
    kind?: 'car.create' | 'car.read' | 'virtual-machine.provision' | 'transcode' | 'reindex' | 'widget-order.fulfil';
    /**
     * Opaque cursor from a previous page's `next`.
     */
    cursor?: string;
    /**
     * Page size.
     */
    limit?: number;
  };
  url: '/monitors';
};

export type ListMonitorsErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type ListMonitorsError = ListMonitorsErrors[keyof ListMonitorsErrors];

export type ListMonitorsResponses = {
  /**
   * One page of monitors.
   */
  200: MonitorPage;
};

export type ListMonitorsResponse = ListMonitorsResponses[keyof ListMonitorsResponses];

export type GetMonitorData = {
  body?: never;
  headers?: {
    /**
     * `wait=N` (1–60 seconds): a long poll that answers as soon as the monitor changes, or after N seconds (RFC 7240).
     */
    Prefer?: string;
    /**
     * The ETag of the representation the caller holds; `304` while it still matches (RFC 9110 §13.1.2).
     */
    'If-None-Match'?: string;
  };
  path: {
    /**
     * The monitor's id (the operation's id).
     */
    monitorId: OperationId;
  };
  query?: never;
  url: '/monitors/{monitorId}';
};

export type GetMonitorErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetMonitorError = GetMonitorErrors[keyof GetMonitorErrors];

export type GetMonitorResponses = {
  /**
   * Finished without creating a resource (inline result or none), failed, or cancelled.
   */
  200: AnyMonitor;
  /**
   * Succeeded and created a resource; `Location` is that resource.
   */
  201: AnyMonitor;
  /**
   * Still queued or running; poll again after `Retry-After` seconds.
   */
  202: AnyMonitor;
};

export type GetMonitorResponse = GetMonitorResponses[keyof GetMonitorResponses];

export type CancelMonitorData = {
  body?: never;
  path: {
    /**
     * The monitor's id (the operation's id).
     */
    monitorId: OperationId;
  };
  query?: never;
  url: '/monitors/{monitorId}/cancel';
};

export type CancelMonitorErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * The operation already finished; it can no longer be cancelled.
   */
  409: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type CancelMonitorError = CancelMonitorErrors[keyof CancelMonitorErrors];

export type CancelMonitorResponses = {
  /**
   * Cancelled.
   */
  200: AnyMonitor;
  /**
   * Cancellation requested; the running handler was told and will stop.
   */
  202: AnyMonitor;
};

export type CancelMonitorResponse = CancelMonitorResponses[keyof CancelMonitorResponses];

export type StreamMonitorEventsData = {
  body?: never;
  headers?: {
    /**
     * The `id:` of the last event received; the stream resumes after it (WHATWG HTML, server-sent events).
     */
    'Last-Event-ID'?: string;
  };
  path: {
    /**
     * The monitor's id (the operation's id).
     */
    monitorId: OperationId;
  };
  query?: never;
  url: '/monitors/{monitorId}/events';
};

export type StreamMonitorEventsErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * The `Accept` header does not take the only media type this operation answers with.
   */
  406: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type StreamMonitorEventsError = StreamMonitorEventsErrors[keyof StreamMonitorEventsErrors];

export type StreamMonitorEventsResponses = {
  /**
   * Server-sent events: `retry: <ms>` once, then per change `id: <version>`,
   * `event: monitor` and `data: <AnyMonitor as JSON>`; `: keep-alive` comments in between.
   *
   */
  200: string;
  /**
   * The monitor has ended and `Last-Event-ID` is its last version; there is nothing more to send.
   */
  204: void;
};

export type StreamMonitorEventsResponse = StreamMonitorEventsResponses[keyof StreamMonitorEventsResponses];

export type CreateCarData = {
  body: CarSpec;
  headers?: {
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
    /**
     * Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
     * the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
     * public addresses only unless the operator allows others; redirects are not followed. A
     * header rather than a body member, so that it fits every request body unchanged.
     *
     */
    'Callback-Url'?: string;
  };
  path?: never;
  query?: never;
  url: '/cars';
};

export type CreateCarErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * A request with this `Idempotency-Key` is still being accepted; retry shortly.
   */
  409: Problem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * This `Idempotency-Key` was used with another request body.
   */
  422: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type CreateCarError = CreateCarErrors[keyof CreateCarErrors];

export type CreateCarResponses = {
  /**
   * `Prefer: wait` was honoured and the operation ended without a car (failed or cancelled).
   */
  200: CarCreationMonitor;
  /**
   * `Prefer: wait` was honoured and the car is built; `Location` is the car, the body the monitor.
   */
  201: CarCreationMonitor;
  /**
   * Accepted; poll the monitor at `Location`.
   */
  202: CarCreationMonitor;
};

export type CreateCarResponse = CreateCarResponses[keyof CreateCarResponses];

export type GetCarData = {
  body?: never;
  headers?: {
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
  };
  path: {
    /**
     * The car's id.
     */
    carId: ResourceId;
  };
  query?: never;
  url: '/cars/{carId}';
};

export type GetCarErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetCarError = GetCarErrors[keyof GetCarErrors];

export type GetCarResponses = {
  /**
   * The car.
   */
  200: Car;
  /**
   * `Prefer: respond-async` was honoured: the read was accepted as an operation.
   */
  202: CarReadMonitor;
};

export type GetCarResponse = GetCarResponses[keyof GetCarResponses];

export type CreateVirtualMachineData = {
  body: VirtualMachineSpec;
  headers?: {
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
    /**
     * Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
     * the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
     * public addresses only unless the operator allows others; redirects are not followed. A
     * header rather than a body member, so that it fits every request body unchanged.
     *
     */
    'Callback-Url'?: string;
  };
  path?: never;
  query?: never;
  url: '/virtual-machines';
};

export type CreateVirtualMachineErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * A request with this `Idempotency-Key` is still being accepted; retry shortly.
   */
  409: Problem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * This `Idempotency-Key` was used with another request body.
   */
  422: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type CreateVirtualMachineError = CreateVirtualMachineErrors[keyof CreateVirtualMachineErrors];

export type CreateVirtualMachineResponses = {
  /**
   * `Prefer: wait` was honoured and provisioning ended without a machine (failed or cancelled).
   */
  200: VirtualMachineProvisionMonitor;
  /**
   * `Prefer: wait` was honoured and the machine is ready; `Location` is the machine.
   */
  201: VirtualMachineProvisionMonitor;
  /**
   * Accepted; `Location` is the virtual machine, `Link rel="monitor"` its monitor.
   */
  202: VirtualMachineProvisionMonitor;
};

export type CreateVirtualMachineResponse = CreateVirtualMachineResponses[keyof CreateVirtualMachineResponses];

export type GetVirtualMachineData = {
  body?: never;
  path: {
    /**
     * The virtual machine's id.
     */
    vmId: ResourceId;
  };
  query?: never;
  url: '/virtual-machines/{vmId}';
};

export type GetVirtualMachineErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetVirtualMachineError = GetVirtualMachineErrors[keyof GetVirtualMachineErrors];

export type GetVirtualMachineResponses = {
  /**
   * The virtual machine, its status, progress and ETA.
   */
  200: VirtualMachine;
};

export type GetVirtualMachineResponse = GetVirtualMachineResponses[keyof GetVirtualMachineResponses];

export type CreateTranscodeData = {
  body: TranscodeRequest;
  headers?: {
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
    /**
     * Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
     * the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
     * public addresses only unless the operator allows others; redirects are not followed. A
     * header rather than a body member, so that it fits every request body unchanged.
     *
     */
    'Callback-Url'?: string;
  };
  path?: never;
  query?: never;
  url: '/transcodes';
};

export type CreateTranscodeErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * A request with this `Idempotency-Key` is still being accepted; retry shortly.
   */
  409: Problem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * This `Idempotency-Key` was used with another request body.
   */
  422: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type CreateTranscodeError = CreateTranscodeErrors[keyof CreateTranscodeErrors];

export type CreateTranscodeResponses = {
  /**
   * `Prefer: wait` was honoured and the transcode ended without a product (failed or cancelled).
   */
  200: TranscodeMonitor;
  /**
   * `Prefer: wait` was honoured and the product document is ready at `Location`.
   */
  201: TranscodeMonitor;
  /**
   * Accepted; poll the monitor at `Location`.
   */
  202: TranscodeMonitor;
};

export type CreateTranscodeResponse = CreateTranscodeResponses[keyof CreateTranscodeResponses];

export type GetProductData = {
  body?: never;
  path: {
    /**
     * The product document's id.
     */
    productId: ResourceId;
  };
  query?: never;
  url: '/products/{productId}';
};

export type GetProductErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetProductError = GetProductErrors[keyof GetProductErrors];

export type GetProductResponses = {
  /**
   * The product document.
   */
  200: EncodedVideo;
};

export type GetProductResponse = GetProductResponses[keyof GetProductResponses];

export type StartReindexData = {
  body: ReindexRequest;
  headers?: {
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
    /**
     * Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
     * the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
     * public addresses only unless the operator allows others; redirects are not followed. A
     * header rather than a body member, so that it fits every request body unchanged.
     *
     */
    'Callback-Url'?: string;
  };
  path?: never;
  query?: never;
  url: '/reindex';
};

export type StartReindexErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * A reindex is already queued or running; the problem names its monitor.
   */
  409: PendingOperationProblem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * This `Idempotency-Key` was used with another request body.
   */
  422: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type StartReindexError = StartReindexErrors[keyof StartReindexErrors];

export type StartReindexResponses = {
  /**
   * `Prefer: wait` was honoured and the reindex ended; the report is the inline `result`.
   */
  200: ReindexMonitor;
  /**
   * Accepted; poll the monitor at `Location`.
   */
  202: ReindexMonitor;
};

export type StartReindexResponse = StartReindexResponses[keyof StartReindexResponses];

export type CreateWidgetOrderData = {
  body: WidgetOrderRequest;
  headers?: {
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
    /**
     * Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
     * the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
     * public addresses only unless the operator allows others; redirects are not followed. A
     * header rather than a body member, so that it fits every request body unchanged.
     *
     */
    'Callback-Url'?: string;
  };
  path?: never;
  query?: never;
  url: '/widget-orders';
};

export type CreateWidgetOrderErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * A request with this `Idempotency-Key` is still being accepted; retry shortly.
   */
  409: Problem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * This `Idempotency-Key` was used with another request body.
   */
  422: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type CreateWidgetOrderError = CreateWidgetOrderErrors[keyof CreateWidgetOrderErrors];

export type CreateWidgetOrderResponses = {
  /**
   * `Prefer: wait` was honoured and the order ended unfulfilled (failed or cancelled).
   */
  200: WidgetOrderMonitor;
  /**
   * `Prefer: wait` was honoured and the order is fulfilled; `Location` is the order.
   */
  201: WidgetOrderMonitor;
  /**
   * Accepted; the order exists at `links.product` from now on, the monitor is at `Location`.
   */
  202: WidgetOrderMonitor;
};

export type CreateWidgetOrderResponse = CreateWidgetOrderResponses[keyof CreateWidgetOrderResponses];

export type GetWidgetOrderData = {
  body?: never;
  path: {
    /**
     * The widget order's id.
     */
    orderId: ResourceId;
  };
  query?: never;
  url: '/widget-orders/{orderId}';
};

export type GetWidgetOrderErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetWidgetOrderError = GetWidgetOrderErrors[keyof GetWidgetOrderErrors];

export type GetWidgetOrderResponses = {
  /**
   * The order with its status and the resources it has produced so far.
   */
  200: WidgetOrder;
};

export type GetWidgetOrderResponse = GetWidgetOrderResponses[keyof GetWidgetOrderResponses];

export type ConfirmWidgetOrderFulfilmentData = {
  body: FulfilmentConfirmation;
  path: {
    /**
     * The widget order's id.
     */
    orderId: ResourceId;
  };
  query?: never;
  url: '/widget-orders/{orderId}/fulfilment';
};

export type ConfirmWidgetOrderFulfilmentErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * The order is not waiting for fulfilment.
   */
  409: Problem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type ConfirmWidgetOrderFulfilmentError =
  ConfirmWidgetOrderFulfilmentErrors[keyof ConfirmWidgetOrderFulfilmentErrors];

export type ConfirmWidgetOrderFulfilmentResponses = {
  /**
   * Confirmation recorded; the order's operation continues.
   */
  202: WidgetOrderMonitor;
};

export type ConfirmWidgetOrderFulfilmentResponse =
  ConfirmWidgetOrderFulfilmentResponses[keyof ConfirmWidgetOrderFulfilmentResponses];

export type GetWidgetData = {
  body?: never;
  path: {
    /**
     * The widget's id.
     */
    widgetId: ResourceId;
  };
  query?: never;
  url: '/widgets/{widgetId}';
};

export type GetWidgetErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetWidgetError = GetWidgetErrors[keyof GetWidgetErrors];

export type GetWidgetResponses = {
  /**
   * The widget.
   */
  200: Widget;
};

export type GetWidgetResponse = GetWidgetResponses[keyof GetWidgetResponses];

export type GetInvoiceData = {
  body?: never;
  path: {
    /**
     * The invoice's id.
     */
    invoiceId: ResourceId;
  };
  query?: never;
  url: '/invoices/{invoiceId}';
};

export type GetInvoiceErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetInvoiceError = GetInvoiceErrors[keyof GetInvoiceErrors];

export type GetInvoiceResponses = {
  /**
   * The invoice.
   */
  200: Invoice;
};

export type GetInvoiceResponse = GetInvoiceResponses[keyof GetInvoiceResponses];

export type ListWebhookSubscriptionsData = {
  body?: never;
  path?: never;
  query?: {
    /**
     * Opaque cursor from a previous page's `next`.
     */
    cursor?: string;
    /**
     * Page size.
     */
    limit?: number;
  };
  url: '/webhook-subscriptions';
};

export type ListWebhookSubscriptionsErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type ListWebhookSubscriptionsError = ListWebhookSubscriptionsErrors[keyof ListWebhookSubscriptionsErrors];

export type ListWebhookSubscriptionsResponses = {
  /**
   * One page of subscriptions.
   */
  200: WebhookSubscriptionPage;
};

export type ListWebhookSubscriptionsResponse =
  ListWebhookSubscriptionsResponses[keyof ListWebhookSubscriptionsResponses];

export type CreateWebhookSubscriptionData = {
  body: WebhookSubscriptionRequest;
  path?: never;
  query?: never;
  url: '/webhook-subscriptions';
};

export type CreateWebhookSubscriptionErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * The tenant has as many webhook subscriptions as it may; delete one first.
   */
  409: Problem;
  /**
   * The body is larger than the limit.
   */
  413: Problem;
  /**
   * The body is not `application/json`.
   */
  415: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type CreateWebhookSubscriptionError = CreateWebhookSubscriptionErrors[keyof CreateWebhookSubscriptionErrors];

export type CreateWebhookSubscriptionResponses = {
  /**
   * Subscribed; `Location` is the subscription. The body holds its signing secret, shown this once.
   */
  201: WebhookSubscriptionWithSecret;
};

export type CreateWebhookSubscriptionResponse =
  CreateWebhookSubscriptionResponses[keyof CreateWebhookSubscriptionResponses];

export type DeleteWebhookSubscriptionData = {
  body?: never;
  path: {
    /**
     * The webhook subscription's id.
     */
    subscriptionId: ResourceId;
  };
  query?: never;
  url: '/webhook-subscriptions/{subscriptionId}';
};

export type DeleteWebhookSubscriptionErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type DeleteWebhookSubscriptionError = DeleteWebhookSubscriptionErrors[keyof DeleteWebhookSubscriptionErrors];

export type DeleteWebhookSubscriptionResponses = {
  /**
   * Deleted.
   */
  204: void;
};

export type DeleteWebhookSubscriptionResponse =
  DeleteWebhookSubscriptionResponses[keyof DeleteWebhookSubscriptionResponses];

export type GetWebhookSubscriptionData = {
  body?: never;
  path: {
    /**
     * The webhook subscription's id.
     */
    subscriptionId: ResourceId;
  };
  query?: never;
  url: '/webhook-subscriptions/{subscriptionId}';
};

export type GetWebhookSubscriptionErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetWebhookSubscriptionError = GetWebhookSubscriptionErrors[keyof GetWebhookSubscriptionErrors];

export type GetWebhookSubscriptionResponses = {
  /**
   * The subscription (without its secret).
   */
  200: WebhookSubscription;
};

export type GetWebhookSubscriptionResponse = GetWebhookSubscriptionResponses[keyof GetWebhookSubscriptionResponses];

export type RotateWebhookSubscriptionSecretData = {
  body?: never;
  path: {
    /**
     * The webhook subscription's id.
     */
    subscriptionId: ResourceId;
  };
  query?: never;
  url: '/webhook-subscriptions/{subscriptionId}/rotate-secret';
};

export type RotateWebhookSubscriptionSecretErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type RotateWebhookSubscriptionSecretError =
  RotateWebhookSubscriptionSecretErrors[keyof RotateWebhookSubscriptionSecretErrors];

export type RotateWebhookSubscriptionSecretResponses = {
  /**
   * The subscription with its new secret.
   */
  200: WebhookSubscriptionWithSecret;
};

export type RotateWebhookSubscriptionSecretResponse =
  RotateWebhookSubscriptionSecretResponses[keyof RotateWebhookSubscriptionSecretResponses];

export type ListWebhookDeliveriesData = {
  body?: never;
  path: {
    /**
     * The webhook subscription's id.
     */
    subscriptionId: ResourceId;
  };
  query?: {
    /**
     * Opaque cursor from a previous page's `next`.
     */
    cursor?: string;
    /**
     * Page size.
     */
    limit?: number;
  };
  url: '/webhook-subscriptions/{subscriptionId}/deliveries';
};

export type ListWebhookDeliveriesErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type ListWebhookDeliveriesError = ListWebhookDeliveriesErrors[keyof ListWebhookDeliveriesErrors];

export type ListWebhookDeliveriesResponses = {
  /**
   * One page of deliveries.
   */
  200: WebhookDeliveryPage;
};

export type ListWebhookDeliveriesResponse = ListWebhookDeliveriesResponses[keyof ListWebhookDeliveriesResponses];

export type GetCallbackSecretData = {
  body?: never;
  path?: never;
  query?: never;
  url: '/callback-secret';
};

export type GetCallbackSecretErrors = {
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type GetCallbackSecretError = GetCallbackSecretErrors[keyof GetCallbackSecretErrors];

export type GetCallbackSecretResponses = {
  /**
   * The current callback signing secret.
   */
  200: SigningSecret;
};

export type GetCallbackSecretResponse = GetCallbackSecretResponses[keyof GetCallbackSecretResponses];

export type RotateCallbackSecretData = {
  body?: never;
  path?: never;
  query?: never;
  url: '/callback-secret/rotate';
};

export type RotateCallbackSecretErrors = {
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
  /**
   * A fault of the server, never of the request; nothing the request asked for was lost.
   */
  500: Problem;
};

export type RotateCallbackSecretError = RotateCallbackSecretErrors[keyof RotateCallbackSecretErrors];

export type RotateCallbackSecretResponses = {
  /**
   * The new callback signing secret.
   */
  200: SigningSecret;
};

export type RotateCallbackSecretResponse = RotateCallbackSecretResponses[keyof RotateCallbackSecretResponses];

export type MonitorEventWebhookWebhookPayload = MonitorEvent;

export type MonitorEventWebhookWebhookRequest = {
  body: MonitorEventWebhookWebhookPayload;
  key: 'monitorEvent';
  path?: never;
  query?: never;
};
