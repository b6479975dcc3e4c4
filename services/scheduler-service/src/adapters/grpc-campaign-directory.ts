import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { isDomainError } from '@ektola/platform/errors';
import {
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type CreateRunResponse,
  type ListSchedulableCampaignsResponse,
  type SchedulableCampaign,
} from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { isKnownTimeZone, type CampaignSchedule } from '@ektola/platform/schedule';
import type { CampaignDirectory, ListedCampaign } from '../domain/scheduler-pass.ts';

export interface GrpcCampaignDirectoryOptions {
  address: string;
  /** The scheduler's gRPC token. */
  token: string;
  deadlineMs: number;
  pageSize: number;
  logger: Logger;
  /** Waits before each retry of a call that failed as unavailable; its length is the number of retries. */
  retryDelaysMs?: number[];
}

const instant = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an RFC 3339 timestamp')
  .transform((value) => new Date(value));
/** The proto's "empty string means not set". */
const optional = <T extends z.ZodType>(schema: T) => z.union([z.literal('').transform(() => undefined), schema]);

const campaignSchema = z.object({
  id: z.string().min(1),
  status: z.enum(['DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED', 'CANCELLED']),
  recurrence: z.enum(['ONCE', 'DAILY', 'WEEKLY', 'MONTHLY']),
  timezone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone'),
  startAt: instant,
  endAt: optional(instant),
});

function toListed(entry: SchedulableCampaign): ListedCampaign {
  const id = entry.campaign?.id || '(no id)';
  const campaign = campaignSchema.safeParse(entry.campaign ?? {});
  const lastScheduledFor = optional(instant).safeParse(entry.lastScheduledFor);
  if (!campaign.success || !lastScheduledFor.success) {
    const issues = [
      ...(campaign.error?.issues ?? []),
      ...(lastScheduledFor.error?.issues.map((issue) => ({ ...issue, path: ['lastScheduledFor'] })) ?? []),
    ];
    return {
      unreadable: { id, problem: issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') },
    };
  }
  const schedule: CampaignSchedule = {
    ...campaign.data,
    lastPeriodKey: entry.lastPeriodKey || undefined,
    lastScheduledFor: lastScheduledFor.data,
  };
  return { campaign: schedule };
}

/**
 * The campaign-service's CampaignQuery as the scheduler's CampaignDirectory. Every call has a deadline;
 * a call that fails as unavailable (including a missed deadline) is retried briefly, which is safe
 * because listing is read-only and CreateRun is idempotent.
 */
export function createGrpcCampaignDirectory(
  options: GrpcCampaignDirectoryOptions,
): CampaignDirectory & { close(): void } {
  const proto = loadEktolaProto();
  const client = createGrpcClient(proto.ektola.v1.CampaignQuery, options.address, { token: options.token });
  const retryDelaysMs = options.retryDelaysMs ?? [250, 1_000];
  const call = { deadlineMs: options.deadlineMs };

  const withRetries = async <T>(name: string, attempt: () => Promise<T>): Promise<T> => {
    for (let retry = 0; ; retry += 1) {
      try {
        return await attempt();
      } catch (error) {
        const delay = retryDelaysMs[retry];
        if (delay === undefined || !isDomainError(error) || error.kind !== 'unavailable') throw error;
        options.logger.warn(
          { call: name, reason: error.message, retryInMs: delay },
          'campaign-service call failed; retrying',
        );
        await sleep(delay);
      }
    }
  };

  return {
    async *pages() {
      let pageToken = '';
      const seenTokens = new Set<string>();
      do {
        const request = { pageSize: options.pageSize, pageToken };
        const page = await withRetries('ListSchedulableCampaigns', () =>
          callUnary<typeof request, ListSchedulableCampaignsResponse>(
            client.listSchedulableCampaigns.bind(client),
            request,
            call,
          ),
        );
        yield page.campaigns.map(toListed);
        pageToken = page.nextPageToken;
        if (seenTokens.has(pageToken))
          throw new Error(`ListSchedulableCampaigns returned page token ${pageToken} twice`);
        seenTokens.add(pageToken);
      } while (pageToken);
    },

    async createRun(campaignId, period) {
      const request = { campaignId, periodKey: period.periodKey, scheduledFor: period.scheduledFor.toISOString() };
      const response = await withRetries('CreateRun', () =>
        callUnary<typeof request, CreateRunResponse>(client.createRun.bind(client), request, call),
      );
      return { created: response.created, runId: response.run?.id ?? '' };
    },

    async recordPass({ startedAt, finishedAt, summary, skippedPeriods }) {
      const request = {
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        campaignsSeen: summary.campaignsSeen,
        runsCreated: summary.runsCreated,
        runsExisting: summary.runsExisting,
        skipped: summary.skipped,
        errors: summary.errors,
        skippedPeriods: skippedPeriods.map(({ campaignId, period, reason }) => ({
          campaignId,
          periodKey: period.periodKey,
          scheduledFor: period.scheduledFor.toISOString(),
          reason,
        })),
      };
      await withRetries('RecordSchedulerRun', () =>
        callUnary<typeof request, unknown>(client.recordSchedulerRun.bind(client), request, call),
      );
    },

    close: () => client.close(),
  };
}
