import type { JetStreamClient } from '@nats-io/jetstream';
import { testSendRequested } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { TestSend } from '../domain/test-send.ts';

/** run.test_send_requested → the test send's one message stored and queued for sending. */
export function startTestSendConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  testSend: TestSend;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-test-send' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-test-send',
    events: [testSendRequested],
    logger: options.logger,
    registry: options.registry,
    async handle({ payload }) {
      await options.testSend(payload);
      log.info({ messageId: payload.messageId, campaignId: payload.campaignId }, 'test send queued');
    },
  });
}
