/**
 * One `POST /cars` followed through its trace: the request's server span, the accept, the wait
 * in the queue, the handler and the callback delivery all carry one trace id, which is the
 * caller's own when it sent `traceparent`, and the stored operation carries the context.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

const CAR = { brand: 'Ford', make: 'Mustang', model: 2014, color: 'Blue' };

// With every response checked (the chain), and with none (the direct lane takes the requests).
describe.each([
  { path: 'the Express chain', responseSample: 1 },
  { path: 'the direct lane', responseSample: 0 },
])(
  'a trace from POST /cars to its handler and its callback, through $path',
  { timeout: 60_000 },
  ({ responseSample }) => {
    const exporter = new InMemorySpanExporter();
    let provider: NodeTracerProvider;
    let t: TestServer;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      provider.register();
      receiver = await startWebhookReceiver();
      t = await startTestServer({ simulationScale: 0.02, responseSample, push: { outboundAllow: '127.0.0.1' } });
    });
    afterAll(async () => {
      await t?.stop();
      await receiver?.close();
      await provider?.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });

    /** Waits until the exporter holds spans of `traceId` named as given. */
    async function spansOf(traceId: string, names: RegExp[]): Promise<ReadableSpan[]> {
      for (let i = 0; i < 200; i++) {
        const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
        if (names.every((name) => spans.some((span) => name.test(span.name)))) return spans;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const seen = exporter.getFinishedSpans().map((span) => `${span.spanContext().traceId} ${span.name}`);
      throw new Error(`spans of ${traceId} never all came; exported:\n${seen.join('\n')}`);
    }

    it("joins the caller's trace: request → accept → queue → handler → callback delivery", async () => {
      const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const response = await fetch(`${t.url}/cars`, {
        method: 'POST',
        headers: t.headers('acme', {
          traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01`,
          'Callback-Url': `${receiver.origin}/hooks`,
        }),
        body: JSON.stringify(CAR),
      });
      expect(response.status).toBe(202);
      const monitor = (await response.json()) as { id: string };
      await receiver.waitFor((all) => all.some((request) => request.body.includes('"state":"succeeded"')));

      const spans = await spansOf(callerTraceId, [
        /^POST \/cars$/,
        /^accept car\.create$/,
        /^queue car\.create$/,
        /^run car\.create$/,
        /^deliver callback monitor\.succeeded$/,
      ]);
      const byName = (pattern: RegExp) => spans.find((span) => pattern.test(span.name)) as ReadableSpan;
      const request = byName(/^POST \/cars$/);
      const accept = byName(/^accept car\.create$/);
      const run = byName(/^run car\.create$/);
      const queue = byName(/^queue car\.create$/);
      // The request span is the caller's child; accept is the request's; queue and run hang off the
      // request span whose context was stored with the operation.
      expect(request.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
      expect(accept.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(run.parentSpanContext?.spanId).toBe(accept.spanContext().spanId);
      expect(queue.parentSpanContext?.spanId).toBe(accept.spanContext().spanId);
      expect(run.attributes['longrun.operation.id']).toBe(monitor.id);
      const deliveries = spans.filter((span) => /^deliver callback /.test(span.name));
      expect(deliveries.every((span) => span.attributes['longrun.operation.id'] === monitor.id)).toBe(true);
      expect(deliveries.some((span) => span.attributes['longrun.delivery.outcome'] === 'succeeded')).toBe(true);
      console.info(
        `one trace (${callerTraceId}):\n${spans
          .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
          .map((span) => `  ${span.name}`)
          .join('\n')}`,
      );
    });

    it('starts a trace for a request that sends none, and the monitor does not show the stored context', async () => {
      const response = await fetch(`${t.url}/cars`, {
        method: 'POST',
        headers: t.headers(),
        body: JSON.stringify(CAR),
      });
      expect(response.status).toBe(202);
      const monitor = (await response.json()) as { id: string; request: Record<string, unknown> };
      expect(Object.keys(monitor.request).sort()).toEqual(['body', 'method', 'path']);
      const stored = await t.server.store.getOperation('acme', monitor.id);
      const traceId = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(stored?.request.traceparent ?? '')?.[1];
      expect(traceId).toBeDefined();
      await spansOf(traceId as string, [/^POST \/cars$/, /^run car\.create$/]);
    });
  },
);
