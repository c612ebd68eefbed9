/**
 * The OpenTelemetry SDK for `pnpm start`, when `LONGRUN_TRACES` asks for one. longrun's code uses
 * only `@opentelemetry/api`: a program that embeds the server registers its own SDK and exporter
 * (OTLP to a collector, say) before `createServer()`, and longrun's spans go there.
 */
import { BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * Registers a tracer provider (with the AsyncLocalStorage context manager and the W3C
 * propagator) that prints each finished span on stdout. Resolves to a function that flushes and
 * stops it.
 */
export function startConsoleTracing(): () => Promise<void> {
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())] });
  provider.register();
  return () => provider.shutdown();
}
