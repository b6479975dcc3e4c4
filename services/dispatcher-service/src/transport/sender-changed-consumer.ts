import type { JetStreamClient } from '@nats-io/jetstream';
import { senderChanged } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { SenderChange } from '../domain/sender-change.ts';

/** sender.changed → the number's limits and state, and its messages moved, held or released with it. */
export function startSenderChangedConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  senderChanged: SenderChange;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-sender-changed' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-sender-changed',
    events: [senderChanged],
    logger: options.logger,
    registry: options.registry,
    // One at a time: a number's changes are applied in the order the campaign-service made them.
    concurrency: 1,
    async handle({ payload }) {
      const outcome = await options.senderChanged({
        phoneNumberId: payload.phoneNumberId,
        portfolioKey: payload.portfolioKey,
        mps: payload.mps,
        messagingLimit: payload.messagingLimit,
        state: payload.state,
        reason: payload.reason,
        version: payload.version,
      });
      const context = { phoneNumberId: payload.phoneNumberId, state: payload.state, mps: payload.mps, ...outcome };
      if (!outcome.applied) log.info(context, 'sender change is not newer than the one kept; ignored');
      else if (outcome.waiting > 0)
        log.warn(
          { ...context, reason: payload.reason },
          'a sender number stopped and some messages have no other sender; they wait',
        );
      else log.info(context, 'sender number changed');
    },
  });
}
