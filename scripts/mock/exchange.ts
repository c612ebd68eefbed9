/**
 * One request to the stateful mock and the ways of answering it: with exactly the headers the spec
 * declares for the answer, with a documented error's example, or with the example Prism would give.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EXPOSED_HEADERS } from '@longrun/openapi/contract';
import type { Preferences } from './preferences.ts';
import { type IndexedOperation, type IndexedResponse, isObject, type JsonObject } from './spec-index.ts';

/** Largest body read, as the server's limit. */
export const bodyLimitBytes = 1024 * 1024;
/** Response headers the contract lets browsers read. */
export const exposedHeaders = EXPOSED_HEADERS.join(', ');

/** One request, read and authenticated. */
export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  operation: IndexedOperation;
  params: Record<string, string>;
  body: unknown;
  tenant: string;
  preferences: Preferences;
  /** Aborted when the client goes away (ends long polls). */
  signal: AbortSignal;
}

/** Headers of an answer by name; an `undefined` value is left out. */
export type AnswerHeaders = Record<string, unknown>;

/**
 * Writes an answer with exactly the headers the spec declares for it: the values given, else the
 * declared example of each required header. Throws when a required header has neither.
 */
export async function send(
  exchange: Exchange,
  code: string,
  answer: { headers?: AnswerHeaders | undefined; body?: unknown },
): Promise<void> {
  const { response, operation } = exchange;
  const declared = operation.responses.find((candidate) => candidate.code === code);
  const given = new Map(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const headers: Record<string, string> = {};
  for (const spec of declared?.headers ?? []) {
    const name = spec.name.toLowerCase();
    let value = given.get(name);
    if (value === undefined && name === 'etag' && answer.body !== undefined) value = contentTag(answer.body);
    if (value === undefined && spec.required) value = spec.example;
    if (value === undefined) continue;
    headers[spec.name] = String(value);
  }
  const missing = (declared?.headers ?? []).filter((spec) => spec.required && headers[spec.name] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `${operation.operationId} ${code}: no value for required header(s) ${missing.map((h) => h.name).join(', ')}`,
    );
  }
  if (header(exchange.request, 'origin') !== undefined) {
    headers['Access-Control-Allow-Origin'] = '*';
    headers['Access-Control-Expose-Headers'] = exposedHeaders;
  }
  if (answer.body === undefined || code === '304') {
    response.writeHead(Number(code), headers).end();
    return;
  }
  const payload = JSON.stringify(answer.body);
  headers['Content-Type'] =
    declared?.mediaType ?? (Number(code) >= 400 ? 'application/problem+json' : 'application/json');
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  response.writeHead(Number(code), headers).end(payload);
}

/** An error response: its first example, with `detail`, extension members and headers of this request. */
export function problem(
  exchange: Exchange,
  code: string,
  details: { detail?: string; extensions?: JsonObject; headers?: AnswerHeaders },
): Promise<void> {
  const response = exchange.operation.responses.find((candidate) => candidate.code === code);
  const base = isObject(response?.examples[0]?.value)
    ? response.examples[0].value
    : { type: 'about:blank', title: 'Error', status: Number(code) };
  const body = {
    ...base,
    ...(details.detail === undefined ? {} : { detail: details.detail }),
    ...details.extensions,
  };
  // An error the operation does not document still answers a problem (the Prism in front reports it).
  return send(exchange, code, { headers: details.headers, body });
}

/** Any other operation: the example Prism would answer (`code`/`example` directives honoured). */
export function example(exchange: Exchange): Promise<void> {
  const { operation, preferences } = exchange;
  const code = preferences.get('code');
  const response =
    (typeof code === 'string' ? operation.responses.find((candidate) => candidate.code === code) : undefined) ??
    lowest2xx(operation) ??
    operation.responses[0];
  if (response === undefined) return send(exchange, '204', {});
  const key = preferences.get('example');
  const chosen = response.examples.find((candidate) => candidate.key === key) ?? response.examples[0];
  return send(exchange, response.code, { body: chosen?.value });
}

/** The operation's lowest documented `2xx` answer, as Prism picks it. */
export function lowest2xx(operation: IndexedOperation): IndexedResponse | undefined {
  return operation.responses
    .filter((response) => /^2\d\d$/.test(response.code))
    .sort((a, b) => Number(a.code) - Number(b.code))[0];
}

/** A request header as one string (repeated headers joined by `, `). */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The API key of `Authorization: Bearer <key>`: each key is a tenant of its own. */
export function bearerKey(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/** The request body, or `too-large` past {@link bodyLimitBytes} (the rest is drained). */
export async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodyLimitBytes) {
      request.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A strong entity tag from the content. */
function contentTag(body: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22)}"`;
}
