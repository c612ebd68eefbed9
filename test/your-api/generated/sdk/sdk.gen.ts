// generated from exports.yaml by `longrun generate --spec exports.yaml --out generated` — do not edit

import { client } from './client.gen.ts';
import type { Client, Options as Options2, TDataShape } from './client/index.ts';
import type {
  ApproveExportData,
  ApproveExportErrors,
  ApproveExportResponses,
  CancelMonitorData,
  CancelMonitorErrors,
  CancelMonitorResponses,
  CountRowsData,
  CountRowsErrors,
  CountRowsResponses,
  CreateExportData,
  CreateExportErrors,
  CreateExportResponses,
  GetExportData,
  GetExportErrors,
  GetExportResponses,
  GetMonitorData,
  GetMonitorErrors,
  GetMonitorResponses,
  ListMonitorsData,
  ListMonitorsErrors,
  ListMonitorsResponses,
  RebuildArchiveData,
  RebuildArchiveErrors,
  RebuildArchiveResponses,
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
 * `If-None-Match` that still matches answers `304`. `Prefer: wait=N` is a long poll.
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
 * A queued operation is cancelled at once (`200`). A running one is told and ends `cancelled`
 * shortly (`202`, with `cancelRequested: true`); no product is published. A finished operation
 * cannot be cancelled (`409`).
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
 * A `text/event-stream` of the monitor: one event per change, named `monitor`, with `id:` the
 * monitor's version and `data:` the whole monitor. The stream is closed after the event of a
 * terminal state; resume with `Last-Event-ID`. `204` once the monitor has ended and the caller
 * has its last version. `406` when `Accept` does not take `text/event-stream` (no `Accept`,
 * `**` and `text*` do; `q=0` refuses it).
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
 * Export a report as a file
 *
 * Runs the query, waits for a reviewer's approval, then writes the file (the product).
 */
export const createExport = <ThrowOnError extends boolean = false>(options: Options<CreateExportData, ThrowOnError>) =>
  (options.client ?? client).post<CreateExportResponses, CreateExportErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/exports',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * Read an export
 *
 * The export, while it is made (`pending`) and once its file is ready.
 */
export const getExport = <ThrowOnError extends boolean = false>(options: Options<GetExportData, ThrowOnError>) =>
  (options.client ?? client).get<GetExportResponses, GetExportErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/exports/{exportId}',
    ...options,
  });

/**
 * Approve an export waiting in its approval step
 *
 * The outside action its `approval` step waits for; answers the export's monitor.
 */
export const approveExport = <ThrowOnError extends boolean = false>(
  options: Options<ApproveExportData, ThrowOnError>,
) =>
  (options.client ?? client).post<ApproveExportResponses, ApproveExportErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/exports/{exportId}/approval',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * Count a report's rows
 *
 * The outcome is data, not a resource; it is the monitor's inline `result`.
 */
export const countRows = <ThrowOnError extends boolean = false>(options: Options<CountRowsData, ThrowOnError>) =>
  (options.client ?? client).post<CountRowsResponses, CountRowsErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/row-counts',
    ...options,
    headers: {
      'Content-Type': 'application/json',
      ...options.headers,
    },
  });

/**
 * Rebuild the export archive, one rebuild at a time
 *
 * A second rebuild while one is queued or running is refused with 409, naming the pending one.
 */
export const rebuildArchive = <ThrowOnError extends boolean = false>(
  options?: Options<RebuildArchiveData, ThrowOnError>,
) =>
  (options?.client ?? client).post<RebuildArchiveResponses, RebuildArchiveErrors, ThrowOnError>({
    security: [{ scheme: 'bearer', type: 'http' }],
    url: '/archive-rebuilds',
    ...options,
  });
