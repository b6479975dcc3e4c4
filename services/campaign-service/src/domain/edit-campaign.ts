import { invalid, notFound, unprocessable } from '@ektola/platform/errors';
import { assertEditable, scheduleProblems } from './campaign-state.ts';
import type { Campaign, CampaignFields } from './model.ts';
import { assertValidAudience, type Audience } from './audience.ts';
import type {
  CampaignRepository,
  RunLedger,
  SegmentDirectory,
  SenderDirectory,
  TemplateCatalog,
  Transactions,
} from './ports.ts';
import { assertKnownRun } from './run-recipients.ts';
import { resolveAudience } from './resolve-audience.ts';

const unknownTemplate = (id: string) =>
  invalid('the campaign names a template that does not exist', [
    { path: 'body.templateId', message: `no template ${id}` },
  ]);

async function assertTemplateExists(templates: Pick<TemplateCatalog, 'find'>, templateId: string) {
  if (!(await templates.find(templateId))) throw unknownTemplate(templateId);
}

function assertSchedule(fields: CampaignFields) {
  const problems = scheduleProblems(fields);
  if (problems.length > 0) {
    throw invalid(
      'the campaign schedule is invalid',
      problems.map((problem) => ({ ...problem, path: `body.${problem.path}` })),
    );
  }
}

/** Conditions that make sense and a segment that exists, so a run never meets an audience it cannot read. */
async function assertUsableAudience(deps: Catalogs, audience: Audience) {
  assertValidAudience(audience, 'body.audience');
  await assertKnownRun(deps.runs, audience, 'body.audience');
  await resolveAudience(deps.segments, audience, 'body.audience');
}

/** Every sender named once, registered and switched on, so a run never spreads over a number that is gone or off. */
async function assertUsableSenders(senders: Pick<SenderDirectory, 'find'>, ids: readonly string[]) {
  if (ids.length === 0) return;
  const known = new Map((await senders.find(ids)).map((sender) => [sender.id, sender]));
  const problems = ids.flatMap((id, index) => {
    const path = `body.senders.${index}`;
    if (ids.indexOf(id) !== index) return [{ path, message: `sender ${id} is named twice` }];
    const sender = known.get(id);
    if (!sender) return [{ path, message: `no sender ${id}` }];
    if (!sender.enabled) return [{ path, message: `sender ${id} is switched off (PATCH /v1/senders/${id} enabled)` }];
    return [];
  });
  if (problems.length > 0) throw unprocessable('the campaign names senders it cannot send from', problems);
}

type Catalogs = {
  senders: Pick<SenderDirectory, 'find'>;
  templates: Pick<TemplateCatalog, 'find'>;
  segments: Pick<SegmentDirectory, 'find'>;
  runs: Pick<RunLedger, 'get'>;
};

/** A new DRAFT: its template must exist and its schedule make sense; nothing runs until it is activated. */
export async function createCampaign(
  deps: Catalogs & { campaigns: Pick<CampaignRepository, 'create'> },
  fields: CampaignFields,
): Promise<Campaign> {
  await assertTemplateExists(deps.templates, fields.templateId);
  await assertUsableAudience(deps, fields.audience);
  await assertUsableSenders(deps.senders, fields.senders);
  assertSchedule(fields);
  const campaign = await deps.campaigns.create(fields);
  // The template was deleted between the check and the insert.
  if (!campaign) throw unknownTemplate(fields.templateId);
  return campaign;
}

/**
 * Edits apply only in DRAFT or PAUSED, since they change what the scheduler sends; the campaign's lock
 * keeps a concurrent activation from slipping in between the check and the change.
 */
export async function editCampaign(
  deps: Catalogs & { transactions: Transactions },
  campaignId: string,
  patch: Partial<CampaignFields>,
): Promise<Campaign> {
  if (patch.templateId) await assertTemplateExists(deps.templates, patch.templateId);
  if (patch.audience) await assertUsableAudience(deps, patch.audience);
  if (patch.senders) await assertUsableSenders(deps.senders, patch.senders);
  return deps.transactions.run(async ({ campaigns }) => {
    const current = await campaigns.lock(campaignId);
    if (!current) throw notFound('campaign', campaignId);
    assertEditable(current.status);
    const merged: CampaignFields = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
    };
    assertSchedule(merged);
    return campaigns.edit(campaignId, merged);
  });
}
