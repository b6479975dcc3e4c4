import type { JetStreamClient } from '@nats-io/jetstream';
import { dispatchBatch } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { acknowledge, retryLater, startConsumer } from '@ektola/platform/nats';
import type { BatchOutcome } from '../domain/batch-sender.ts';

/**
 * dispatch.batch → sends. While the circuit breaker is open every handler waits before claiming
 * anything, so all consumer slots fill and the loop pulls no more send work; half-open lets them
 * through and the first call is the breaker's probe. (Stopping the consumer instead would strand the
 * batches already routed to its outstanding pull request until their ack wait ran out.)
 */
export function startSendConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  concurrency: number;
  /** Resolves when the breaker is not open (at once when it is closed). */
  untilSendable: () => Promise<void>;
  sendBatch: (runId: string, messageIds: readonly string[]) => Promise<BatchOutcome>;
}) {
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-send',
    events: [dispatchBatch],
    logger: options.logger,
    registry: options.registry,
    concurrency: options.concurrency,
    async handle({ payload }) {
      await options.untilSendable();
      const outcome = await options.sendBatch(payload.runId, payload.messageIds);
      return outcome.kind === 'done' ? acknowledge : retryLater(outcome.reason, outcome.delayMs);
    },
  });
}
