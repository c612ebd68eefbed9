/**
 * The page's requests, through `@longrun/client` (which sends the API key to this origin only):
 * every answer becomes a value the page can show, a problem document included.
 */
import { type AnyMonitor, cancel, createClient, type LongrunClient, LongrunError } from '@longrun/client';
import { isMonitor, isProblem, type Monitor, type MonitorPage, type Problem } from './model.ts';

/** An answer: the value, or what went wrong (with the problem document when the API sent one). */
export type Answer<T> = { ok: true; value: T; status: number } | { ok: false; message: string; problem?: Problem };

/** The API of this origin, called with one tenant's key. */
export class Api {
  readonly client: LongrunClient;

  constructor(apiKey: string) {
    this.client = createClient({ baseUrl: location.origin, apiKey });
  }

  /** One page of monitors, newest first: the first page for the filters, or the page a `next` link names. */
  async listMonitors(from: { state?: string; kind?: string } | string): Promise<Answer<MonitorPage>> {
    if (typeof from === 'string') return this.#json(from, { method: 'GET' }, isMonitorPage);
    const query: Record<string, string> = { limit: '20' };
    if (from.state) query.state = from.state;
    if (from.kind) query.kind = from.kind;
    return this.#json(`/monitors?${new URLSearchParams(query)}`, { method: 'GET' }, isMonitorPage);
  }

  /** The monitor as it is now. */
  readMonitor(monitor: Monitor): Promise<Answer<Monitor>> {
    return this.#json(monitor.links.self.href, { method: 'GET' }, isMonitor);
  }

  /** Sends a request with a JSON body (starting an operation, or performing a waiting step). */
  send(method: string, path: string, body: unknown): Promise<Answer<unknown>> {
    return this.#json(
      path,
      { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      (value): value is unknown => value !== undefined,
    );
  }

  /** Reads a resource the API linked (a product, a related resource). */
  read(href: string): Promise<Answer<unknown>> {
    return this.#json(href, { method: 'GET' }, (value): value is unknown => value !== undefined);
  }

  /** Asks for the operation to be cancelled; answers the monitor as it is then. */
  async cancel(monitor: Monitor): Promise<Answer<Monitor>> {
    try {
      const value = (await cancel(this.client, monitor as unknown as AnyMonitor)) as unknown as Monitor;
      return { ok: true, value, status: 200 };
    } catch (error) {
      return failure(error);
    }
  }

  async #json<T>(href: string, init: RequestInit, accept: (value: unknown) => value is T): Promise<Answer<T>> {
    let response: Response;
    try {
      response = await this.client.fetchLink(href, init);
    } catch (error) {
      return failure(error);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return { ok: false, message: `${init.method} ${href} answered ${response.status} with a body that is not JSON.` };
    }
    if (!response.ok) {
      const problem = isProblem(body) ? body : undefined;
      return {
        ok: false,
        message: `${init.method} ${href} answered ${response.status}`,
        ...(problem ? { problem } : {}),
      };
    }
    if (!accept(body)) return { ok: false, message: `${init.method} ${href} answered something unexpected.` };
    return { ok: true, value: body, status: response.status };
  }
}

function isMonitorPage(value: unknown): value is MonitorPage {
  return typeof value === 'object' && value !== null && Array.isArray((value as MonitorPage).items);
}

/** What a thrown error says, with its problem document when it has one. */
export function failure(error: unknown): { ok: false; message: string; problem?: Problem } {
  if (error instanceof LongrunError) {
    const problem = isProblem(error.problem) ? (error.problem as Problem) : undefined;
    return { ok: false, message: error.message, ...(problem ? { problem } : {}) };
  }
  return { ok: false, message: error instanceof Error ? error.message : String(error) };
}
