/**
 * `cancel`: asks the server to stop an accepted operation. Separate from waiting: aborting a
 * `waitFor` only stops the wait. The contract's `POST /monitors/{id}/cancel` answers `200` with the
 * monitor once it is cancelled, `202` while the operation winds down, and `409` once it has ended
 * (openapi/contract/longrun.yaml).
 */

import { findLink } from '@longrun/openapi/contract';
import type { LongrunClient } from './create-client.ts';
import { ApiError, apiErrorFrom } from './errors.ts';
import { isMonitor } from './monitor-changes.ts';
import { jsonAccept, readJson } from './read-json.ts';
import type { AcceptedResponse, AnyMonitor } from './types.ts';

/** Options of {@link cancel}. */
export interface CancelOptions {
  /** Aborts the cancel request itself. */
  signal?: AbortSignal;
}

/**
 * Asks the server to cancel an operation (`POST` to the monitor's `links.cancel`, else
 * `<monitor>/cancel`) and resolves to the monitor it answers with: `cancelled` when it was still
 * queued (200), or `cancelRequested: true` while a running handler stops (202); a `waitFor` on it
 * then ends with {@link OperationCancelledError}.
 *
 * Sends `Accept: application/json, application/problem+json`: the answer is a monitor, or a problem.
 *
 * @param target the answer that accepted the operation, its monitor, or the monitor's URL
 * @throws {ApiError} 409 once the operation has finished, 404 for an unknown monitor
 * @example
 * const accepted = await longrun.POST('/widget-orders', { body: { items: [{ sku: 'WID-BLUE-01', quantity: 2 }] } });
 * await cancel(longrun, accepted);
 */
export async function cancel(
  client: LongrunClient,
  target: AcceptedResponse | AnyMonitor | string | URL,
  options: CancelOptions = {},
): Promise<AnyMonitor> {
  const url = cancelUrl(client, target);
  let response: Response;
  try {
    response = await client.fetchLink(url, {
      method: 'POST',
      headers: { Accept: jsonAccept },
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw apiErrorFrom(undefined, undefined, 'Cancelling failed', error, url);
  }
  const body = await readJson(response);
  if (!response.ok) throw apiErrorFrom(response, body, 'Cancelling was refused');
  if (!isMonitor(body)) {
    throw new ApiError(`The answer to POST ${url} is not a monitor.`, { status: response.status, url, method: 'POST' });
  }
  return body;
}

/** Where to POST the cancellation. */
function cancelUrl(client: LongrunClient, target: AcceptedResponse | AnyMonitor | string | URL): string {
  const base = `${client.baseUrl}/`;
  if (typeof target === 'string' || target instanceof URL) return appendCancel(new URL(target, base));
  if (isMonitor(target)) return monitorCancelUrl(target, base);
  const { response, data } = target;
  const responseBase = response?.url || base;
  if (isMonitor(data) && data.links.cancel) return new URL(data.links.cancel.href, responseBase).href;
  const monitorLink = findLink(response?.headers.get('Link'), 'monitor');
  if (monitorLink !== undefined) return appendCancel(new URL(monitorLink, responseBase));
  if (isMonitor(data)) return monitorCancelUrl(data, responseBase);
  const location = response?.status === 202 ? response.headers.get('Location') : null;
  if (location !== null && location !== undefined) return appendCancel(new URL(location, responseBase));
  throw new TypeError('cancel() needs an accepted response that names its monitor, a monitor, or a monitor URL.');
}

function monitorCancelUrl(monitor: AnyMonitor, base: string): string {
  if (monitor.links.cancel) return new URL(monitor.links.cancel.href, base).href;
  return appendCancel(new URL(monitor.links.self.href, base));
}

function appendCancel(monitorUrl: URL): string {
  const url = new URL(monitorUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/cancel`;
  url.search = '';
  url.hash = '';
  return url.href;
}
