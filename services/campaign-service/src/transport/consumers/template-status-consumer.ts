import type { templateStatusChanged } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, type Outcome, type Received } from '@ektola/platform/nats';
import type { TemplateCatalog, Transactions } from '../../domain/ports.ts';
import { followTemplateStatus } from '../../domain/template-signals.ts';
import type { CampaignMetrics } from '../campaign-metrics.ts';

export function createTemplateStatusHandler(deps: {
  templates: TemplateCatalog;
  transactions: Transactions;
  metrics: Pick<CampaignMetrics, 'templateSignal'>;
  logger: Logger;
}) {
  return async ({ payload }: Received<typeof templateStatusChanged>): Promise<Outcome> => {
    const about = { event: payload.event, name: payload.name, language: payload.language, reason: payload.reason };
    deps.metrics.templateSignal('message_template_status_update', payload.event.toUpperCase());
    const result = await followTemplateStatus(deps, payload);
    if (result.outcome === 'no_status_change') deps.logger.info(about, 'template event without a status change');
    else if (result.outcome === 'unknown_template')
      deps.logger.warn(about, 'status for a template not registered here; POST /v1/templates/sync picks it up');
    else {
      deps.logger.info({ ...about, status: result.template.status }, 'template status followed');
      for (const campaign of result.paused)
        deps.logger.warn(
          { ...about, campaignId: campaign.id, pausedReason: campaign.pausedReason },
          'campaign paused because Meta stopped its template',
        );
    }
    return acknowledge;
  };
}
