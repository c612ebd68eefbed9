/**
 * The W3C trace context (`traceparent`, `tracestate`) of a request, carried with the operation it
 * accepted, so the spans of its handler and of its webhook deliveries, in this process or in any
 * other worker, join the trace of the request that started it.
 */
import { type Context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The trace context as stored: the two W3C headers. */
export interface StoredTraceContext {
  traceparent?: string;
  tracestate?: string;
}

const w3c = new W3CTraceContextPropagator();

/** The W3C headers of the span active in `context`; empty when no span is (tracing off, or no trace). */
export function traceContextOf(context: Context): StoredTraceContext {
  const carrier: Record<string, string> = {};
  w3c.inject(context, carrier, defaultTextMapSetter);
  const stored: StoredTraceContext = {};
  if (carrier.traceparent) stored.traceparent = carrier.traceparent;
  if (carrier.tracestate) stored.tracestate = carrier.tracestate;
  return stored;
}

/** A context whose parent is the span named by `headers` (request headers or a stored context). */
export function contextFrom(headers: Record<string, unknown> | undefined): Context {
  // No `traceparent`, no parent: what the propagator answers too, without its carrier and parsing
  // (most requests carry none).
  if (!headers || typeof headers.traceparent !== 'string') return ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = headers[name];
    if (typeof value === 'string') carrier[name] = value;
  }
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}
