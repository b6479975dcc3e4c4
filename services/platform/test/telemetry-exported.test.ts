import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelemetry, withSpan, type Telemetry } from '../src/telemetry.ts';
import { startOtlpCollector, type OtlpCollector } from '../src/testing/otlp-collector.ts';

let collector: OtlpCollector;
let telemetry: Telemetry;

beforeAll(async () => {
  collector = await startOtlpCollector();
  telemetry = startTelemetry({ serviceName: 'telemetry-exported-test', otlpEndpoint: `${collector.url}/` });
});
afterAll(() => collector.close());

describe('telemetry with an OTLP endpoint', () => {
  it('when an endpoint takes the spans, then they are recorded, sampled in, and exported to it', async () => {
    const span = await withSpan('send-gold-loan-reminder', {}, async (active) => ({ recording: active.isRecording(), flags: active.spanContext().traceFlags }));
    expect(span).toEqual({ recording: true, flags: 1 });
    await telemetry.shutdown();
    expect(collector.bodies('/v1/traces')).toContain('send-gold-loan-reminder');
  });
});
