/**
 * Traces with `@opentelemetry/api`: a server span per HTTP request (joining the caller's trace
 * when it sends `traceparent`), then accept → queue → handler → webhook delivery spans. Without an
 * OpenTelemetry SDK registered (see `tracing-sdk.ts`) these are the API's no-ops and cost nearly
 * nothing; the trace context of incoming requests is still carried with their operations.
 */
import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { pathOf } from '../http/request-path.ts';
import { contextFrom } from './trace-context.ts';

/** The name spans are reported under. */
export const TRACER_NAME = 'longrun';

/** The tracer longrun's spans come from (the global provider's, resolved on each use so a later SDK counts). */
export function longrunTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * A middleware that runs the rest of the request inside a server span named `METHOD /route`
 * (the route's template, never the concrete path, so names stay few). A plain middleware, not a
 * router: every request passes it, and a router is a second walk of Express's layer machinery.
 */
export function traceRequests(): express.RequestHandler {
  return function traceRequest(req: Request, res: Response, next: NextFunction) {
    const parent = contextFrom(req.headers);
    const span = longrunTracer().startSpan(
      req.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': pathOf(req) } },
      parent,
    );
    // Without an SDK the span records nothing: naming and ending it would do nothing, so the
    // response is not watched for it. The context still carries the caller's trace to operations.
    if (!span.isRecording()) {
      // No SDK and no caller's trace: the span is the invalid one, and a context holding it is one
      // without a trace (nothing to carry), so none is made.
      if (parent === ROOT_CONTEXT && !isSpanContextValid(span.spanContext())) next();
      else context.with(trace.setSpan(parent, span), next);
      return;
    }
    res.once('close', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      if (typeof route === 'string') {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
