import { z } from 'zod';
import { invalid, isDomainError } from '@ektola/platform/errors';
import {
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type AudienceMember,
  type Campaign as CampaignMessage,
  type CampaignQueryHandlers,
  type GrpcServer,
  type Run as RunMessage,
  type Template as TemplateMessage,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { Counter, type Registry } from '@ektola/platform/metrics';
import type { CampaignStore } from '../../adapters/postgres-campaign-store.ts';
import type { ContactStore } from '../../adapters/postgres-contact-store.ts';
import type { RunStore } from '../../adapters/postgres-run-store.ts';
import type { SchedulerHealth } from '../../adapters/postgres-scheduler-health.ts';
import type { TemplateStore } from '../../adapters/postgres-template-store.ts';
import { decodeCursor, encodeCursor } from '../../domain/cursor.ts';
import type { Campaign, Run, Template } from '../../domain/model.ts';
import { resolveVariables } from '../../domain/template-variables.ts';

export interface CampaignQueryDependencies {
  campaigns: CampaignStore;
  templates: TemplateStore;
  contacts: ContactStore;
  runs: RunStore;
  schedulerHealth: SchedulerHealth;
  /** Called after a run (and its outbox row) committed, so the event leaves without waiting for a poll. */
  onRunCreated: () => void;
  logger: Logger;
  registry: Registry;
}

const iso = (date: Date | null) => (date ? date.toISOString() : '');

export const toCampaignMessage = (campaign: Campaign): CampaignMessage => ({
  id: campaign.id,
  name: campaign.name,
  templateId: campaign.templateId,
  status: campaign.status,
  recurrence: campaign.recurrence,
  timezone: campaign.timezone,
  startAt: campaign.startAt.toISOString(),
  endAt: iso(campaign.endAt),
  audienceTags: campaign.audienceTags,
});

const toRunMessage = (run: Run): RunMessage => ({
  id: run.id,
  campaignId: run.campaignId,
  templateId: run.templateId,
  periodKey: run.periodKey,
  scheduledFor: run.scheduledFor.toISOString(),
  status: run.status,
  createdAt: run.createdAt.toISOString(),
  completedAt: iso(run.completedAt),
});

const toTemplateMessage = (template: Template): TemplateMessage => ({
  id: template.id,
  name: template.name,
  language: template.language,
  category: template.category,
  status: template.status,
  parameterFormat: template.parameterFormat,
  componentsJson: JSON.stringify(template.components),
  variables: Object.entries(template.variables).map(([placeholder, mapping]) => ({ placeholder, field: mapping.field, defaultValue: mapping.default ?? '' })),
});

/** Request fields checked the same way as REST bodies: INVALID_ARGUMENT naming each bad field. */
function parse<S extends z.ZodType>(schema: S, request: unknown): z.output<S> {
  const result = schema.safeParse(request);
  if (!result.success) {
    throw invalid(
      'the request is invalid',
      result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(request)', message: issue.message })),
    );
  }
  return result.data;
}

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const byId = z.object({ id: z.uuid() });
const createRunRequest = z.object({ campaignId: z.uuid(), periodKey: z.string().min(1).max(100), scheduledFor: instant });
const listRequest = z.object({ pageSize: z.number().int().min(0).max(1_000), pageToken: z.string().max(500) });
const audienceRequest = z.object({
  runId: z.uuid(),
  batchSize: z.number().int().min(0),
  afterContactId: z.union([z.literal(''), z.uuid()]),
});
const schedulerRunRequest = z.object({
  startedAt: instant,
  finishedAt: instant,
  campaignsSeen: z.number().int().nonnegative(),
  runsCreated: z.number().int().nonnegative(),
  runsExisting: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  skippedPeriods: z
    .array(
      z.object({
        campaignId: z.uuid(),
        periodKey: z.string().min(1).max(100),
        scheduledFor: instant,
        reason: z.enum(['outside_grace_window', 'campaign_not_schedulable']),
      }),
    )
    .max(1_000),
});

const maxAudienceBatch = 1_000;
const defaultAudienceBatch = 500;

function afterOf(pageToken: string): string | undefined {
  try {
    return decodeCursor(pageToken, 1)?.[0];
  } catch (error) {
    if (isDomainError(error)) throw invalid('the page token is not one this service returned', [{ path: 'pageToken', message: 'is not a token from a previous page' }]);
    throw error;
  }
}

/** The CampaignQuery service the scheduler and the dispatcher call. */
export function addCampaignQueryService(grpc: GrpcServer, deps: CampaignQueryDependencies) {
  const { logger } = deps;
  const runsCreated = new Counter({ name: 'ektola_runs_created_total', help: 'Campaign runs created (a repeated CreateRun for a period does not count)', registers: [deps.registry] });
  const audienceSkipped = new Counter({
    name: 'ektola_audience_skipped_total',
    help: 'Contacts left out of a run because a template placeholder had no value and no default',
    registers: [deps.registry],
  });

  const handlers: CampaignQueryHandlers = {
    ListSchedulableCampaigns: unaryHandler('ListSchedulableCampaigns', logger, async (request) => {
      const { pageSize, pageToken } = parse(listRequest, request);
      const page = await deps.campaigns.listSchedulable(pageSize || 100, afterOf(pageToken));
      return {
        campaigns: page.campaigns.map((entry) => ({
          campaign: toCampaignMessage(entry.campaign),
          lastPeriodKey: entry.lastPeriodKey ?? '',
          lastScheduledFor: iso(entry.lastScheduledFor),
        })),
        nextPageToken: page.nextAfter ? encodeCursor([page.nextAfter]) : '',
      };
    }),

    CreateRun: unaryHandler('CreateRun', logger, async (request) => {
      const input = parse(createRunRequest, request);
      const { run, created } = await deps.runs.createRun(input);
      if (created) {
        runsCreated.inc();
        deps.onRunCreated();
        logger.info({ runId: run.id, campaignId: run.campaignId, periodKey: run.periodKey }, 'run created');
      }
      return { run: toRunMessage(run), created };
    }),

    RecordSchedulerRun: unaryHandler('RecordSchedulerRun', logger, async (request) => {
      const { skippedPeriods, ...pass } = parse(schedulerRunRequest, request);
      await deps.schedulerHealth.record(pass);
      await deps.campaigns.recordSkippedPeriods(skippedPeriods, pass.finishedAt);
      return {};
    }),

    StreamAudience: serverStreamHandler('StreamAudience', logger, async (request, write, signal) => {
      const input = parse(audienceRequest, request);
      const batchSize = Math.min(input.batchSize || defaultAudienceBatch, maxAudienceBatch);
      const run = await deps.runs.get(input.runId);
      // A run cancelled before (or while) the dispatcher fans it out gets no more messages.
      if (run.status === 'CANCELLED') {
        logger.info({ runId: run.id }, 'audience of a cancelled run is empty');
        return;
      }
      const campaign = await deps.campaigns.get(run.campaignId);
      const template = await deps.templates.get(run.templateId);
      let after = input.afterContactId || undefined;
      let skipped = 0;
      while (!signal.aborted) {
        const page = await deps.contacts.audiencePage(campaign.audienceTags, after, batchSize);
        const members: AudienceMember[] = [];
        for (const contact of page) {
          const resolution = resolveVariables(template.variables, contact);
          if (resolution.ok) members.push({ contactId: contact.id, phone: contact.phone, variables: resolution.values });
          else skipped += 1;
        }
        if (members.length > 0) await write({ members });
        if (page.length < batchSize) break;
        after = page.at(-1)!.id;
      }
      if (skipped > 0) {
        audienceSkipped.inc(skipped);
        logger.warn({ runId: run.id, skipped }, 'contacts left out of the audience: a placeholder had no value and no default');
      }
    }),

    GetTemplate: unaryHandler('GetTemplate', logger, async (request) => toTemplateMessage(await deps.templates.get(parse(byId, request).id))),
    GetCampaign: unaryHandler('GetCampaign', logger, async (request) => toCampaignMessage(await deps.campaigns.get(parse(byId, request).id))),
    GetRun: unaryHandler('GetRun', logger, async (request) => toRunMessage(await deps.runs.get(parse(byId, request).id))),
  };
  grpc.server.addService(loadEktolaProto().ektola.v1.CampaignQuery.service, handlers);
}
