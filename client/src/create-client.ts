/**
 * The typed client: openapi-fetch over a spec's generated `paths` (the reference API's unless told
 * otherwise), plus what `waitFor` needs to follow the links an API hands out (`Location`, `Link`,
 * `links.*.href`) through the same client and middleware, plus a hey-api client configured the
 * same way for the generated SDK functions.
 */
import type { AsyncKinds, paths } from '@longrun/openapi';
import { mergePreferences } from '@longrun/openapi/contract';
import createFetchClient, { type Client } from 'openapi-fetch';
import type { Client as SdkClient } from './generated/sdk/client/index.ts';
import { createClient as createSdkClient } from './generated/sdk/client/index.ts';
import { jsonAccept } from './read-json.ts';

/** A `fetch` the client calls with one `Request`, as openapi-fetch does. */
export type FetchFunction = (input: Request) => Promise<Response>;

/** Options of {@link createClient}. */
export interface ClientOptions {
  /**
   * Root URL of the API, e.g. `https://api.longrun.dev`. Relative URLs (`/api`) work in browsers,
   * resolved against the page.
   */
  baseUrl: string;
  /**
   * API key, sent as `Authorization: Bearer <key>` to the API's origin only (never to a link that
   * points elsewhere).
   * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
   */
  apiKey?: string;
  /**
   * The `fetch` to use: for tests, instrumentation, or a runtime without a global one.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction;
  /**
   * Headers sent with every request (to the API's origin). A `Prefer` here is merged into the
   * `Prefer` of each request, never replaced by it: with `Prefer: code=201` (a Prism directive), a
   * long poll of `waitFor` sends `Prefer: wait=30, code=201`. Where both name the same preference,
   * the request's wins.
   * @see https://www.rfc-editor.org/rfc/rfc7240#section-2
   */
  headers?: Record<string, string>;
}

/** Carries the spec's `AsyncKinds` on the client's type, so `waitFor` reads outcomes from it. */
declare const asyncKinds: unique symbol;

/**
 * An openapi-fetch client for a longrun API (`GET`, `POST`, … typed from the spec; HTTP errors are
 * returned as `{ error }`, not thrown), with the extras `waitFor` and `cancel` use.
 *
 * @typeParam Paths the spec's `paths` (openapi-typescript)
 * @typeParam Kinds the spec's generated `AsyncKinds` map: what each operation kind yields
 */
export interface LongrunClient<Paths extends {} = paths, Kinds extends object = AsyncKinds> extends Client<Paths> {
  /** Type only, never set: the spec's operation kinds, for `waitFor`'s outcome types. */
  readonly [asyncKinds]?: Kinds;
  /** The absolute root URL of the API, without a trailing slash. */
  readonly baseUrl: string;
  /**
   * A hey-api client with the same base URL, key and fetch: pass it to the generated SDK functions.
   * @example await createCar({ client: longrun.sdkClient, body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } })
   */
  readonly sdkClient: SdkClient;
  /**
   * Fetches a link the API handed out (`Location`, `Link`, `links.product.href`), resolved against
   * `baseUrl`, with the API key and the client's headers when the link stays on the API's origin.
   * Asks for `Accept: application/json, application/problem+json` unless `init` or the client's
   * headers say otherwise. Returns the `Response` (no status check; its body unread). Goes through
   * openapi-fetch, so middleware added with `use()` sees every request `waitFor` and `cancel` make
   * (polls, long polls, event streams, products), with the link's path as `schemaPath`.
   * @example const widget = await (await longrun.fetchLink(monitor.links.related[0].href)).json();
   */
  fetchLink(href: string | URL, init?: RequestInit): Promise<Response>;
}

/**
 * Creates a client for a longrun API: the reference API's by default, or any spec's when given its
 * generated `paths` and `AsyncKinds`, so `waitFor` resolves to that spec's product types.
 *
 * @example
 * const longrun = createClient({ baseUrl: 'https://api.longrun.dev', apiKey: process.env.LONGRUN_API_KEY });
 * const accepted = await longrun.POST('/cars', { body: { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' } });
 * const car = await waitFor(longrun, accepted); // typed Car
 * @example
 * import type { paths, AsyncKinds } from './generated/reports'; // `longrun generate` output
 * const reports = createClient<paths, AsyncKinds>({ baseUrl: 'https://reports.example.com' });
 * const file = await waitFor(reports, await reports.POST('/exports', { body })); // typed ExportFile
 * @see https://openapi-ts.dev/openapi-fetch/
 */
