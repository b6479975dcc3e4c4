import type { Clock } from '@ektola/platform/clock';
import { notFound } from '@ektola/platform/errors';
import { placeholdersOf } from '@ektola/platform/templates';
import { unrunnableProblem } from './campaign-schedule.ts';
import { activationProblems, nextStatus, type CampaignAction } from './campaign-state.ts';
import type { Campaign } from './model.ts';
import type { CampaignBook, DispatchQuery, SegmentDirectory, TemplateCatalog, Transactions } from './ports.ts';
import { estimateAudience, type EstimateDeps } from './preview-audience.ts';
import { resolveAudience } from './resolve-audience.ts';
import { withRunRecipients, type RecipientStagingDeps } from './run-recipients.ts';
import { unmappedPlaceholders } from './template-variables.ts';

export interface ActivationDeps extends EstimateDeps, RecipientStagingDeps {
  dispatch: Pick<DispatchQuery, 'frequencyCapped' | 'runRecipients'>;
  transactions: Transactions;
  templates: Pick<TemplateCatalog, 'get'>;
  segments: Pick<SegmentDirectory, 'find'>;
  clock: Clock;
  /** The scheduler's grace window (the same SCHEDULER_GRACE_WINDOW): a period older than this never runs. */
  graceWindowMs: number;
}

/** The campaign locked for a state change; an illegal change is a conflict naming what its status allows. */
async function lockFor(campaigns: CampaignBook, campaignId: string, action: CampaignAction) {
  const current = await campaigns.lock(campaignId);
  if (!current) throw notFound('campaign', campaignId);
  return { current, to: nextStatus(current.status, action) };
}

/**
 * An operator activates a DRAFT campaign (or resumes a PAUSED one). Under the campaign's lock it
 * must have an APPROVED template with every placeholder mapped, someone to message after exclusions,
 * and a period the scheduler can still run; only then does it become ACTIVE, showing the audience's
 * size and estimated cost as of now.
 */
export async function activateCampaign(
  deps: ActivationDeps,
  campaignId: string,
  action: 'activate' | 'resume' = 'activate',
): Promise<Campaign> {
  return deps.transactions.run(async ({ campaigns }) => {
    const { current, to } = await lockFor(campaigns, campaignId, action);
    const template = await deps.templates.get(current.templateId);
    const audience = await resolveAudience(deps.segments, current.audience, 'audience');
    const estimate = await withRunRecipients(deps, audience, (staged) => estimateAudience(deps, staged, template));
    const problem =
      activationProblems({
        templateStatus: template.status,
        unmappedPlaceholders: unmappedPlaceholders(
          placeholdersOf(template.components, template.parameterFormat),
          template.variables,
        ),
        audienceSize: estimate.count,
      }) ??
      unrunnableProblem(
        { ...current, lastRun: await campaigns.lastRun(current.id) },
        deps.clock.now(),
        deps.graceWindowMs,
      );
    if (problem) throw problem;
    await campaigns.recordAudienceEstimate(campaignId, {
      audienceCount: estimate.count,
      estimatedCost: estimate.estimatedCost,
    });
    return campaigns.setStatus(campaignId, to);
  });
}

/** An operator pauses an ACTIVE campaign: the scheduler creates no runs for it until it is resumed. */
export async function pauseCampaign(deps: { transactions: Transactions }, campaignId: string): Promise<Campaign> {
  return deps.transactions.run(async ({ campaigns }) => {
    await lockFor(campaigns, campaignId, 'pause');
    return campaigns.pause(campaignId, { by: 'operator', reason: 'paused by an operator' });
  });
}
