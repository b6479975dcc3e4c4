import type { AudienceDirectory, CampaignRepository, RunLedger, SegmentDirectory, TemplateCatalog } from './ports.ts';
import { optionalPlaceholdersOf } from '@ektola/platform/templates';
import { resolveAudience } from './resolve-audience.ts';
import { withRunRecipients, type RecipientStagingDeps } from './run-recipients.ts';
import { resolveVariables } from './template-variables.ts';

/** One contact of a run's audience with its template's placeholders filled in. */
export interface AudienceMember {
  contactId: string;
  phone: string;
  variables: Record<string, string>;
  /** The contact's `timezone` attribute as written; the dispatcher reads a send window in it when it is an IANA zone. */
  timezone: string;
}

export interface AudienceRequest {
  runId: string;
  /** Resumes after this contact; undefined starts at the beginning. */
  afterContactId: string | undefined;
  /** Members per batch; 0 takes the default, and more than the maximum is capped. */
  batchSize: number;
}

/** cancelled: the run was cancelled, so it has no audience; streamed: `skipped` contacts lacked a placeholder's value. */
export type AudienceOutcome = { result: 'cancelled' } | { result: 'streamed'; skipped: number };

export interface AudienceDeps extends RecipientStagingDeps {
  runs: Pick<RunLedger, 'get'>;
  campaigns: Pick<CampaignRepository, 'get'>;
  templates: Pick<TemplateCatalog, 'get'>;
  audiences: Pick<AudienceDirectory, 'page'>;
  segments: Pick<SegmentDirectory, 'find'>;
}

/** The dispatcher asks for up to this many (its FANOUT_BATCH_SIZE); a smaller cap would quietly override it. */
const maxAudienceBatch = 5_000;
const defaultAudienceBatch = 500;

/**
 * The dispatcher reads a run's audience: the contacts the campaign's audience holds (its segment read
 * as it is now) in contact-id order, opted-out ones left out, in batches it writes as they are read. A contact for whom a placeholder has no value
 * and no default is left out and counted. A run cancelled before (or while) the dispatcher fans it out
 * gets no more messages.
 */
export async function streamAudience(
  deps: AudienceDeps,
  request: AudienceRequest,
  write: (members: AudienceMember[]) => Promise<void>,
  signal: AbortSignal,
): Promise<AudienceOutcome> {
  const batchSize = Math.min(request.batchSize || defaultAudienceBatch, maxAudienceBatch);
  const run = await deps.runs.get(request.runId);
  if (run.status === 'CANCELLED') return { result: 'cancelled' };
  const campaign = await deps.campaigns.get(run.campaignId);
  const template = await deps.templates.get(run.templateId);
  const audience = await resolveAudience(deps.segments, campaign.audience, 'audience');
  return withRunRecipients(deps, audience, async (staged) => {
    let after = request.afterContactId;
    let skipped = 0;
    const optional = optionalPlaceholdersOf(template.components);
    while (!signal.aborted) {
      const page = await deps.audiences.page(staged, after, batchSize);
      const members: AudienceMember[] = [];
      for (const contact of page) {
        const resolution = resolveVariables(template.variables, contact, optional);
        const timezone = typeof contact.attributes.timezone === 'string' ? contact.attributes.timezone : '';
        if (resolution.ok)
          members.push({ contactId: contact.id, phone: contact.phone, variables: resolution.values, timezone });
        else skipped += 1;
      }
      if (members.length > 0) await write(members);
      if (page.length < batchSize) break;
      after = page.at(-1)!.id;
    }
    return { result: 'streamed', skipped } as const;
  });
}