export function createClient<Paths extends {} = paths, Kinds extends object = AsyncKinds>(
  options: ClientOptions,
): LongrunClient<Paths, Kinds> {
  const baseUrl = absoluteBaseUrl(options.baseUrl);
  const origin = new URL(baseUrl).origin;
  // The client's Prefer is kept apart: default headers are replaced by a request's own, Prefer is merged.
  const { prefer: clientPrefer, others: extraHeaders } = takePrefer(options.headers);
  // Read at call time, not here, so a fetch installed later (a polyfill, a test stub) is used.
  const fetchFunction: FetchFunction = (request) =>
    (options.fetch ?? globalThis.fetch)(withClientPrefer(request, clientPrefer, origin));
  const headers: Record<string, string> = { ...extraHeaders };
  if (options.apiKey !== undefined) headers.Authorization = `Bearer ${options.apiKey}`;

  const client = createFetchClient<Paths>({ baseUrl, fetch: fetchFunction, headers });
  const sdkClient = createSdkClient({
    baseUrl,
    // hey-api calls fetch(request) like openapi-fetch does; normalise anything else to a Request.
    fetch: (input, init) =>
      fetchFunction(input instanceof Request && init === undefined ? input : new Request(input, init)),
    headers: extraHeaders,
    ...(options.apiKey === undefined ? {} : { auth: options.apiKey }),
  });

  /** Every header the client adds by default, unset: for a link that leaves the API's origin. */
  const withoutClientHeaders = Object.fromEntries(Object.keys(headers).map((name) => [name, null]));
  // Links are followed through openapi-fetch so the user's middleware sees them; its request()
  // takes any path, and the link's own origin as the base URL.
  const anyPath = client as unknown as AnyPathClient;

  async function fetchLink(href: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(href, `${baseUrl}/`);
    const { headers: initHeaders, method = 'GET', ...rest } = init;
    const requestHeaders = new Headers(initHeaders);
    // Problem documents too: errors come as application/problem+json (and Prism answers a `code=4xx`
    // directive only when the request accepts it).
    const sameOrigin = url.origin === origin;
    const clientAccept = sameOrigin && Object.keys(headers).some((name) => name.toLowerCase() === 'accept');
    if (!requestHeaders.has('Accept') && !clientAccept) {
      requestHeaders.set('Accept', jsonAccept);
    }
    const result = await anyPath.request(method, `${url.pathname}${url.search}`, {
      ...rest,
      baseUrl: url.origin,
      // The API key and the client's headers go to the API's origin only.
      headers: sameOrigin ? requestHeaders : { ...withoutClientHeaders, ...Object.fromEntries(requestHeaders) },
      // The caller's body is sent as given; the answer's stays unread (JSON, or an event stream).
      bodySerializer: (body: unknown) => body,
      parseAs: 'stream',
    });
    return result.error === undefined ? result.response : withBody(result.response, result.error);
  }

  return Object.assign(client, { baseUrl, sdkClient, fetchLink }) as LongrunClient<Paths, Kinds>;
}

/** Splits the client's headers into its `Prefer` (any spelling of the name) and the others. */
function takePrefer(headers: Record<string, string> = {}): {
  prefer: string | undefined;
  others: Record<string, string>;
} {
  const others: Record<string, string> = {};
  let prefer: string | undefined;
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'prefer') prefer = mergePreferences(prefer, value);
    else others[name] = value;
  }
  return { prefer, others };
}

/**
 * `request` with the client's `Prefer` merged into its own (the request's preferences first, so they
 * win), when it goes to the API's origin; else `request` itself.
 */
function withClientPrefer(request: Request, clientPrefer: string | undefined, origin: string): Request {
  if (clientPrefer === undefined || new URL(request.url).origin !== origin) return request;
  const own = request.headers.get('Prefer');
  const merged = mergePreferences(own, clientPrefer);
  if (merged === undefined || merged === own) return request;
  const headers = new Headers(request.headers);
  headers.set('Prefer', merged);
  return new Request(request, { headers });
}

/** `baseUrl` made absolute (against the page in a browser) and without a trailing slash. */
function absoluteBaseUrl(baseUrl: string): string {
  const page = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL;
  try {
    url = new URL(baseUrl, page);
  } catch (cause) {
    throw new TypeError(`baseUrl must be an absolute URL (or relative to the page in a browser), got "${baseUrl}"`, {
      cause,
    });
  }
  return url.href.replace(/\/+$/, '');
}

/** openapi-fetch's `request()` as `fetchLink` calls it: any method, any path. */
interface AnyPathClient {
  request(
    method: string,
    path: string,
    init: Omit<RequestInit, 'headers'> & {
      baseUrl: string;
      headers: Headers | Record<string, string | null>;
      bodySerializer: (body: unknown) => unknown;
      parseAs: 'stream';
    },
  ): Promise<{ error?: unknown; response: Response }>;
}

/** Statuses whose response has no body. */
const nullBodyStatus = new Set([101, 103, 204, 205, 304]);

/**
 * `response` with its body back: openapi-fetch reads the body of an error answer to parse it, and
 * `fetchLink` returns a `Response` its caller reads.
 */
function withBody(response: Response, error: unknown): Response {
  const text = typeof error === 'string' ? error : JSON.stringify(error);
  const copy = new Response(nullBodyStatus.has(response.status) || text === '' ? null : text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}
