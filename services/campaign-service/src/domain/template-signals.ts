import type { Campaign, Template, TemplateStatus } from './model.ts';
import { templateCategories, templateQualityScores } from './model.ts';
import type { DispatchQuery, SegmentDirectory, TemplateCatalog, Transactions } from './ports.ts';
import { estimateAudience, type EstimateDeps } from './preview-audience.ts';
import { resolveAudience } from './resolve-audience.ts';
import { withRunRecipients, type RecipientStagingDeps } from './run-recipients.ts';

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

/** Meta writes NONE where it has no reason to give. */
const reasonOf = (reason: string | undefined) =>
  reason && reason.trim() !== '' && reason.toUpperCase() !== 'NONE' ? reason.trim() : null;

/**
 * Why a campaign stopped when Meta paused or disabled its template. Meta may reinstate the template
 * later, but the campaign waits for an operator: what it would send, and to whom, may need a look first.
 */
export function pausedByMetaReason(
  template: Pick<Template, 'name' | 'language'>,
  status: TemplateStatus,
  reason: string | null,
) {
  const what = `template ${template.name} (${template.language}) ${status === 'PAUSED' ? 'paused' : 'disabled'} by Meta`;
  return `${what}${reason ? `: ${reason}` : ''}; resume the campaign once Meta approves the template again`;
}

export type TemplateStatusOutcome =
  | { outcome: 'no_status_change' }
  | { outcome: 'unknown_template' }
  | { outcome: 'applied'; template: Template; paused: Campaign[] };

/**
 * Meta's word on a template's review (`message_template_status_update`): the template takes the new
 * status (with the reason, when rejected), and when Meta paused or disabled it, every ACTIVE campaign
 * sending it is PAUSED with the reason, so the scheduler stops creating runs that Meta would fail one
 * message at a time (132015, 132016). Repeating the same signal changes nothing more.
 */
export async function followTemplateStatus(
  deps: { templates: Pick<TemplateCatalog, 'applyStatus'>; transactions: Transactions },
  signal: { event: string; name: string; language: string; reason?: string | undefined },
): Promise<TemplateStatusOutcome> {
  const status = statusOfEvent[signal.event.toUpperCase()];
  if (!status) return { outcome: 'no_status_change' };
  const reason = reasonOf(signal.reason);
  const template = await deps.templates.applyStatus(signal.name, signal.language, { status, reason });
  if (!template) return { outcome: 'unknown_template' };
  if (status !== 'PAUSED' && status !== 'DISABLED') return { outcome: 'applied', template, paused: [] };
  const paused = await deps.transactions.run(async ({ campaigns }) => {
    const active = await campaigns.lockUsingTemplate(template.id, ['ACTIVE']);
    const pausedReason = pausedByMetaReason(template, status, reason);
    return Promise.all(active.map((campaign) => campaigns.pause(campaign.id, { by: 'meta', reason: pausedReason })));
  });
  return { outcome: 'applied', template, paused };
}

export type TemplateUpdateOutcome =
  | { outcome: 'unknown_template' }
  | { outcome: 'unreadable'; problem: string }
  | { outcome: 'applied'; template: Template; repriced: Campaign[] };

const isOneOf = <T extends string>(values: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (values as readonly string[]).includes(value);

export interface TemplateUpdateDeps extends EstimateDeps, RecipientStagingDeps {
  dispatch: Pick<DispatchQuery, 'frequencyCapped' | 'runRecipients'>;
  templates: Pick<TemplateCatalog, 'applyMetaUpdate'>;
  segments: Pick<SegmentDirectory, 'find'>;
  transactions: Transactions;
}

/**
 * Meta's quality rating (`message_template_quality_update`) or new category (`template_category_update`)
 * of a template. A new category changes what its messages cost: previews and activations price the new
 * category from now on, and each campaign sending the template that shows an estimate (DRAFT, ACTIVE,
 * PAUSED) is estimated again, so its `estimatedCost` is not left at the old category's price.
 */
export async function followTemplateUpdate(
  deps: TemplateUpdateDeps,
  update: {
    field: 'message_template_quality_update' | 'template_category_update';
    name: string;
    language: string;
    newQuality?: string | undefined;
    newCategory?: string | undefined;
  },
): Promise<TemplateUpdateOutcome> {
  let change: Parameters<TemplateCatalog['applyMetaUpdate']>[2];
  if (update.field === 'message_template_quality_update') {
    const score = update.newQuality?.toUpperCase();
    change = { qualityScore: isOneOf(templateQualityScores, score) ? score : 'UNKNOWN' };
  } else {
    const category = update.newCategory?.toUpperCase();
    if (!isOneOf(templateCategories, category))
      return {
        outcome: 'unreadable',
        problem: `new_category ${update.newCategory ?? '(none)'} is no category EkTola prices`,
      };
    change = { category };
  }
  const template = await deps.templates.applyMetaUpdate(update.name, update.language, change);
  if (!template) return { outcome: 'unknown_template' };
  const repriced = change.category ? await repriceCampaigns(deps, template) : [];
  return { outcome: 'applied', template, repriced };
}

async function repriceCampaigns(deps: TemplateUpdateDeps, template: Template): Promise<Campaign[]> {
  return deps.transactions.run(async ({ campaigns }) => {
    const using = await campaigns.lockUsingTemplate(template.id, ['DRAFT', 'ACTIVE', 'PAUSED']);
    const estimated = using.filter((campaign) => campaign.estimatedCost !== null);
    for (const campaign of estimated) {
      const audience = await resolveAudience(deps.segments, campaign.audience, 'audience');
      const estimate = await withRunRecipients(deps, audience, (staged) => estimateAudience(deps, staged, template));
      await campaigns.recordAudienceEstimate(campaign.id, {
        audienceCount: estimate.count,
        estimatedCost: estimate.estimatedCost,
      });
    }
    return estimated;
  });
}
