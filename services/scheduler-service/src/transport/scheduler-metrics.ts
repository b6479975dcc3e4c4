import { Counter, Histogram, type Registry } from '@ektola/platform/metrics';
import { metrics } from '@ektola/platform/telemetry';
import type { PassResult, PassSummary } from '../domain/scheduler-pass.ts';

const counted: Array<{ field: keyof PassSummary; name: string; help: string }> = [
  { field: 'campaignsSeen', name: 'ektola_scheduler_campaigns_seen', help: 'Campaigns looked at by scheduler passes' },
  { field: 'runsCreated', name: 'ektola_scheduler_runs_created', help: 'Runs a scheduler pass created' },
  { field: 'runsExisting', name: 'ektola_scheduler_runs_existing', help: 'Due runs another pass had already created' },
  {
    field: 'skipped',
    name: 'ektola_scheduler_periods_skipped',
    help: 'Due periods not run: outside the grace window or refused',
  },
  { field: 'errors', name: 'ektola_scheduler_errors', help: 'Campaigns a scheduler pass failed on' },
];

export interface SchedulerMetrics {
  record(result: PassResult): void;
}

/**
 * Each pass's summary as OpenTelemetry metrics (exported over OTLP when an endpoint is set; the
 * short-lived job flushes them on exit) and as Prometheus metrics on /metrics while the process runs.
 */
export function createSchedulerMetrics(registry: Registry): SchedulerMetrics {
  const meter = metrics.getMeter('ektola-scheduler');
  const instruments = counted.map(({ field, name, help }) => ({
    field,
    otel: meter.createCounter(name, { description: help }),
    prometheus: new Counter({ name: `${name}_total`, help, registers: [registry] }),
  }));
  const passesHelp = 'Scheduler passes by outcome (ok or failed)';
  const otelPasses = meter.createCounter('ektola_scheduler_passes', { description: passesHelp });
  const passes = new Counter({
    name: 'ektola_scheduler_passes_total',
    help: passesHelp,
    labelNames: ['outcome'],
    registers: [registry],
  });
  const durationHelp = 'How long a scheduler pass took';
  const otelDuration = meter.createHistogram('ektola_scheduler_pass_duration_seconds', {
    description: durationHelp,
    unit: 's',
  });
  const duration = new Histogram({
    name: 'ektola_scheduler_pass_duration_seconds',
    help: durationHelp,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });

  return {
    record(result) {
      for (const { field, otel, prometheus } of instruments) {
        otel.add(result.summary[field]);
        prometheus.inc(result.summary[field]);
      }
      const outcome = result.ok ? 'ok' : 'failed';
      otelPasses.add(1, { outcome });
      passes.inc({ outcome });
      const seconds = (result.finishedAt.getTime() - result.startedAt.getTime()) / 1000;
      otelDuration.record(seconds);
      duration.observe(seconds);
    },
  };
}
