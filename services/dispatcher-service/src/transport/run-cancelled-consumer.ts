import type { JetStreamClient } from '@nats-io/jetstream';
import { runCancelled } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { MessageSkipping } from '../domain/message-skipping.ts';

/** run.cancelled → the run's PENDING messages SKIPPED (`run_cancelled`); messages already SENDING finish. */
export function startRunCancelledConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  skipping: MessageSkipping;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-run-cancelled' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-run-cancelled',
    events: [runCancelled],
    logger: options.logger,
    registry: options.registry,
    async handle({ payload }) {
      const { skipped } = await options.skipping.runCancelled({
        ...payload,
        cancelledAt: new Date(payload.cancelledAt),
      });
      log.info({ runId: payload.runId, campaignId: payload.campaignId, skipped }, 'run cancelled');
    },
  });
}
