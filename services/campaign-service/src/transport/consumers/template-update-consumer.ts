import type { whatsappTemplateUpdate } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, type Outcome, type Received } from '@ektola/platform/nats';
import { followTemplateUpdate, type TemplateUpdateDeps } from '../../domain/template-signals.ts';
import type { CampaignMetrics } from '../campaign-metrics.ts';

/** Meta's quality ratings and category changes of templates (`campaign-template-update`). */
export function createTemplateUpdateHandler(
  deps: TemplateUpdateDeps & { metrics: Pick<CampaignMetrics, 'templateSignal'>; logger: Logger },
) {
  return async ({ payload }: Received<typeof whatsappTemplateUpdate>): Promise<Outcome> => {
    const about = {
      field: payload.field,
      name: payload.name,
      language: payload.language,
      ...(payload.field === 'message_template_quality_update'
        ? { previousQuality: payload.previousQuality, newQuality: payload.newQuality }
        : { previousCategory: payload.previousCategory, newCategory: payload.newCategory }),
    };
    const event =
      (payload.field === 'message_template_quality_update' ? payload.newQuality : payload.newCategory) ?? 'UNKNOWN';
    deps.metrics.templateSignal(payload.field, event.toUpperCase());
    const result = await followTemplateUpdate(deps, payload);
    if (result.outcome === 'unknown_template')
      deps.logger.warn(about, 'update for a template not registered here; POST /v1/templates/sync picks it up');
    else if (result.outcome === 'unreadable')
      deps.logger.warn({ ...about, problem: result.problem }, 'template update ignored');
    else
      deps.logger.info(
        {
          ...about,
          category: result.template.category,
          qualityScore: result.template.qualityScore,
          repricedCampaigns: result.repriced.map((campaign) => campaign.id),
        },
        payload.field === 'template_category_update'
          ? 'template category changed by Meta; its campaigns were estimated again at the new category'
          : 'template quality rating followed',
      );
    return acknowledge;
  };
}
