import { z } from 'zod';
import { invalid, isDomainError } from '@ektola/platform/errors';
import {
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type Campaign as CampaignMessage,
  type CampaignQueryHandlers,
  type GrpcServer,
  type Run as RunMessage,
  type Template as TemplateMessage,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import type { Clock } from '@ektola/platform/clock';
import { createRun } from '../../domain/create-run.ts';
import { decodeCursor, encodeCursor } from '../../domain/cursor.ts';
import type { Campaign, Run, Template } from '../../domain/model.ts';
import type {
  CampaignRepository,
  AudienceDirectory,
  DispatchQuery,
  GuardrailStore,
  RecipientSets,
  RunLedger,
  SegmentDirectory,
  SchedulerHealthLog,
  TemplateCatalog,
  Transactions,
} from '../../domain/ports.ts';
import { streamAudience } from '../../domain/stream-audience.ts';
import type { CampaignMetrics } from '../campaign-metrics.ts';

export interface CampaignQueryDependencies {
  campaigns: CampaignRepository;
  templates: TemplateCatalog;
  audiences: AudienceDirectory;
  segments: SegmentDirectory;
  dispatch: DispatchQuery;
  recipientSets: RecipientSets;
  runs: RunLedger;
  transactions: Transactions;
  schedulerHealth: SchedulerHealthLog;
  guardrails: GuardrailStore;
  clock: Clock;
  logger: Logger;
  metrics: CampaignMetrics;
  /** How much slower a FLAGGED sender sends, which lowers its weight in a run. */
  flaggedFactor: number;
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
  audienceTags: campaign.audience.tags,
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
  variables: Object.entries(template.variables).map(([placeholder, mapping]) => ({
    placeholder,
    field: mapping.field,
    defaultValue: mapping.default ?? '',
  })),
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
const createRunRequest = z.object({
  campaignId: z.uuid(),
  periodKey: z.string().min(1).max(100),
  scheduledFor: instant,
});
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

function afterOf(pageToken: string): string | undefined {
  try {
    return decodeCursor(pageToken, 1)?.[0];
  } catch (error) {
    if (isDomainError(error))
      throw invalid('the page token is not one this service returned', [
        { path: 'pageToken', message: 'is not a token from a previous page' },
      ]);
    throw error;
  }
}

/** The CampaignQuery service the scheduler and the dispatcher call. */
export function addCampaignQueryService(grpc: GrpcServer, deps: CampaignQueryDependencies) {
  const { logger, metrics } = deps;

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
      const { run, created } = await createRun(deps, input);
      if (created) {
        metrics.runCreated();
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
      const outcome = await streamAudience(
        deps,
        { runId: input.runId, afterContactId: input.afterContactId || undefined, batchSize: input.batchSize },
        (members) => write({ members }),
        signal,
      );
      if (outcome.result === 'cancelled') {
        logger.info({ runId: input.runId }, 'audience of a cancelled run is empty');
      } else if (outcome.skipped > 0) {
        metrics.audienceSkipped(outcome.skipped);
        logger.warn(
          { runId: input.runId, skipped: outcome.skipped },
          'contacts left out of the audience: a placeholder had no value and no default',
        );
      }
    }),

    GetTemplate: unaryHandler('GetTemplate', logger, async (request) =>
      toTemplateMessage(await deps.templates.get(parse(byId, request).id)),
    ),
    GetCampaign: unaryHandler('GetCampaign', logger, async (request) =>
      toCampaignMessage(await deps.campaigns.get(parse(byId, request).id)),
    ),
    GetRun: unaryHandler('GetRun', logger, async (request) =>
      toRunMessage(await deps.runs.get(parse(byId, request).id)),
    ),
  };
  grpc.server.addService(loadEktolaProto().ektola.v1.CampaignQuery.service, handlers);
}
