import { Counter, Gauge, Histogram, type Registry } from '@ektola/platform/metrics';
import type { DeliveryWorkerMetrics } from '../domain/delivery-worker.ts';
import type { DeliveryBacklog } from '../domain/ports.ts';

/** Every metric the callback-service declares besides the platform's. */
export function createCallbackMetrics(registry: Registry, backlog: DeliveryBacklog): DeliveryWorkerMetrics {
  const deliveries = new Counter({
    name: 'ektola_callback_deliveries_total',
    help: 'Delivery attempts by result: succeeded (2xx), retry (timeout, connection error, 429, 5xx), gone (410), rejected (other answers)',
    labelNames: ['result'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'ektola_callback_attempt_duration_seconds',
    help: 'Time from sending a callback to its answer (or to giving up on one)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const disabled = new Counter({
    name: 'ektola_callback_endpoints_disabled_total',
    help: 'Endpoints the service disabled: gone (answered 410) or failing (every delivery failed for CALLBACKS_DISABLE_AFTER)',
    labelNames: ['reason'],
    registers: [registry],
  });
  // One scrape reads the backlog once for both gauges.
  let reading: Promise<Awaited<ReturnType<DeliveryBacklog['read']>>> | undefined;
  const read = () => {
    reading ??= backlog.read().finally(() => setTimeout(() => (reading = undefined), 1_000).unref());
    return reading;
  };
  new Gauge({
    name: 'ektola_callback_backlog',
    help: 'Deliveries waiting to be delivered (due or waiting for a retry), per endpoint',
    labelNames: ['endpoint'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await read()) this.set({ endpoint: row.endpointId }, row.pending);
    },
  });
  new Gauge({
    name: 'ektola_callback_oldest_undelivered_age_seconds',
    help: 'Age of the oldest delivery not yet delivered, over all endpoints (0 when none waits)',
    registers: [registry],
    async collect() {
      this.set(Math.max(0, ...(await read()).map((row) => row.oldestSeconds)));
    },
  });
  return {
    attempted(verdict, seconds) {
      deliveries.inc({ result: verdict });
      latency.observe(seconds);
    },
    disabled: (reason) => disabled.inc({ reason }),
  };
}
