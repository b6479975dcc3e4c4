import {
  context,
  propagation,
  trace,
  SpanKind,
  SpanStatusCode,
  type Context,
  type Span,
  type Attributes,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';

export { SpanKind, context, metrics, trace, type Context, type Meter, type Span } from '@opentelemetry/api';

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK. Trace context always flows through REST, gRPC and NATS and appears
 * in logs. Spans are recorded only when an OTLP endpoint takes them, sampled as OTEL_TRACES_SAMPLER
 * says (parent-based, always on, by default): recording spans that nothing exports cost the webhook
 * ingress and the dispatcher a share of every request for nothing.
 */
export async function startTelemetry(options: {
  serviceName: string;
  otlpEndpoint?: string | undefined;
}): Promise<Telemetry> {
  const endpoint = options.otlpEndpoint?.replace(/\/$/, '');
  return endpoint ? startExportingSdk(options.serviceName, endpoint) : startContextOnly();
}

/**
 * Without an endpoint only what carries trace context is installed: the context manager, the W3C
 * propagators and a tracer whose spans are never recorded but still get their own ids, so a request
 * that arrives without a trace starts one and its logs and messages name it. The Node SDK's entry
 * point loads every exporter it can be configured with (gRPC, protobuf, Zipkin, Prometheus, logs and
 * its configuration file's YAML parser), about 660 modules no service uses: a dispatcher holding them
 * started 24 MB larger and peaked at 236 MB in npm run bench against 207 without them. A deployment
 * that exports its traces loads the SDK and pays that memory back.
 */
function startContextOnly(): Telemetry {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const provider = new TracerProvider({ sampler: new AlwaysOffSampler() });
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

async function startExportingSdk(serviceName: string, endpoint: string): Promise<Telemetry> {
  const [{ NodeSDK }, { BatchSpanProcessor }, { PeriodicExportingMetricReader }, traces, metrics, undici] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/exporter-metrics-otlp-http'),
      import('@opentelemetry/instrumentation-undici'),
    ]);
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new traces.OTLPTraceExporter({ url: `${endpoint}/v1/traces` }) }),
    ],
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new metrics.OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }),
      }),
    ],
    // Only here, where spans are recorded: unrecorded, a span per Cloud API call still cost the dispatcher
    // about 2.5 % of its CPU in attributes and header hooks, and the only party it would tell is Meta.
    instrumentations: [new undici.UndiciInstrumentation()],
    resourceDetectors: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

const tracer = () => trace.getTracer('ektola');

/** Runs `fn` inside a new span, recording failures, and ends the span whatever happens. */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Writes the active W3C trace context into any string header carrier (NATS headers, gRPC metadata). */
export function injectTraceContext(set: (key: string, value: string) => void, ctx: Context = context.active()): void {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  for (const [key, value] of Object.entries(carrier)) set(key, value);
}

/** Reads a W3C trace context from a header carrier; the result parents the receiving span. */
export function extractTraceContext(get: (key: string) => string | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate', 'baggage']) {
    const value = get(key);
    if (value) carrier[key] = value;
  }
  return propagation.extract(context.active(), carrier);
}

export const currentTraceId = (): string | undefined => trace.getActiveSpan()?.spanContext().traceId;
