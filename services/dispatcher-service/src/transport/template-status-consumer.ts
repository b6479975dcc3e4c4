import type { JetStreamClient } from '@nats-io/jetstream';
import { templateStatusChanged } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import type { Registry } from '@ektola/platform/metrics';
import { startConsumer } from '@ektola/platform/nats';
import type { TemplateHolding } from '../domain/template-holding.ts';

/** whatsapp.template_status → a template Meta paused holds its messages; one approved again releases them. */
export function startTemplateStatusConsumer(options: {
  js: JetStreamClient;
  namespace: string;
  logger: Logger;
  registry: Registry;
  templateHolding: TemplateHolding;
}) {
  const log = options.logger.child({ consumer: 'dispatcher-template-status' });
  return startConsumer({
    js: options.js,
    namespace: options.namespace,
    durable: 'dispatcher-template-status',
    events: [templateStatusChanged],
    logger: options.logger,
    registry: options.registry,
    // In order: a pause and the approval after it must not be applied the other way round.
    concurrency: 1,
    async handle({ payload }) {
      const outcome = await options.templateHolding({
        event: payload.event,
        name: payload.name,
        language: payload.language,
        reason: payload.reason,
        occurredAt: new Date(payload.occurredAt),
      });
      const context = { template: payload.name, language: payload.language, event: payload.event, ...outcome };
      if (outcome.action === 'held') log.warn(context, 'Meta holds a template; its messages wait');
      else if (outcome.action === 'released')
        log.info(context, 'Meta released a template; its messages are queued again');
    },
  });
}
