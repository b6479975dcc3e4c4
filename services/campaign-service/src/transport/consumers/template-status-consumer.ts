import type { templateStatusChanged } from '@ektola/platform/events';
import type { Logger } from '@ektola/platform/logger';
import { acknowledge, type Outcome, type Received } from '@ektola/platform/nats';
import type { TemplateStatus } from '../../domain/model.ts';
import type { TemplateCatalog } from '../../domain/ports.ts';

/** Meta's template events in the statuses EkTola keeps; events that do not change whether a template can be sent are noted only. */
const statusOfEvent: Record<string, TemplateStatus> = {
  APPROVED: 'APPROVED',
  REINSTATED: 'APPROVED',
  PENDING: 'PENDING',
  REJECTED: 'REJECTED',
  PAUSED: 'PAUSED',
  DISABLED: 'DISABLED',
  PENDING_DELETION: 'DISABLED',
  DELETED: 'DISABLED',
};

export function createTemplateStatusHandler(deps: { templates: TemplateCatalog; logger: Logger }) {
  return async ({ payload }: Received<typeof templateStatusChanged>): Promise<Outcome> => {
    const status = statusOfEvent[payload.event.toUpperCase()];
    if (!status) {
      deps.logger.info(
        { event: payload.event, name: payload.name, language: payload.language },
        'template event without a status change',
      );
      return acknowledge;
    }
    const known = await deps.templates.setStatusByName(payload.name, payload.language, status);
    if (known)
      deps.logger.info(
        { name: payload.name, language: payload.language, status, reason: payload.reason },
        'template status followed',
      );
    else
      deps.logger.warn(
        { name: payload.name, language: payload.language, status },
        'status for a template not registered here; POST /v1/templates/sync picks it up',
      );
    return acknowledge;
  };
}
