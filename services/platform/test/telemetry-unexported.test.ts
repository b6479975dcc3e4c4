import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { extractTraceContext, injectTraceContext, startTelemetry, trace, withSpan } from '../src/telemetry.ts';
import { startOtlpCollector } from '../src/testing/otlp-collector.ts';

const telemetry = await startTelemetry({ serviceName: 'telemetry-unexported-test' });
const receiver = await startOtlpCollector();
afterAll(async () => {
  await receiver.close();
  await telemetry.shutdown();
});

describe('telemetry without an OTLP endpoint', () => {
  it('when nothing takes the spans, then none is recorded, yet each has a trace id that travels in the headers and continues downstream', async () => {
    const headers: Record<string, string> = {};
    const upstream = await withSpan('publish', {}, async (span) => {
      injectTraceContext((key, value) => (headers[key] = value));
      return { recording: span.isRecording(), traceId: span.spanContext().traceId };
    });
    expect(upstream.recording).toBe(false);
    expect(upstream.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${upstream.traceId}-[0-9a-f]{16}-00$`));

    const downstream = await withSpan(
      'consume',
      { parent: extractTraceContext((key) => headers[key]) },
      async (span) => span.spanContext().traceId,
    );
    expect(downstream).toBe(upstream.traceId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it('when nothing takes the spans, then an outgoing HTTP call (a send to Meta) carries no trace header', async () => {
    await withSpan('send', {}, async () =>
      (await fetch(`${receiver.url}/v23.0/messages`, { method: 'POST', body: '{}' })).text(),
    );
    expect(receiver.traceparents('/v23.0/messages')).toEqual([undefined]);
  });
});

describe('a service started without an OTLP endpoint', () => {
  it('when telemetry starts, then neither the Node SDK nor any exporter is loaded', async () => {
    const telemetryUrl = new URL('../src/telemetry.ts', import.meta.url).href;
    const probe = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const { startTelemetry } = await import(${JSON.stringify(telemetryUrl)});
      const telemetry = await startTelemetry({ serviceName: 'probe' });
      await telemetry.shutdown();
      process.stdout.write(JSON.stringify(loaded.filter((url) => url.includes('/node_modules/@opentelemetry/'))));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--eval', probe]);
    const packages = new Set((JSON.parse(stdout) as string[]).map((url) => /@opentelemetry\/([^/]+)/.exec(url)?.[1]));
    expect(packages).toContain('sdk-trace');
    expect([...packages].filter((name) => name === 'sdk-node' || name?.startsWith('exporter-'))).toEqual([]);
  });
});
