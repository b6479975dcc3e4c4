import type { JetStreamClient } from '@nats-io/jetstream';
import { suppressionChanged } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { MessageSkipping } from '../domain/message-skipping.ts';

/** suppression.changed → the contact's latest state, and its PENDING messages SKIPPED while it is suppressed. */
export function startSuppressionConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  skipping: MessageSkipping;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-suppression' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-suppression',
    events: [suppressionChanged],
    logger: options.logger,
    registry: options.registry,
    concurrency: 4,
    async handle({ payload }) {
      const { skipped } = await options.skipping.suppressionChanged({
        ...payload,
        occurredAt: new Date(payload.occurredAt),
      });
      log.info(
        { contactId: payload.contactId, suppressed: payload.suppressed, reason: payload.reason, skipped },
        'suppression of a contact changed',
      );
    },
  });
}
