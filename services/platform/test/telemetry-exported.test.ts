import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry, withSpan, type Telemetry } from '../src/telemetry.ts';
import { startOtlpCollector, type OtlpCollector } from '../src/testing/otlp-collector.ts';

let collector: OtlpCollector;
let telemetry: Telemetry;

beforeAll(async () => {
  collector = await startOtlpCollector();
  telemetry = await startTelemetry({ serviceName: 'telemetry-exported-test', otlpEndpoint: `${collector.url}/` });
});
afterAll(() => collector.close());

describe('telemetry with an OTLP endpoint', () => {
  it('when an endpoint takes the spans, then they are recorded, sampled in, outgoing HTTP calls carry the trace, and the spans are exported', async () => {
    const span = await withSpan('send-gold-loan-reminder', {}, async (active) => {
      await (await fetch(`${collector.url}/v23.0/messages`, { method: 'POST', body: '{}' })).text();
      return {
        recording: active.isRecording(),
        flags: active.spanContext().traceFlags,
        traceId: active.spanContext().traceId,
      };
    });
    expect(span).toMatchObject({ recording: true, flags: 1 });
    expect(collector.traceparents('/v23.0/messages')).toEqual([
      expect.stringMatching(new RegExp(`^00-${span.traceId}-[0-9a-f]{16}-01$`)),
    ]);
    await telemetry.shutdown();
    expect(collector.bodies('/v1/traces')).toContain('send-gold-loan-reminder');
  });
});
