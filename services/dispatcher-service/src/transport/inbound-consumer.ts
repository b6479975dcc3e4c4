import type { JetStreamClient } from '@nats-io/jetstream';
import { whatsappInbound } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { retryLater, startConsumer } from '@ektola/platform/nats';
import type { RecordInbound } from '../domain/reply-recording.ts';

/**
 * Deliveries during which a reply whose context is not (yet) one of our messages waits for the send
 * result or `sent` status that records that wamid: 1 + 2 + 4 s of backoff, then it is stored unlinked.
 */
const contextDeliveries = 4;

/** whatsapp.inbound → the customer's message stored, its campaign message flagged replied, message.replied published. */
export function startInboundConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  recordInbound: RecordInbound;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-inbound' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-inbound',
    events: [whatsappInbound],
    logger: options.logger,
    registry: options.registry,
    concurrency: 8,
    retryBaseMs: 1_000,
    async handle({ payload, delivery }) {
      const reply = await options.recordInbound(payload, {
        waitForContext: delivery.deliveryCount < contextDeliveries,
      });
      if (!reply) return retryLater('the message this reply answers is not recorded yet');
      log.debug(
        { wamid: reply.wamid, type: reply.type, messageId: reply.messageId, runId: reply.runId },
        'customer message stored',
      );
    },
  });
}
