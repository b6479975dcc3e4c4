import { invalid } from '@ektola/platform/errors';
import { optionalPlaceholdersOf } from '@ektola/platform/templates';
import { assertValidAudience, type Audience, type ResolvedAudience } from './audience.ts';
import { estimateCost, type EstimatedCost } from './estimated-cost.ts';
import type { Contact, Template } from './model.ts';
import { marketingRules, type FrequencyCap } from './guardrails.ts';
import type {
  AudienceDirectory,
  DispatchQuery,
  GuardrailStore,
  MeasureSelection,
  RateCardStore,
  RunLedger,
  SegmentDirectory,
  TemplateCatalog,
} from './ports.ts';
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
  audiences: Pick<AudienceDirectory, 'measure' | 'eligiblePage'>;
  rateCards: Pick<RateCardStore, 'current'>;
  guardrails: Pick<GuardrailStore, 'current'>;
  dispatch: Pick<DispatchQuery, 'frequencyCapped'>;
}

export interface PreviewDeps extends EstimateDeps, RecipientStagingDeps {
  dispatch: Pick<DispatchQuery, 'frequencyCapped' | 'runRecipients'>;
  runs: Pick<RunLedger, 'get'>;
  audiences: Pick<AudienceDirectory, 'measure' | 'eligiblePage' | 'sample'>;
  segments: Pick<SegmentDirectory, 'find'>;
  templates: Pick<TemplateCatalog, 'find'>;
}

const sampleSize = 10;

/** The fields a template reads from the contact with no default to fall back on; optional keys need none. */
export const requiredFields = (variables: VariableMappings, optional: readonly string[] = []) => [
  ...new Set(
    Object.entries(variables)
      .filter(([key, mapping]) => !mapping.default && !optional.includes(key))
      .map(([, mapping]) => mapping.field),
  ),
];

const requiredFieldsOf = (template: Pick<Template, 'variables' | 'components'> | undefined) =>
  template ? requiredFields(template.variables, optionalPlaceholdersOf(template.components)) : [];

/** Contacts asked about per call: the dispatcher answers at most this many at once. */
const capBatch = 1_000;

/**
 * The eligible contacts a frequency cap would stop now, by the calling code the rate card prices them
 * under: the audience is read a page at a time and each page asked of the dispatcher, which owns the
 * messages the cap counts, so neither the audience nor the dispatcher's table is ever held whole.
 */
async function frequencyCappedByCallingCode(
  deps: EstimateDeps,
  audience: ResolvedAudience,
  selection: MeasureSelection,
  cap: FrequencyCap,
): Promise<Map<string, number>> {
  const capped = new Map<string, number>();
  let after: string | undefined;
  for (;;) {
    const page = await deps.audiences.eligiblePage(audience, selection, after, capBatch);
    if (page.length === 0) break;
    const stopped = new Set(
      await deps.dispatch.frequencyCapped(
        page.map((contact) => contact.id),
        cap,
      ),
    );
    for (const contact of page)
      if (stopped.has(contact.id)) capped.set(contact.callingCode, (capped.get(contact.callingCode) ?? 0) + 1);
    if (page.length < capBatch) break;
    after = page.at(-1)!.id;
  }
  return capped;
}

/**
 * Counts an audience for a template as a run would send it: opted-out contacts, those missing a required
 * value, and for a MARKETING template those whose calling code the region rules block and those the
 * frequency cap would stop now, are excluded and counted, in that order. The cost prices each remaining
 * recipient by the template's category and the calling code the rate card lists for them.
 */
export async function estimateAudience(
  deps: EstimateDeps,
  audience: ResolvedAudience,
  template: Pick<Template, 'category' | 'variables' | 'components'> | undefined,
): Promise<AudienceEstimate> {
  const [card, settings] = await Promise.all([deps.rateCards.current(), deps.guardrails.current()]);
  const rules = marketingRules(settings, template);
  const selection: MeasureSelection = {
    requiredFields: requiredFieldsOf(template),
    callingCodes: card ? Object.keys(card.byCallingCode) : [],
    blockedCallingCodes: rules.blockedCallingCodes,
  };
  const measure = await deps.audiences.measure(audience, selection);
  const capped = rules.frequencyCap
    ? await frequencyCappedByCallingCode(deps, audience, selection, rules.frequencyCap)
    : new Map<string, number>();
  const eligibleByCallingCode = new Map(measure.eligibleByCallingCode);
  let frequencyCapped = 0;
  for (const [code, count] of capped) {
    eligibleByCallingCode.set(code, (eligibleByCallingCode.get(code) ?? 0) - count);
    frequencyCapped += count;
  }
  return {
    count: measure.eligible - frequencyCapped,
    excluded: {
      optedOut: measure.optedOut,
      missingValue: measure.missingValue,
      frequencyCapped,
      regionBlocked: measure.regionBlocked,
    },
    estimatedCost: (card && template && estimateCost(card, template.category, eligibleByCallingCode)) ?? null,
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
    const sample = await deps.audiences.sample(audience, { requiredFields: requiredFieldsOf(template) }, sampleSize);
    return { ...estimate, sample };
  });
}
