import { invalid } from '@ektola/platform/errors';
import { assertValidAudience, type Audience, type ResolvedAudience } from './audience.ts';
import { estimateCost, type EstimatedCost } from './estimated-cost.ts';
import type { Contact, Template } from './model.ts';
import type { AudienceDirectory, RateCardStore, RunLedger, SegmentDirectory, TemplateCatalog } from './ports.ts';
import { resolveAudience } from './resolve-audience.ts';
import { assertKnownRun, withRunRecipients, type RecipientStagingDeps } from './run-recipients.ts';
import type { VariableMappings } from './template-variables.ts';

export interface AudienceEstimate {
  /** Who a run would message now: matching, not opted out, and no required value missing. */
  count: number;
  excluded: { optedOut: number; missingValue: number; frequencyCapped: number; regionBlocked: number };
  estimatedCost: EstimatedCost | null;
}

export interface AudiencePreview extends AudienceEstimate {
  sample: Contact[];
}

export interface EstimateDeps {
  audiences: Pick<AudienceDirectory, 'measure'>;
  rateCards: Pick<RateCardStore, 'current'>;
}

export interface PreviewDeps extends EstimateDeps, RecipientStagingDeps {
  runs: Pick<RunLedger, 'get'>;
  audiences: Pick<AudienceDirectory, 'measure' | 'sample'>;
  segments: Pick<SegmentDirectory, 'find'>;
  templates: Pick<TemplateCatalog, 'find'>;
}

const sampleSize = 10;

/** The fields a template reads from the contact with no default to fall back on. */
export const requiredFields = (variables: VariableMappings) => [
  ...new Set(
    Object.values(variables)
      .filter((mapping) => !mapping.default)
      .map((mapping) => mapping.field),
  ),
];

/**
 * Counts an audience for a template as a run would send it: opted-out contacts and those missing a
 * required value are excluded and counted; the cost prices each recipient by the template's category
 * and the calling code the rate card lists for them. Frequency caps and region rules exclude no one
 * until those guardrails exist.
 */
export async function estimateAudience(
  deps: EstimateDeps,
  audience: ResolvedAudience,
  template: Pick<Template, 'category' | 'variables'> | undefined,
): Promise<AudienceEstimate> {
  const card = await deps.rateCards.current();
  const measure = await deps.audiences.measure(audience, {
    requiredFields: template ? requiredFields(template.variables) : [],
    callingCodes: card ? Object.keys(card.byCallingCode) : [],
  });
  return {
    count: measure.eligible,
    excluded: { optedOut: measure.optedOut, missingValue: measure.missingValue, frequencyCapped: 0, regionBlocked: 0 },
    estimatedCost: (card && template && estimateCost(card, template.category, measure.eligibleByCallingCode)) ?? null,
  };
}

/** What an audience would reach before anyone is sent anything: counts, exclusions, a sample and the cost. */
export async function previewAudience(
  deps: PreviewDeps,
  request: { audience: Audience; templateId?: string | undefined },
): Promise<AudiencePreview> {
  const template = request.templateId ? await deps.templates.find(request.templateId) : undefined;
  if (request.templateId && !template)
    throw invalid('the preview names a template that does not exist', [
      { path: 'body.templateId', message: `no template ${request.templateId}` },
    ]);
  assertValidAudience(request.audience, 'body.audience');
  await assertKnownRun(deps.runs, request.audience, 'body.audience');
  const resolved = await resolveAudience(deps.segments, request.audience, 'body.audience');
  return withRunRecipients(deps, resolved, async (audience) => {
    const estimate = await estimateAudience(deps, audience, template);
    const sample = await deps.audiences.sample(
      audience,
      { requiredFields: template ? requiredFields(template.variables) : [] },
      sampleSize,
    );
    return { ...estimate, sample };
  });
}
