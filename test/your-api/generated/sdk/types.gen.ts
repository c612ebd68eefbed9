// generated from exports.yaml by `longrun generate --spec exports.yaml --out generated` — do not edit

export type ClientOptions = {
  baseUrl: 'https://reports.example.com' | (string & {});
};

export type ExportRequest = {
  report: string;
  format: 'csv' | 'xlsx';
};

export type Export = {
  id: string;
  report: string;
  format: 'csv' | 'xlsx';
  state: 'pending' | 'ready';
  fileUrl?: string;
};

export type Approval = {
  approvedBy: string;
};

export type RowCountRequest = {
  report: string;
};

/**
 * The monitor of an export; its product is the `Export`.
 */
export type ExportMonitor = Monitor & {
  kind?: 'export.create';
};

/**
 * The monitor of a row count; its result is a `RowCount`.
 */
export type RowCountMonitor = Monitor & {
  kind?: 'rows.count';
  result?: RowCount;
};

/**
 * The monitor of an archive rebuild.
 */
export type ArchiveRebuildMonitor = Monitor & {
  kind?: 'archive.rebuild';
};

export type RowCount = {
  report: string;
  rows: number;
};

/**
 * `queued` → `running` → `succeeded` | `failed` | `cancelled`.
 */
export type MonitorState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/**
 * What the operation does (the `kind` of its `x-longrun-async`); decides the type of its product or result.
 */
export type OperationKind = string;

/**
 * An operation's (and its monitor's) id.
 */
export type OperationId = string;

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
 * One page of monitors, newest first.
 */
export type MonitorPage = {
  items: Array<Monitor>;
  /**
   * The next page's URL, or null on the last page.
   */
  next: Href | null;
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
 * The export's id.
 */
export type ExportId = string;

/**
 * Only monitors in this state.
 */
export type StateFilter = MonitorState;

/**
 * Only monitors of this kind.
 */
export type KindFilter = OperationKind;

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
 * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
 * key and body replays the first answer (same monitor, no second piece of work); the same key
 * with another body answers `422`; a retry while the first is still being accepted answers
 * `409`. Keys are kept at least 24 hours, per tenant.
 *
 */
export type IdempotencyKey = string;

/**
 * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
 * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
 * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
 *
 */
export type PreferAsync = string;

export type ListMonitorsData = {
  body?: never;
  path?: never;
  query?: {
    /**
     * Only monitors in this state.
     */
    state?: MonitorState;
    /**
     * Only monitors of this kind.
     */
    kind?: OperationKind;
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
  200: Monitor;
  /**
   * Succeeded and created a resource; `Location` is that resource.
   */
  201: Monitor;
  /**
   * Still queued or running; poll again after `Retry-After` seconds.
   */
  202: Monitor;
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
  200: Monitor;
  /**
   * Cancellation requested; the running handler was told and will stop.
   */
  202: Monitor;
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
   * `retry: <ms>` once, then per change `id: <version>`, `event: monitor` and `data: <Monitor as JSON>`.
   */
  200: string;
  /**
   * The monitor has ended and `Last-Event-ID` is its last version; there is nothing more to send.
   */
  204: void;
};

export type StreamMonitorEventsResponse = StreamMonitorEventsResponses[keyof StreamMonitorEventsResponses];

export type CreateExportData = {
  body: ExportRequest;
  headers?: {
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
    /**
     * RFC 7240 preferences. `respond-async` asks for `202` + monitor even where the server could
     * answer at once; `wait=N` (1–60 seconds) holds the request until the operation finishes or N
     * seconds pass. Honoured preferences are echoed in `Preference-Applied`.
     *
     */
    Prefer?: string;
  };
  path?: never;
  query?: never;
  url: '/exports';
};

export type CreateExportErrors = {
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
   * This `Idempotency-Key` was used with another request body.
   */
  422: Problem;
  /**
   * Too many requests; retry after `Retry-After` seconds.
   */
  429: Problem;
};

export type CreateExportError = CreateExportErrors[keyof CreateExportErrors];

export type CreateExportResponses = {
  /**
   * `Prefer: wait` was honoured and the export was written; `Location` is the file.
   */
  201: ExportMonitor;
  /**
   * Accepted; poll the monitor at `Location`.
   */
  202: ExportMonitor;
};

export type CreateExportResponse = CreateExportResponses[keyof CreateExportResponses];

export type GetExportData = {
  body?: never;
  path: {
    /**
     * The export's id.
     */
    exportId: string;
  };
  query?: never;
  url: '/exports/{exportId}';
};

export type GetExportErrors = {
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * No such resource for this caller (another tenant's resources do not exist for the caller).
   */
  404: Problem;
};

export type GetExportError = GetExportErrors[keyof GetExportErrors];

export type GetExportResponses = {
  /**
   * The export; its file is ready once `state` is `ready`.
   */
  200: Export;
};

export type GetExportResponse = GetExportResponses[keyof GetExportResponses];

export type ApproveExportData = {
  body: Approval;
  path: {
    /**
     * The export's id.
     */
    exportId: string;
  };
  query?: never;
  url: '/exports/{exportId}/approval';
};

export type ApproveExportErrors = {
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
};

export type ApproveExportError = ApproveExportErrors[keyof ApproveExportErrors];

export type ApproveExportResponses = {
  /**
   * Approved; the export goes on. `Location` is its monitor.
   */
  202: ExportMonitor;
};

export type ApproveExportResponse = ApproveExportResponses[keyof ApproveExportResponses];

export type CountRowsData = {
  body: RowCountRequest;
  headers?: {
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
  };
  path?: never;
  query?: never;
  url: '/row-counts';
};

export type CountRowsErrors = {
  /**
   * The request does not match the spec; `errors` lists each problem with a JSON pointer.
   */
  400: ValidationProblem;
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
};

export type CountRowsError = CountRowsErrors[keyof CountRowsErrors];

export type CountRowsResponses = {
  /**
   * `Prefer: wait` was honoured and the count is done: the monitor with its `result`.
   */
  200: RowCountMonitor;
  /**
   * Accepted; poll the monitor at `Location`.
   */
  202: RowCountMonitor;
};

export type CountRowsResponse = CountRowsResponses[keyof CountRowsResponses];

export type RebuildArchiveData = {
  body?: never;
  headers?: {
    /**
     * Makes the request safe to retry (IETF httpapi idempotency-key draft). A retry with the same
     * key and body replays the first answer (same monitor, no second piece of work); the same key
     * with another body answers `422`; a retry while the first is still being accepted answers
     * `409`. Keys are kept at least 24 hours, per tenant.
     *
     */
    'Idempotency-Key'?: string;
  };
  path?: never;
  query?: never;
  url: '/archive-rebuilds';
};

export type RebuildArchiveErrors = {
  /**
   * No valid `Authorization: Bearer <key>`.
   */
  401: Problem;
  /**
   * One at a time: a request of this kind is already queued or running; the problem names its monitor.
   */
  409: PendingOperationProblem;
};

export type RebuildArchiveError = RebuildArchiveErrors[keyof RebuildArchiveErrors];

export type RebuildArchiveResponses = {
  /**
   * Accepted; poll the monitor at `Location`.
   */
  202: ArchiveRebuildMonitor;
};

export type RebuildArchiveResponse = RebuildArchiveResponses[keyof RebuildArchiveResponses];
