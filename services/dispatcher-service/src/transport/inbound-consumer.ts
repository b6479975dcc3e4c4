import type { JetStreamClient } from '@nats-io/jetstream';
import { whatsappInbound } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { RecordInbound } from '../domain/reply-recording.ts';

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
    async handle({ payload }) {
      const reply = await options.recordInbound(payload);
      log.debug(
        { wamid: reply.wamid, type: reply.type, messageId: reply.messageId, runId: reply.runId },
        'customer message stored',
      );
    },
  });
}
