// generated from exports.yaml by `longrun generate --spec exports.yaml --out generated` — do not edit

export interface paths {
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
     *     `If-None-Match` that still matches answers `304`. `Prefer: wait=N` is a long poll.
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
     * @description A queued operation is cancelled at once (`200`). A running one is told and ends `cancelled`
     *     shortly (`202`, with `cancelRequested: true`); no product is published. A finished operation
     *     cannot be cancelled (`409`).
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
     * @description A `text/event-stream` of the monitor: one event per change, named `monitor`, with `id:` the
     *     monitor's version and `data:` the whole monitor. The stream is closed after the event of a
     *     terminal state; resume with `Last-Event-ID`. `204` once the monitor has ended and the caller
     *     has its last version. `406` when `Accept` does not take `text/event-stream` (no `Accept`,
     *     `*\/*` and `text/*` do; `q=0` refuses it).
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
  '/exports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Export a report as a file
     * @description Runs the query, waits for a reviewer's approval, then writes the file (the product).
     */
    post: operations['createExport'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/exports/{exportId}': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The export's id.
         * @example exp_01JABCDEF0123456789ABCDEFH
         */
        exportId: components['parameters']['ExportId'];
      };
      cookie?: never;
    };
    /**
     * Read an export
     * @description The export, while it is made (`pending`) and once its file is ready.
     */
    get: operations['getExport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/exports/{exportId}/approval': {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The export's id.
         * @example exp_01JABCDEF0123456789ABCDEFH
         */
        exportId: components['parameters']['ExportId'];
      };
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Approve an export waiting in its approval step
     * @description The outside action its `approval` step waits for; answers the export's monitor.
     */
    post: operations['approveExport'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/row-counts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Count a report's rows
     * @description The outcome is data, not a resource; it is the monitor's inline `result`.
     */
    post: operations['countRows'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/archive-rebuilds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rebuild the export archive, one rebuild at a time
     * @description A second rebuild while one is queued or running is refused with 409, naming the pending one.
     */
    post: operations['rebuildArchive'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ExportRequest: {
      report: string;
      /** @enum {string} */
      format: 'csv' | 'xlsx';
    };
    Export: {
      id: string;
      report: string;
      /** @enum {string} */
      format: 'csv' | 'xlsx';
      /** @enum {string} */
      state: 'pending' | 'ready';
      /** Format: uri */
      fileUrl?: string;
    };
    Approval: {
      /** Format: email */
      approvedBy: string;
    };
    RowCountRequest: {
      report: string;
    };
    /** @description The monitor of an export; its product is the `Export`. */
    ExportMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind?: 'export.create';
    };
    /** @description The monitor of a row count; its result is a `RowCount`. */
    RowCountMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind?: 'rows.count';
      result?: components['schemas']['RowCount'];
    };
    /** @description The monitor of an archive rebuild. */
    ArchiveRebuildMonitor: components['schemas']['Monitor'] & {
      /** @constant */
      kind?: 'archive.rebuild';
    };
    RowCount: {
      report: string;
      /** Format: int64 */
      rows: number;
    };
    /**
     * @description `queued` → `running` → `succeeded` | `failed` | `cancelled`.
     * @enum {string}
     */
    MonitorState: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
    /**
     * @description What the operation does (the `kind` of its `x-longrun-async`); decides the type of its product or result.
     * @example report.export
     */
    OperationKind: string;
    /**
     * @description An operation's (and its monitor's) id.
     * @example op_01JABCDEF0123456789ABCDEFG
     */
    OperationId: string;
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
    /** @description One page of monitors, newest first. */
    MonitorPage: {
      items: components['schemas']['Monitor'][];
      /** @description The next page's URL, or null on the last page. */
      next: components['schemas']['Href'] | null;
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
    /** @description The monitor still matches `If-None-Match`. It carries `Retry-After` and `Cache-Control` only while the operation is pending. */
    NotModified: {
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
    /** @description One at a time: a request of this kind is already queued or running; the problem names its monitor. */
    OperationPending: {
      headers: {
        Link: components['headers']['MonitorLinkRequired'];
        'Retry-After': components['headers']['RetryAfter'];
        'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
        [name: string]: unknown;
      };
      content: {
        'application/problem+json': components['schemas']['PendingOperationProblem'];
      };
    };
  };
  parameters: {
    /**
     * @description The export's id.
     * @example exp_01JABCDEF0123456789ABCDEFH
     */
    ExportId: string;
    /** @description Only monitors in this state. */
    StateFilter: components['schemas']['MonitorState'];
    /** @description Only monitors of this kind. */
    KindFilter: components['schemas']['OperationKind'];
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
     * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     *     key and body replays the first answer (same monitor, no second piece of work); the same key
     *     with another body answers `422`; a retry while the first is still being accepted answers
     *     `409`. Keys are kept at least 24 hours, per tenant.
     * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
     */
    IdempotencyKey: string;
    /**
     * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     */
    PreferAsync: string;
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
     * @description `<monitor URL>; rel="monitor"` (RFC 5989 relation, RFC 8288 header).
     * @example </monitors/op_01JABCDEF0123456789ABCDEFG>; rel="monitor"
     */
    MonitorLinkRequired: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listMonitors: {
    parameters: {
      query?: {
        /** @description Only monitors in this state. */
        state?: components['parameters']['StateFilter'];
        /** @description Only monitors of this kind. */
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
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Monitor'];
        };
      };
      /** @description Succeeded and created a resource; `Location` is that resource. */
      201: {
        headers: {
          Location: components['headers']['ProductLocation'];
          ETag: components['headers']['ETag'];
          Link: components['headers']['MonitorLink'];
          'Preference-Applied': components['headers']['PreferenceApplied'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Monitor'];
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
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Monitor'];
        };
      };
      304: components['responses']['NotModified'];
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
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Monitor'];
        };
      };
      /** @description Cancellation requested; the running handler was told and will stop. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          ETag: components['headers']['ETag'];
          'Retry-After': components['headers']['RetryAfter'];
          Link: components['headers']['MonitorLink'];
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Monitor'];
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
          'Access-Control-Allow-Origin': components['headers']['Access-Control-Allow-Origin'];
          [name: string]: unknown;
        };
        content: {
          /**
           * @example retry: 2000
           *
           *     id: 1
           *     event: monitor
           *     data: {"id":"op_01JABCDEF0123456789ABCDEFG","kind":"report.export","state":"queued","progress":{"percent":0},"estimatedCompletionAt":null,"steps":[],"request":{"method":"POST","path":"/exports"},"cancelRequested":false,"createdAt":"2026-11-22T10:00:00.000Z","updatedAt":"2026-11-22T10:00:00.000Z","startedAt":null,"finishedAt":null,"links":{"self":{"href":"/monitors/op_01JABCDEF0123456789ABCDEFG"}}}
           */
          'text/event-stream': string;
        };
      };
      /** @description The monitor has ended and `Last-Event-ID` is its last version; there is nothing more to send. */
      204: {
        headers: {
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
  createExport: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
        /**
         * @description RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
         *     answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
         *     seconds pass. Honoured preferences are echoed in `Preference-Applied`.
         */
        Prefer?: components['parameters']['PreferAsync'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExportRequest'];
      };
    };
    responses: {
      /** @description `Prefer: wait` was honoured and the export was written; `Location` is the file. */
      201: {
        headers: {
          Location: components['headers']['ProductLocation'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExportMonitor'];
        };
      };
      /** @description Accepted; poll the monitor at `Location`. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          'Retry-After': components['headers']['RetryAfter'];
          Link: components['headers']['MonitorLinkRequired'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExportMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      409: components['responses']['IdempotencyConflict'];
      422: components['responses']['IdempotencyKeyReused'];
      429: components['responses']['TooManyRequests'];
    };
  };
  getExport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The export's id.
         * @example exp_01JABCDEF0123456789ABCDEFH
         */
        exportId: components['parameters']['ExportId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The export; its file is ready once `state` is `ready`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Export'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
    };
  };
  approveExport: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /**
         * @description The export's id.
         * @example exp_01JABCDEF0123456789ABCDEFH
         */
        exportId: components['parameters']['ExportId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['Approval'];
      };
    };
    responses: {
      /** @description Approved; the export goes on. `Location` is its monitor. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ExportMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['NotFound'];
    };
  };
  countRows: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RowCountRequest'];
      };
    };
    responses: {
      /** @description `Prefer: wait` was honoured and the count is done: the monitor with its `result`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RowCountMonitor'];
        };
      };
      /** @description Accepted; poll the monitor at `Location`. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RowCountMonitor'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
    };
  };
  rebuildArchive: {
    parameters: {
      query?: never;
      header?: {
        /**
         * @description Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
         *     key and body replays the first answer (same monitor, no second piece of work); the same key
         *     with another body answers `422`; a retry while the first is still being accepted answers
         *     `409`. Keys are kept at least 24 hours, per tenant.
         * @example 8e03978e-40d5-43e8-bc93-6894a57f9324
         */
        'Idempotency-Key'?: components['parameters']['IdempotencyKey'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Accepted; poll the monitor at `Location`. */
      202: {
        headers: {
          Location: components['headers']['MonitorLocation'];
          'Retry-After': components['headers']['RetryAfter'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ArchiveRebuildMonitor'];
        };
      };
      401: components['responses']['Unauthorized'];
      409: components['responses']['OperationPending'];
    };
  };
}
