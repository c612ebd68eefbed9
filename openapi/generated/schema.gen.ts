// generated from openapi/openapi.yaml by `pnpm generate` — do not edit

export interface paths {
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Health of the service and its store */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/monitors': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the caller's monitors, newest first
     * @description Filterable by `state` and `kind`; cursor-paginated with `Link rel="next"`.
     */
    get: operations['listMonitors'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/monitors/{monitorId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The monitor's id (the operation's id). */
        monitorId: components['parameters']['MonitorId'];
      };
      cookie?: never;
    };
    /**
     * The status of one accepted request
     * @description `202` while queued or running (with `Retry-After` from the ETA and `Cache-Control: no-store`),
     *     `201` with `Location` → the created resource once it succeeded and created one, `200` once it
     *     succeeded with an inline result or none, failed, or was cancelled. Every answer has an `ETag`;
     *     `If-None-Match` that still matches answers `304`. `Prefer: wait=N` is a long poll: the answer
     *     comes as soon as the monitor changes (or, with `If-None-Match`, differs from that ETag), or
     *     after N seconds.
     */
    get: operations['getMonitor'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/monitors/{monitorId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The monitor's id (the operation's id). */
        monitorId: components['parameters']['MonitorId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask to cancel an accepted request
     * @description A queued operation is cancelled at once (`200`). A running one is told (its handler's
     *     `AbortSignal` fires) and ends `cancelled` shortly (`202`, with `cancelRequested: true`);
     *     no product is published. A finished operation cannot be cancelled (`409`).
     */
    post: operations['cancelMonitor'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/monitors/{monitorId}/events': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The monitor's id (the operation's id). */
        monitorId: components['parameters']['MonitorId'];
      };
      cookie?: never;
    };
    /**
     * The monitor's changes as server-sent events
     * @description A `text/event-stream` (WHATWG HTML "Server-sent events") of the monitor: one event per
     *     change, each named `monitor`, with `id:` the monitor's version and `data:` the whole monitor
     *     (an `AnyMonitor`, one line of JSON). The first event is the monitor as it is now; the stream
     *     is closed after the event of a terminal state (`succeeded`, `failed`, `cancelled`). A comment
     *     line (`: keep-alive`) is sent every 15 seconds so that proxies keep the connection open.
     *
     *     Resuming: send the last `id:` received as `Last-Event-ID`. The stream then starts with the
     *     monitor as it is now if its version is newer, and goes on with every later change; a version
     *     already received is never sent again. Every event is a complete snapshot, so versions that
     *     were superseded while the client was away are not replayed one by one. Once the monitor has
     *     ended and the caller has its last version the answer is `204`, which tells an `EventSource`
     *     to stop reconnecting.
     *
     *     The stream is the only representation: a request whose `Accept` does not take
     *     `text/event-stream` (`application/json` alone, or `text/event-stream;q=0`) answers `406`.
     *     No `Accept`, `*\/*`, `text/*` and `text/event-stream` with any `q` above 0 get the stream.
     *
     *     Authenticate with `Authorization: Bearer <key>` like every request: a `fetch`-based reader
     *     can send it (the browser's `EventSource` cannot send headers).
     */
    get: operations['streamMonitorEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/cars': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Order a car to be built
     * @description Accepted at once; the monitor walks the workflow steps `chassis`, `paint`, `inspection` and
     *     ends `201` with `Location` → the car.
     */
    post: operations['createCar'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/cars/{carId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The car's id. */
        carId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    /**
     * Read a car
     * @description Answers `200` with the car. With `Prefer: respond-async` the read is done as an
     *     operation instead: `202` + monitor, which ends `200` with the car as its inline `result`.
     *     With `Prefer: respond-async, wait=N` a read that ends within the wait answers as the read
     *     itself: `200` with the car, or its problem with the problem's own status (`404` when the car
     *     is gone by the time it is read), with `Link: <monitor>; rel="monitor"`.
     */
    get: operations['getCar'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/virtual-machines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Provision a virtual machine
     * @description Embedded status: `Location` is the virtual machine itself, which carries its
     *     `status`, `progress` and `estimatedCompletionAt` while it is provisioned; the monitor is
     *     linked with `Link rel="monitor"`.
     */
    post: operations['createVirtualMachine'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/virtual-machines/{vmId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The virtual machine's id. */
        vmId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    /** A virtual machine with its embedded provisioning status */
    get: operations['getVirtualMachine'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/transcodes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Transcode a video into a product document
     * @description Many may run at once; each has its own monitor and, on success, its own product at `/products/{id}`.
     */
    post: operations['createTranscode'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/products/{productId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The product document's id. */
        productId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    /** A product document produced by an operation */
    get: operations['getProduct'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/reindex': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rebuild the search index, one run at a time
     * @description One at a time: while a reindex is queued or running, another `POST` answers
     *     `409` with a problem naming the pending monitor, `Link rel="monitor"` to it and `Retry-After`.
     *     Ends `200` with an inline report; no product.
     */
    post: operations['startReindex'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/widget-orders': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Place a widget order
     * @description The order is a resource of its own, readable during and after fulfilment. It
     *     yields widgets and an invoice (`links.related` of the monitor). With
     *     `manualFulfilment: true` the `fulfilment` step waits until someone confirms it with
     *     `POST /widget-orders/{orderId}/fulfilment`. A `callbackUrl` is POSTed the monitor on every
     *     state change.
     */
    post: operations['createWidgetOrder'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/widget-orders/{orderId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The widget order's id. */
        orderId: components['parameters']['OrderId'];
      };
      cookie?: never;
    };
    /** A widget order, during and after fulfilment */
    get: operations['getWidgetOrder'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/widget-orders/{orderId}/fulfilment': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The widget order's id. */
        orderId: components['parameters']['OrderId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Confirm the manual fulfilment step of an order
     * @description The outside action a `waiting` step links to. Answers `202` with the order's monitor, which
     *     then moves on; `409` when the order is not waiting for fulfilment.
     */
    post: operations['confirmWidgetOrderFulfilment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/widgets/{widgetId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The widget's id. */
        widgetId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    /** A widget produced by an order */
    get: operations['getWidget'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/invoices/{invoiceId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The invoice's id. */
        invoiceId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    /** The invoice of an order */
    get: operations['getInvoice'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhook-subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the caller's webhook subscriptions, newest first
     * @description Cursor-paginated with `Link rel="next"`. Secrets are never listed; they are shown once, when made.
     */
    get: operations['listWebhookSubscriptions'];
    put?: never;
    /**
     * Subscribe an endpoint to monitor events
     * @description The endpoint receives a signed `POST` (see the top-level `webhooks`) each time one of the
     *     caller's monitors enters a state named in `eventTypes` (default: all). The answer holds the
     *     signing `secret`, shown this once (rotate it to get a new one).
     *
     *     The URL must be `http` or `https`, carry no credentials, and resolve only to public
     *     addresses: loopback, private, link-local, metadata and other special-purpose addresses are
     *     refused unless the operator allows them (`LONGRUN_OUTBOUND_ALLOW`). Deliveries follow no
     *     redirect. An endpoint that answers `410 Gone` is disabled.
     */
    post: operations['createWebhookSubscription'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhook-subscriptions/{subscriptionId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    /**
     * One webhook subscription
     * @description Whether it is enabled (or was disabled because its endpoint answered `410`), what it receives, and its links.
     */
    get: operations['getWebhookSubscription'];
    put?: never;
    post?: never;
    /**
     * Unsubscribe
     * @description Deletes the subscription with its delivery log; deliveries still queued for it are not sent.
     */
    delete: operations['deleteWebhookSubscription'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhook-subscriptions/{subscriptionId}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give a subscription a new signing secret
     * @description Answers the new secret, shown this once. Until `previousSecretExpiresAt` (24 hours) each
     *     delivery carries two signatures in `webhook-signature`, one per secret, so the receiver can
     *     switch to the new secret at its own pace.
     */
    post: operations['rotateWebhookSubscriptionSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/webhook-subscriptions/{subscriptionId}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    /**
     * The delivery log of a subscription, newest first
     * @description Every message queued for the subscription: pending (with the time of its next attempt),
     *     succeeded, failed (the retries ran out, or the endpoint answered `410`), or dropped (not sent
     *     because the subscription was disabled). Cursor-paginated with `Link rel="next"`.
     */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/callback-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The secret that signs the caller's callbacks
     * @description Callbacks (a `Callback-Url` header, or `callbackUrl` in a widget order) are signed with the
     *     Standard Webhooks scheme using this secret of the caller's tenant. It is made on first use.
     */
    get: operations['getCallbackSecret'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/callback-secret/rotate': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Give the caller's callbacks a new signing secret
     * @description Until `previousSecretExpiresAt` (24 hours) callbacks carry two signatures, one per secret.
     */
    post: operations['rotateCallbackSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface webhooks {
  monitorEvent: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A monitor entered a new state
     * @description Sent to every enabled webhook subscription of the monitor's tenant whose `eventTypes` include
     *     the event's `type`: `monitor.queued` (accepted), `monitor.running`, `monitor.waiting` (a step
     *     waits for an outside action, such as an order's manual fulfilment), `monitor.succeeded`,
     *     `monitor.failed`, `monitor.cancelled`. `data` is the monitor at that moment.
     *
     *     Signed with the Standard Webhooks scheme: `webhook-signature` holds `v1,<base64 HMAC-SHA256>`
     *     of `<webhook-id>.<webhook-timestamp>.<body>` under the subscription's secret (two signatures
     *     while a rotated secret is still valid). `webhook-id` stays the same across retries, so a
     *     receiver can drop duplicates. Delivery is at least once, in order per monitor and endpoint;
     *     any answer but 2xx is retried with jittered exponential backoff, and `410 Gone` disables the
     *     subscription.
     */
    post: operations['monitorEventWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface components {
  schemas: {
    /**
     * @description Opaque, URL-safe id of a resource.
     * @example car_01JABCDEF0123456789ABCDEFH
     */
    ResourceId: string;
    /** @description The monitor of `POST /cars`; its product is a `Car`. */
    CarCreationMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind: 'car.create';
    } & {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: 'car.create';
    };
    /** @description The monitor of `GET /cars/{carId}` with `Prefer: respond-async`; its result is a `Car`. */
    CarReadMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind: 'car.read';
      result?: components['schemas']['Car'];
    } & {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: 'car.read';
    };
    /** @description The monitor of `POST /virtual-machines`; its product is a `VirtualMachine`. */
    VirtualMachineProvisionMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind: 'virtual-machine.provision';
    } & {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: 'virtual-machine.provision';
    };
    /** @description The monitor of `POST /transcodes`; its product is an `EncodedVideo`. */
    TranscodeMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind: 'transcode';
    } & {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: 'transcode';
    };
    /** @description The monitor of `POST /reindex`; its result is a `ReindexReport`. */
    ReindexMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind: 'reindex';
      result?: components['schemas']['ReindexReport'];
    } & {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: 'reindex';
    };
    /** @description The monitor of `POST /widget-orders`; its product is the fulfilled `WidgetOrder`, with widgets and an invoice as related links. */
    WidgetOrderMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind: 'widget-order.fulfil';
    } & {
      /**
       * @description discriminator enum property added by openapi-typescript
       * @enum {string}
       */
      kind: 'widget-order.fulfil';
    };
    /** @description A monitor of any kind. */
    AnyMonitor:
      | components['schemas']['CarCreationMonitor']
      | components['schemas']['CarReadMonitor']
      | components['schemas']['VirtualMachineProvisionMonitor']
      | components['schemas']['TranscodeMonitor']
      | components['schemas']['ReindexMonitor']
      | components['schemas']['WidgetOrderMonitor'];
    /** @description One page of monitors, newest first. */
    MonitorPage: {
      items: components['schemas']['AnyMonitor'][];
      /** @description The next page's URL, or null on the last page. */
      next: components['schemas']['Href'] | null;
    };
    /** @description Health of the service. */
    Health: {
      /** @enum {string} */
      status: 'ok';
      store: string;
      version: string;
    };
    /** @description The car to build. */
    CarSpec: {
      brand: string;
      make: string;
      /**
       * Format: int32
       * @description Model year.
       */
      model: number;
      color: string;
    };
    /** @description A built car. */
    Car: {
      id: components['schemas']['ResourceId'];
      brand: string;
      make: string;
      /** Format: int32 */
      model: number;
      color: string;
      /** @description Vehicle identification number. */
      vin: string;
      createdAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
      };
    };
    /** @description What to provision. */
    VirtualMachineConfiguration: {
      /** @enum {string} */
      os: 'Linux' | 'Windows' | 'FreeBSD';
      ram: string;
      storage: string;
    };
    /** @description A virtual machine to provision. */
    VirtualMachineSpec: {
      configuration: components['schemas']['VirtualMachineConfiguration'];
    };
    /** @description A virtual machine with its provisioning status embedded. */
    VirtualMachine: {
      id: components['schemas']['ResourceId'];
      /** @enum {string} */
      status: 'provisioning' | 'ready' | 'failed' | 'cancelled';
      configuration: components['schemas']['VirtualMachineConfiguration'];
      progress: components['schemas']['Progress'];
      estimatedCompletionAt: components['schemas']['Timestamp'] | null;
      /** @description The machine's address once ready. */
      ipAddress: string | null;
      createdAt: components['schemas']['Timestamp'];
      updatedAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
        monitor: components['schemas']['Link'];
      };
    };
    /** @description A video to transcode. */
    TranscodeRequest: {
      /** Format: uri */
      source: string;
      /** @enum {string} */
      format: 'mp4' | 'webm' | 'hls';
      /** @enum {string} */
      resolution: '480p' | '720p' | '1080p' | '2160p';
    };
    /** @description A product document: the encoded video. */
    EncodedVideo: {
      id: components['schemas']['ResourceId'];
      /** Format: uri */
      source: string;
      /** @enum {string} */
      format: 'mp4' | 'webm' | 'hls';
      /** @enum {string} */
      resolution: '480p' | '720p' | '1080p' | '2160p';
      /** Format: int64 */
      sizeBytes: number;
      durationSeconds: number;
      createdAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
      };
    };
    /** @description What to reindex. */
    ReindexRequest: {
      /** @enum {string} */
      scope: 'all' | 'cars' | 'products' | 'widget-orders';
    };
    /** @description The inline result of a reindex. */
    ReindexReport: {
      /** @enum {string} */
      scope: 'all' | 'cars' | 'products' | 'widget-orders';
      /** Format: int32 */
      documentsIndexed: number;
    };
    /** @description One line of an order. */
    WidgetOrderItem: {
      sku: string;
      /** Format: int32 */
      quantity: number;
    };
    /** @description A widget order. */
    WidgetOrderRequest: {
      items: components['schemas']['WidgetOrderItem'][];
      /**
       * @description When true, the `fulfilment` step waits for `POST /widget-orders/{orderId}/fulfilment`.
       * @default false
       */
      manualFulfilment?: boolean;
      /**
       * Format: uri
       * @description POSTed the monitor on every state change (see `callbacks`).
       */
      callbackUrl?: string;
    };
    /** @description An order, readable during and after fulfilment. */
    WidgetOrder: {
      id: components['schemas']['ResourceId'];
      /** @enum {string} */
      status: 'pending' | 'processing' | 'awaiting-fulfilment' | 'fulfilled' | 'failed' | 'cancelled';
      items: components['schemas']['WidgetOrderItem'][];
      widgets: components['schemas']['Link'][];
      invoice: components['schemas']['Link'] | null;
      createdAt: components['schemas']['Timestamp'];
      updatedAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
        monitor: components['schemas']['Link'];
        confirmFulfilment?: components['schemas']['Link'];
      };
    };
    /** @description Who confirmed the manual fulfilment. */
    FulfilmentConfirmation: {
      confirmedBy: string;
      note?: string;
    };
    /** @description A widget produced by an order. */
    Widget: {
      id: components['schemas']['ResourceId'];
      orderId: components['schemas']['ResourceId'];
      sku: string;
      serialNumber: string;
      createdAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
      };
    };
    /** @description The invoice of a fulfilled order. */
    Invoice: {
      id: components['schemas']['ResourceId'];
      orderId: components['schemas']['ResourceId'];
      /** @enum {string} */
      currency: 'EUR';
      /** Format: int64 */
      totalCents: number;
      lines: {
        sku: string;
        /** Format: int32 */
        quantity: number;
        /** Format: int64 */
        unitPriceCents: number;
      }[];
      createdAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
      };
    };
    /**
     * @description What happened to a monitor: it was accepted (`monitor.queued`), started or went on
     *     (`monitor.running`), has a step waiting for an outside action (`monitor.waiting`), or ended.
     * @enum {string}
     */
    WebhookEventType:
      | 'monitor.queued'
      | 'monitor.running'
      | 'monitor.waiting'
      | 'monitor.succeeded'
      | 'monitor.failed'
      | 'monitor.cancelled';
    /** @description The body of a webhook delivery (Standard Webhooks payload structure). */
    MonitorEvent: {
      type: components['schemas']['WebhookEventType'];
      /** @description When the monitor entered this state. */
      timestamp: components['schemas']['Timestamp'];
      data: components['schemas']['AnyMonitor'];
    };
    /**
     * @description A Standard Webhooks signing secret, `whsec_` and 32 random bytes in base64.
     * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw8z1QTdY+h1U=
     */
    WebhookSecret: string;
    /** @description An endpoint to subscribe. */
    WebhookSubscriptionRequest: {
      /**
       * Format: uri
       * @description Where events are POSTed; `http` or `https`, no credentials, a public address unless the operator allows others.
       */
      url: string;
      /** @description What the endpoint is for. */
      description?: string;
      /** @description The event types to receive. @default every type */
      eventTypes?: components['schemas']['WebhookEventType'][];
    };
    /** @description An endpoint that receives the tenant's monitor events. */
    WebhookSubscription: {
      id: components['schemas']['ResourceId'];
      /** Format: uri */
      url: string;
      description: string | null;
      eventTypes: components['schemas']['WebhookEventType'][];
      /**
       * @description `disabled` once the endpoint answered `410 Gone`; nothing more is sent to it.
       * @enum {string}
       */
      state: 'enabled' | 'disabled';
      /** @description Why it was disabled, or null. */
      disabledReason: 'gone' | null;
      /** @description After a rotation, until when deliveries are also signed with the previous secret; else null. */
      previousSecretExpiresAt: components['schemas']['Timestamp'] | null;
      createdAt: components['schemas']['Timestamp'];
      updatedAt: components['schemas']['Timestamp'];
      links: {
        self: components['schemas']['Link'];
        deliveries: components['schemas']['Link'];
      };
    };
    /** @description A subscription with its signing secret, as answered once when it is made or its secret rotated. */
    WebhookSubscriptionWithSecret: components['schemas']['WebhookSubscription'] & {
      secret: components['schemas']['WebhookSecret'];
    };
    /** @description One page of webhook subscriptions, newest first. */
    WebhookSubscriptionPage: {
      items: components['schemas']['WebhookSubscription'][];
      /** @description The next page's URL, or null on the last page. */
      next: components['schemas']['Href'] | null;
    };
    /** @description One message queued for a subscription, and what became of it. */
    WebhookDelivery: {
      id: components['schemas']['ResourceId'];
      /** @description The `webhook-id` it is sent with. */
      messageId: string;
      eventType: components['schemas']['WebhookEventType'];
      monitorId: components['schemas']['OperationId'];
      /**
       * Format: int64
       * @description The monitor's version (its SSE event id) the event carries.
       */
      monitorVersion: number;
      /**
       * @description `pending` until it is delivered (`succeeded`), the retries run out or the endpoint answered `410` (`failed`), or it is not sent because the subscription was disabled (`dropped`).
       * @enum {string}
       */
      state: 'pending' | 'succeeded' | 'failed' | 'dropped';
      /** Format: int32 */
      attempts: number;
      /** @description When it is tried next, while pending. */
      nextAttemptAt: components['schemas']['Timestamp'] | null;
      lastAttemptAt: components['schemas']['Timestamp'] | null;
      /** @description The HTTP status of the last attempt, or null when it got no answer. */
      lastStatus: number | null;
      /** @description Why the last attempt failed, or null. */
      lastError: string | null;
      createdAt: components['schemas']['Timestamp'];
      finishedAt: components['schemas']['Timestamp'] | null;
    };
    /** @description One page of a delivery log, newest first. */
    WebhookDeliveryPage: {
      items: components['schemas']['WebhookDelivery'][];
      /** @description The next page's URL, or null on the last page. */
      next: components['schemas']['Href'] | null;
    };
    /** @description The secret that signs the tenant's callbacks. */
    SigningSecret: {
      secret: components['schemas']['WebhookSecret'];
      /** @description After a rotation, until when callbacks are also signed with the previous secret; else null. */
      previousSecretExpiresAt: components['schemas']['Timestamp'] | null;
    };
    /** @description An RFC 9457 problem document. */
    Problem: {
      /**
       * Format: uri
       * @description Stable identifier of the kind of problem.
       */
      type: string;
      title: string;
      /** Format: int32 */
      status: number;
      detail?: string;
      /** Format: uri-reference */
      instance?: string;
    };
    /**
     * @description `queued` → `running` → `succeeded` | `failed` | `cancelled`.
     * @enum {string}
     */
    MonitorState: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
    /**
     * @description An operation's (and its monitor's) id.
     * @example op_01JABCDEF0123456789ABCDEFG
     */
    OperationId: string;
    /**
     * @description What the operation does (the `kind` of its `x-longrun-async`); decides the type of its product or result.
     * @example report.export
     */
    OperationKind: string;
    /** @description How far the operation has come. */
    Progress: {
      /** Format: int32 */
      percent: number;
      message?: string;
    };
    /**
     * Format: date-time
     * @example 2026-11-22T10:00:00.000Z
     */
    Timestamp: string;
    /**
     * @description `waiting` means the step needs an outside action, linked by `action`.
     * @enum {string}
     */
    StepState: 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped';
    /**
     * Format: uri-reference
     * @example /monitors/op_01JABCDEF0123456789ABCDEFG
     */
    Href: string;
    /** @description One named step of the operation's workflow. */
    Step: {
      name: string;
      title?: string;
      state: components['schemas']['StepState'];
      /** @description When `waiting`, the request that performs the outside action. */
      action?: {
        /** @enum {string} */
        method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        href: components['schemas']['Href'];
      };
    };
    /** @description The request that started the operation. */
    EchoedRequest: {
      /** @enum {string} */
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      path: string;
      /** @description The request body, as sent. */
      body?: unknown;
    };
    /** @description A typed link to a resource. */
    Link: {
      href: components['schemas']['Href'];
      title?: string;
    };
    /** @description A link to a further resource the operation produced. */
    RelatedLink: {
      rel: string;
      href: components['schemas']['Href'];
      title?: string;
    };
    /** @description Where to go from the monitor. */
    MonitorLinks: {
      self: components['schemas']['Link'];
      product?: components['schemas']['Link'];
      /** @description Every further resource it produced; an order of the largest size yields 2000 widgets and an invoice. */
      related?: components['schemas']['RelatedLink'][];
      cancel?: components['schemas']['Link'];
      events?: components['schemas']['Link'];
    };
    /**
     * @description The status resource of one accepted request. `result` holds the inline result when the
     *     outcome is data; `links.product` the created resource when there is one; `error` the problem
     *     when it failed.
     */
    Monitor: {
      id: components['schemas']['OperationId'];
      kind: components['schemas']['OperationKind'];
      state: components['schemas']['MonitorState'];
      progress: components['schemas']['Progress'];
      /** @description Estimated completion time, or null when unknown. */
      estimatedCompletionAt: components['schemas']['Timestamp'] | null;
      steps: components['schemas']['Step'][];
      request: components['schemas']['EchoedRequest'];
      /** @description Inline result (its schema depends on `kind`); absent until it succeeded. */
      result?: unknown;
      error?: components['schemas']['Problem'];
      /** @description A cancellation was asked for and the handler was told. */
      cancelRequested: boolean;
      createdAt: components['schemas']['Timestamp'];
      updatedAt: components['schemas']['Timestamp'];
      startedAt: components['schemas']['Timestamp'] | null;
      finishedAt: components['schemas']['Timestamp'] | null;
      links: components['schemas']['MonitorLinks'];
    };
    /** @description A problem listing each invalid part of the request. */
    ValidationProblem: components['schemas']['Problem'] & {
      errors: {
        /** @description JSON pointer (RFC 6901) into the request: /body/…, /query/…, /headers/… */
        pointer: string;
        message: string;
      }[];
    };
    /** @description A problem naming the operation that must finish first. */
    PendingOperationProblem: components['schemas']['Problem'] & {
      monitor: components['schemas']['Href'];
    };
  };
  responses: {
    /** @description Accepted; poll the monitor at `Location`. */
    CarCreationAccepted: {
      headers: {
        Location: components['headers']['MonitorLocation'];
        ETag: components['headers']['ETag'];
        'Retry-After': components['headers']['RetryAfter'];
        Link: components['headers']['MonitorLinkRequired'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['CarCreationMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the car is built; `Location` is the car, the body the monitor. */
    CarCreationCreated: {
      headers: {
        Location: components['headers']['ProductLocation'];
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['CarCreationMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the operation ended without a car (failed or cancelled). */
    CarCreationFinished: {
      headers: {
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['CarCreationMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and provisioning ended without a machine (failed or cancelled). */
    VirtualMachineProvisionFinished: {
      headers: {
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['VirtualMachineProvisionMonitor'];
      };
    };
    /** @description Accepted; poll the monitor at `Location`. */
    TranscodeAccepted: {
      headers: {
        Location: components['headers']['MonitorLocation'];
        ETag: components['headers']['ETag'];
        'Retry-After': components['headers']['RetryAfter'];
        Link: components['headers']['MonitorLinkRequired'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['TranscodeMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the product document is ready at `Location`. */
    TranscodeCreated: {
      headers: {
        Location: components['headers']['ProductLocation'];
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['TranscodeMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the transcode ended without a product (failed or cancelled). */
    TranscodeFinished: {
      headers: {
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['TranscodeMonitor'];
      };
    };
    /** @description Accepted; poll the monitor at `Location`. */
    ReindexAccepted: {
      headers: {
        Location: components['headers']['MonitorLocation'];
        ETag: components['headers']['ETag'];
        'Retry-After': components['headers']['RetryAfter'];
        Link: components['headers']['MonitorLinkRequired'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ReindexMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the reindex ended; the report is the inline `result`. */
    ReindexFinished: {
      headers: {
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ReindexMonitor'];
      };
    };
    /** @description Accepted; the order exists at `links.product` from now on, the monitor is at `Location`. */
    WidgetOrderAccepted: {
      headers: {
        Location: components['headers']['MonitorLocation'];
        ETag: components['headers']['ETag'];
        'Retry-After': components['headers']['RetryAfter'];
        Link: components['headers']['MonitorLinkRequired'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['WidgetOrderMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the order is fulfilled; `Location` is the order. */
    WidgetOrderCreated: {
      headers: {
        Location: components['headers']['ProductLocation'];
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['WidgetOrderMonitor'];
      };
    };
    /** @description `Prefer: wait` was honoured and the order ended unfulfilled (failed or cancelled). */
    WidgetOrderFinished: {
      headers: {
        'Content-Location': components['headers']['MonitorContentLocation'];
        Link: components['headers']['MonitorLink'];
        'Preference-Applied': components['headers']['PreferenceApplied'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['WidgetOrderMonitor'];
      };
    };
    /** @description The tenant has as many webhook subscriptions as it may; delete one first. */
    WebhookSubscriptionLimit: {
      headers: {
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description The order is not waiting for fulfilment. */
    NotWaiting: {
      headers: {
        Link: components['headers']['MonitorLink'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description A reindex is already queued or running; the problem names its monitor. */
    ReindexPending: {
      headers: {
        Link: components['headers']['MonitorLinkRequired'];
        'Retry-After': components['headers']['RetryAfter'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['PendingOperationProblem'];
      };
    };
    /** @description Too many requests; retry after `Retry-After` seconds. */
    TooManyRequests: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description A fault of the server, never of the request; nothing the request asked for was lost. */
    InternalError: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description The request does not match the spec; `errors` lists each problem with a JSON pointer. */
    BadRequest: {
      headers: {
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['ValidationProblem'];
      };
    };
    /** @description No valid `Authorization: Bearer <key>`. */
    Unauthorized: {
      headers: {
        /**
         * @description The scheme to use (RFC 6750).
         * @example Bearer realm="longrun"
         */
        'WWW-Authenticate': string;
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description No such resource for this caller (another tenant's resources do not exist for the caller). */
    NotFound: {
      headers: {
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description The operation already finished; it can no longer be cancelled. */
    AlreadyFinished: {
      headers: {
        Link: components['headers']['MonitorLink'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description The `Accept` header does not take the only media type this operation answers with. */
    NotAcceptable: {
      headers: {
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description A request with this `Idempotency-Key` is still being accepted; retry shortly. */
    IdempotencyConflict: {
      headers: {
        'Retry-After': components['headers']['RetryAfter'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description The body is larger than the limit. */
    ContentTooLarge: {
      headers: {
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description The body is not `application/json`. */
    UnsupportedMediaType: {
      headers: {
        /**
         * @description The media types accepted (RFC 9110 §15.5.16).
         * @example application/json
         */
        'Accept-Post'?: string;
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
    /** @description This `Idempotency-Key` was used with another request body. */
    IdempotencyKeyReused: {
      headers: {
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['Problem'];
      };
    };
  };
  parameters: {
    /** @description Only monitors of this kind (this API's kinds; the contract's own filter takes any kind name). */
    KindFilter:
      | 'car.create'
      | 'car.read'
      | 'virtual-machine.provision'
      | 'transcode'
      | 'reindex'
      | 'widget-order.fulfil';
    /** @description The widget order's id. */
    OrderId: components['schemas']['ResourceId'];
    /** @description The webhook subscription's id. */
    SubscriptionId: components['schemas']['ResourceId'];
    /**
     * @description The message's id; the same on every retry of it (Standard Webhooks).
     * @example msg_01jabcdef0123456789abcdefg_4
     */
    WebhookId: string;
    /**
     * @description Unix time of this attempt, in seconds; receivers refuse messages more than 5 minutes off (Standard Webhooks).
     * @example 1795341609
     */
    WebhookTimestamp: string;
    /**
     * @description Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<webhook-id>.<webhook-timestamp>.<body>`, one per valid secret (Standard Webhooks).
     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
     */
    WebhookSignature: string;
    /** @description Only monitors in this state. */
    StateFilter: components['schemas']['MonitorState'];
    /** @description Opaque cursor from a previous page's `next`. */
    Cursor: string;
    /** @description Page size. */
    Limit: number;
    /** @description The monitor's id (the operation's id). */
    MonitorId: components['schemas']['OperationId'];
    /**
     * @description `wait=N` (1–60 seconds): a long poll that answers as soon as the monitor changes, or after N seconds (RFC 7240).
     * @example wait=30
     */
    PreferWait: string;
    /**
     * @description The ETag of the representation the caller holds; `304` while it still matches (RFC 9110 §13.1.2).
     * @example "op_01JABCDEF0123456789ABCDEFG.3"
     */
    IfNoneMatch: string;
    /**
     * @description The `id:` of the last event received; the stream resumes after it (WHATWG HTML, server-sent events).
     * @example 3
     */
    LastEventId: string;
    /**
     * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     */
    PreferAsync: string;
    /**
     * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     *     key and body replays the first answer (same monitor, no second piece of work); the same key
     *     with another body answers `422`; a retry while the first is still being accepted answers
     *     `409`. Keys are kept at least 24 hours, per tenant.
     * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
     */
    IdempotencyKey: string;
    /**
     * @description Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
     *     the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
     *     public addresses only unless the operator allows others; redirects are not followed. A
     *     header rather than a body member, so that it fits every request body unchanged.
     * @example https://orders.example.com/hooks/longrun
     */
    CallbackUrl: string;
  };
  requestBodies: never;
  headers: {
    /**
     * @description The caller's remaining quota (IETF httpapi RateLimit header fields draft): `"default";r=<remaining>;t=<seconds to reset>`.
     * @example "default";r=598;t=42
     */
    RateLimit: string;
    /**
     * @description The quota policy: `"default";q=<requests>;w=<window seconds>`.
     * @example "default";q=600;w=60
     */
    RateLimitPolicy: string;
    /**
     * @description CORS; present when the request carried `Origin`. The contract's headers are exposed to browsers.
     * @example *
     */
    'Access-Control-Allow-Origin': string;
    /**
     * @description Whole seconds until a poll is worth it, computed from the estimated completion time (RFC 9110 §10.2.3).
     * @example 5
     */
    RetryAfter: number;
    /**
     * @description Entity tag of this representation of the monitor; changes with every monitor change (RFC 9110 §8.8.3).
     * @example "op_01JABCDEF0123456789ABCDEFG.3"
     */
    ETag: string;
    /**
     * @description `<monitor URL>; rel="monitor"` (RFC 5989 relation, RFC 8288 header).
     * @example </monitors/op_01JABCDEF0123456789ABCDEFG>; rel="monitor"
     */
    MonitorLink: string;
    /**
     * @description The preferences of `Prefer` that were honoured (RFC 7240 §3).
     * @example wait=10
     */
    PreferenceApplied: string;
    /**
     * @description The resource the operation created.
     * @example /cars/car_01JABCDEF0123456789ABCDEFH
     */
    ProductLocation: string;
    /**
     * @description Monitors change; intermediaries must not cache them.
     * @example no-store
     */
    NoStore: 'no-store';
    /**
     * @description Whole seconds until a poll is worth it; sent while the operation is queued or running (RFC 9110 §10.2.3).
     * @example 5
     */
    RetryAfterWhilePending: number;
    /**
     * @description Sent while the operation is queued or running; pending monitors change.
     * @example no-store
     */
    NoStoreWhilePending: 'no-store';
    /**
     * @description The monitor of the accepted request.
     * @example /monitors/op_01JABCDEF0123456789ABCDEFG
     */
    MonitorLocation: string;
    /**
     * @description The monitor whose representation is the body (RFC 9110 §8.7).
     * @example /monitors/op_01JABCDEF0123456789ABCDEFG
     */
    MonitorContentLocation: string;
    /**
     * @description `<monitor URL>; rel="monitor"` (RFC 5989 relation, RFC 8288 header).
     * @example </monitors/op_01JABCDEF0123456789ABCDEFG>; rel="monitor"
     */
    MonitorLinkRequired: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The service is up and its store answers. */
      200: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  listMonitors: {
    parameters: {
      query?: {
        /** @description Only monitors in this state. */
        state?: components['parameters']['StateFilter'];
        /** @description Only monitors of this kind (this API's kinds; the contract's own filter takes any kind name). */
        kind?: components['parameters']['KindFilter'];
        /** @description Opaque cursor from a previous page's `next`. */
        cursor?: components['parameters']['Cursor'];
        /** @description Page size. */
        limit?: components['parameters']['Limit'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of monitors. */
      200: {
        headers: {
          /**
           * @description `<…>; rel="next"` when there is a next page (RFC 8288).
           * @example </monitors?cursor=b3BfMDFKOVo&limit=20>; rel="next"
           */
          Link?: string;
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MonitorPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getMonitor: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description `wait=N` (1–60 seconds): a long poll that answers as soon as the monitor changes, or after N seconds (RFC 7240).
         * @example wait=30
         */
        Prefer?: components['parameters']['PreferWait'];
        /**
         * @description The ETag of the representation the caller holds; `304` while it still matches (RFC 9110 §13.1.2).
         * @example "op_01JABCDEF0123456789ABCDEFG.3"
         */
        'If-None-Match'?: components['parameters']['IfNoneMatch'];
      };
      path: {
        /** @description The monitor's id (the operation's id). */
        monitorId: components['parameters']['MonitorId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Finished without creating a resource (inline result or none), failed, or cancelled. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AnyMonitor'];
        };
      };
      /** @description Succeeded and created a resource; `Location` is that resource. */
      201: {
        headers: {
          Location: components['headers']['ProductLocation'];
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AnyMonitor'];
        };
      };
      /** @description Still queued or running; poll again after `Retry-After` seconds. */
      202: {
        headers: {
          'Retry-After': components['headers']['RetryAfter'];
          'Cache-Control': components['headers']['NoStore'];
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AnyMonitor'];
        };
      };
      /** @description The monitor still matches `If-None-Match`. Like the answer it stands for, it carries `Retry-After` and `Cache-Control` only while the operation is pending. */
      304: {
        headers: {
          ETag: components['headers']['ETag'];
          'Retry-After': components['headers']['RetryAfterWhilePending'];
          'Cache-Control': components['headers']['NoStoreWhilePending'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  cancelMonitor: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The monitor's id (the operation's id). */
        monitorId: components['parameters']['MonitorId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Cancelled. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AnyMonitor'];
        };
      };
      /** @description Cancellation requested; the running handler was told and will stop. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          ETag: components['headers']['ETag'];
          'Retry-After': components['headers']['RetryAfter'];
          Link: components['headers']['MonitorLink'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AnyMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      409: components['responses']['AlreadyFinished'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  streamMonitorEvents: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description The `id:` of the last event received; the stream resumes after it (WHATWG HTML, server-sent events).
         * @example 3
         */
        'Last-Event-ID'?: components['parameters']['LastEventId'];
      };
      path: {
        /** @description The monitor's id (the operation's id). */
        monitorId: components['parameters']['MonitorId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The stream of the monitor's changes, closed after its terminal state. */
      200: {
        headers: {
          'Cache-Control': components['headers']['NoStore'];
          Link: components['headers']['MonitorLink'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example retry: 2000
           *
           *     id: 3
           *     event: monitor
           *     data: {"id":"op_01JABCDEF0123456789ABCDEFG","kind":"car.create","state":"running","progress":{"percent":50,"message":"Painting the body"},"estimatedCompletionAt":"2026-11-22T10:00:09.000Z","steps":[{"name":"chassis","title":"Weld the chassis","state":"succeeded"},{"name":"paint","title":"Paint the body","state":"running"},{"name":"inspection","title":"Final inspection","state":"pending"}],"request":{"method":"POST","path":"/cars"},"cancelRequested":false,"createdAt":"2026-11-22T10:00:00.000Z","updatedAt":"2026-11-22T10:00:04.500Z","startedAt":"2026-11-22T10:00:00.010Z","finishedAt":null,"links":{"self":{"href":"/monitors/op_01JABCDEF0123456789ABCDEFG"},"cancel":{"href":"/monitors/op_01JABCDEF0123456789ABCDEFG/cancel"},"events":{"href":"/monitors/op_01JABCDEF0123456789ABCDEFG/events"}}}
           *
           *     : keep-alive
           */
          'text/event-stream': string;
        };
      };
      /** @description The monitor has ended and `Last-Event-ID` is its last version; there is nothing more to send. */
      204: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      406: components['responses']['NotAcceptable'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  createCar: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
        /**
         * @description Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
         *     the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
         *     public addresses only unless the operator allows others; redirects are not followed. A
         *     header rather than a body member, so that it fits every request body unchanged.
         * @example https://orders.example.com/hooks/longrun
         */
        'Callback-Url'?: components['parameters']['CallbackUrl'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CarSpec'];
      };
    };
    responses: {
      200: components['responses']['CarCreationFinished'];
      201: components['responses']['CarCreationCreated'];
      202: components['responses']['CarCreationAccepted'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['IdempotencyConflict'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['IdempotencyKeyReused'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getCar: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
      };
      path: {
        /** @description The car's id. */
        carId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The car. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Car'];
        };
      };
      /** @description `Prefer: respond-async` was honoured: the read was accepted as an operation. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          'Retry-After': components['headers']['RetryAfter'];
          Link: components['headers']['MonitorLink'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CarReadMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  createVirtualMachine: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
        /**
         * @description Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
         *     the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
         *     public addresses only unless the operator allows others; redirects are not followed. A
         *     header rather than a body member, so that it fits every request body unchanged.
         * @example https://orders.example.com/hooks/longrun
         */
        'Callback-Url'?: components['parameters']['CallbackUrl'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VirtualMachineSpec'];
      };
    };
    responses: {
      200: components['responses']['VirtualMachineProvisionFinished'];
      /** @description `Prefer: wait` was honoured and the machine is ready; `Location` is the machine. */
      201: {
        headers: {
          Location: components['headers']['ProductLocation'];
          'Content-Location': components['headers']['MonitorContentLocation'];
          Link: components['headers']['MonitorLink'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VirtualMachineProvisionMonitor'];
        };
      };
      /** @description Accepted; `Location` is the virtual machine, `Link rel="monitor"` its monitor. */
      202: {
        headers: {
          /**
           * @description The virtual machine, which embeds its own status.
           * @example /virtual-machines/vm_01JABCDEF0123456789ABCDEFG
           */
          Location: string;
          ETag: components['headers']['ETag'];
          'Retry-After': components['headers']['RetryAfter'];
          Link: components['headers']['MonitorLinkRequired'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VirtualMachineProvisionMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['IdempotencyConflict'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['IdempotencyKeyReused'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getVirtualMachine: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The virtual machine's id. */
        vmId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The virtual machine, its status, progress and ETA. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VirtualMachine'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  createTranscode: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
        /**
         * @description Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
         *     the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
         *     public addresses only unless the operator allows others; redirects are not followed. A
         *     header rather than a body member, so that it fits every request body unchanged.
         * @example https://orders.example.com/hooks/longrun
         */
        'Callback-Url'?: components['parameters']['CallbackUrl'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TranscodeRequest'];
      };
    };
    responses: {
      200: components['responses']['TranscodeFinished'];
      201: components['responses']['TranscodeCreated'];
      202: components['responses']['TranscodeAccepted'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['IdempotencyConflict'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['IdempotencyKeyReused'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getProduct: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The product document's id. */
        productId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The product document. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EncodedVideo'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  startReindex: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
        /**
         * @description Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
         *     the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
         *     public addresses only unless the operator allows others; redirects are not followed. A
         *     header rather than a body member, so that it fits every request body unchanged.
         * @example https://orders.example.com/hooks/longrun
         */
        'Callback-Url'?: components['parameters']['CallbackUrl'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReindexRequest'];
      };
    };
    responses: {
      200: components['responses']['ReindexFinished'];
      202: components['responses']['ReindexAccepted'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['ReindexPending'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['IdempotencyKeyReused'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  createWidgetOrder: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
        /**
         * @description Where the monitor is `POST`ed each time it enters a new state (see `callbacks`), signed with
         *     the caller's callback secret (`GET /callback-secret`). `http` or `https`, no credentials,
         *     public addresses only unless the operator allows others; redirects are not followed. A
         *     header rather than a body member, so that it fits every request body unchanged.
         * @example https://orders.example.com/hooks/longrun
         */
        'Callback-Url'?: components['parameters']['CallbackUrl'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WidgetOrderRequest'];
      };
    };
    responses: {
      200: components['responses']['WidgetOrderFinished'];
      201: components['responses']['WidgetOrderCreated'];
      202: components['responses']['WidgetOrderAccepted'];
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['IdempotencyConflict'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['IdempotencyKeyReused'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getWidgetOrder: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The widget order's id. */
        orderId: components['parameters']['OrderId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The order with its status and the resources it has produced so far. */
      200: {
        headers: {
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WidgetOrder'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  confirmWidgetOrderFulfilment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The widget order's id. */
        orderId: components['parameters']['OrderId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FulfilmentConfirmation'];
      };
    };
    responses: {
      /** @description Confirmation recorded; the order's operation continues. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          'Retry-After': components['headers']['RetryAfter'];
          Link: components['headers']['MonitorLink'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WidgetOrderMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      409: components['responses']['NotWaiting'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getWidget: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The widget's id. */
        widgetId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The widget. */
      200: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Widget'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getInvoice: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The invoice's id. */
        invoiceId: components['schemas']['ResourceId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The invoice. */
      200: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Invoice'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  listWebhookSubscriptions: {
    parameters: {
      query?: {
        /** @description Opaque cursor from a previous page's `next`. */
        cursor?: components['parameters']['Cursor'];
        /** @description Page size. */
        limit?: components['parameters']['Limit'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of subscriptions. */
      200: {
        headers: {
          /**
           * @description `<…>; rel="next"` when there is a next page (RFC 8288).
           * @example </webhook-subscriptions?cursor=d2hzXzAxSjlaMA&limit=20>; rel="next"
           */
          Link?: string;
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSubscriptionPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  createWebhookSubscription: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookSubscriptionRequest'];
      };
    };
    responses: {
      /** @description Subscribed; `Location` is the subscription. The body holds its signing secret, shown this once. */
      201: {
        headers: {
          /**
           * @description The new subscription.
           * @example /webhook-subscriptions/whs_01jabcdef0123456789abcdefg
           */
          Location: string;
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSubscriptionWithSecret'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['WebhookSubscriptionLimit'];
      413: components['responses']['ContentTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getWebhookSubscription: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription (without its secret). */
      200: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSubscription'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  deleteWebhookSubscription: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  rotateWebhookSubscriptionSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription with its new secret. */
      200: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookSubscriptionWithSecret'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        /** @description Opaque cursor from a previous page's `next`. */
        cursor?: components['parameters']['Cursor'];
        /** @description Page size. */
        limit?: components['parameters']['Limit'];
      };
      header?: never;
      path: {
        /** @description The webhook subscription's id. */
        subscriptionId: components['parameters']['SubscriptionId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of deliveries. */
      200: {
        headers: {
          /**
           * @description `<…>; rel="next"` when there is a next page (RFC 8288).
           * @example </webhook-subscriptions/whs_01jabcdef0123456789abcdefg/deliveries?cursor=MTI&limit=20>; rel="next"
           */
          Link?: string;
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  getCallbackSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The current callback signing secret. */
      200: {
        headers: {
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SigningSecret'];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  rotateCallbackSecret: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new callback signing secret. */
      200: {
        headers: {
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SigningSecret'];
        };
      };
      401: components['responses']['Unauthorized'];
      429: components['responses']['TooManyRequests'];
      500: components['responses']['InternalError'];
    };
  };
  monitorEventWebhook: {
    parameters: {
      query?: never;
      header: {
        /**
         * @description The message's id; the same on every retry of it (Standard Webhooks).
         * @example msg_01jabcdef0123456789abcdefg_4
         */
        'webhook-id': components['parameters']['WebhookId'];
        /**
         * @description Unix time of this attempt, in seconds; receivers refuse messages more than 5 minutes off (Standard Webhooks).
         * @example 1795341609
         */
        'webhook-timestamp': components['parameters']['WebhookTimestamp'];
        /**
         * @description Space-separated `v1,<base64 HMAC-SHA256>` signatures of `<webhook-id>.<webhook-timestamp>.<body>`, one per valid secret (Standard Webhooks).
         * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
         */
        'webhook-signature': components['parameters']['WebhookSignature'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['MonitorEvent'];
      };
    };
    responses: {
      /** @description Received (any 2xx will do). */
      200: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Gone; the subscription is disabled and nothing more is sent to it. */
      410: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
