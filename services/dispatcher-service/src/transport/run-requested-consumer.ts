import type { JetStreamClient } from '@nats-io/jetstream';
import { runRequested } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { RunRequest } from '../domain/run-fan-out.ts';
import type { FanOutFirst } from './fan-out-first.ts';

/**
 * run.requested → fan-out. The event is acknowledged only when the handler returns, i.e. when every
 * message is stored and queued; a failure naks it and the redelivery resumes at the stored cursor.
 */
export function startRunRequestedConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  fanOut: (request: RunRequest) => Promise<{ alreadyDone: boolean; cancelled: boolean }>;
  fanOutFirst: FanOutFirst;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-run-requested' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-run-requested',
    events: [runRequested],
    logger: options.logger,
    registry: options.registry,
    concurrency: 2,
    retryBaseMs: 1_000,
    async handle({ payload, delivery }) {
      const started = performance.now();
      const { alreadyDone, cancelled } = await options.fanOutFirst.fanOut(() => options.fanOut(payload));
      log.info(
        {
          runId: payload.runId,
          campaignId: payload.campaignId,
          delivery: delivery.deliveryCount,
          alreadyDone,
          cancelled,
          ms: Math.round(performance.now() - started),
        },
        alreadyDone ? 'run was already fanned out' : cancelled ? 'run is cancelled; fan-out stopped' : 'run fanned out',
      );
    },
  });
}
