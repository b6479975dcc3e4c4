import { failedPrecondition, notFound } from '@ektola/platform/errors';
import { createGrpcServer, grpcAccess, loadEktolaProto, unaryHandler, type GrpcServer } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { testGrpcTokens } from '@ektola/platform/testing';

export interface FakeCampaign {
  id: string;
  status: string;
  recurrence: string;
  timezone: string;
  startAt: string;
  endAt?: string;
}

interface FakeRun {
  id: string;
  campaignId: string;
  periodKey: string;
  scheduledFor: string;
}

/**
 * CampaignQuery as the proto specifies it, in memory: paged listing, CreateRun idempotent on
 * (campaign, period) and refused for campaigns that are not ACTIVE, RecordSchedulerRun kept.
 * The scheduler's own contract, so its process tests need no database; the real campaign-service
 * is exercised in campaign-service.integration.test.ts.
 */
export async function startFakeCampaignQuery(logger: Logger, campaigns: FakeCampaign[]) {
  const runs: FakeRun[] = [];
  const createRunCalls: string[] = [];
  const recorded: Array<Record<string, unknown>> = [];
  let holdCreateRun: Promise<void> | undefined;

  const lastRunOf = (campaignId: string) => runs.filter((run) => run.campaignId === campaignId).at(-1);
  const unimplemented = unaryHandler('unimplemented', logger, async () => {
    throw new Error('not used by the scheduler');
  });

  const access = grpcAccess({ 'scheduler-service': testGrpcTokens['scheduler-service'] });
  const grpc: GrpcServer = createGrpcServer({ host: '127.0.0.1', port: 0, logger, access });
  grpc.server.addService(loadEktolaProto().ektola.v1.CampaignQuery.service, {
    ListSchedulableCampaigns: unaryHandler(
      'ListSchedulableCampaigns',
      logger,
      async (request: { pageSize: number; pageToken: string }) => {
        const from = Number(request.pageToken || 0);
        const page = campaigns.slice(from, from + request.pageSize);
        const next = from + request.pageSize;
        return {
          campaigns: page.map((campaign) => ({
            campaign: {
              ...campaign,
              endAt: campaign.endAt ?? '',
              name: campaign.id,
              templateId: 't',
              audienceTags: [],
            },
            lastPeriodKey: lastRunOf(campaign.id)?.periodKey ?? '',
            lastScheduledFor: lastRunOf(campaign.id)?.scheduledFor ?? '',
          })),
          nextPageToken: next < campaigns.length ? String(next) : '',
        };
      },
    ),
    CreateRun: unaryHandler(
      'CreateRun',
      logger,
      async (request: { campaignId: string; periodKey: string; scheduledFor: string }) => {
        createRunCalls.push(`${request.campaignId}/${request.periodKey}`);
        await holdCreateRun;
        const campaign = campaigns.find((candidate) => candidate.id === request.campaignId);
        if (!campaign) throw notFound('campaign', request.campaignId);
        if (campaign.status !== 'ACTIVE') throw failedPrecondition(`campaign ${campaign.id} is ${campaign.status}`);
        const existing = runs.find(
          (run) => run.campaignId === request.campaignId && run.periodKey === request.periodKey,
        );
        const run = existing ?? { id: `run-${runs.length + 1}`, ...request };
        if (!existing) runs.push(run);
        return {
          run: { ...run, templateId: 't', status: 'REQUESTED', createdAt: '', completedAt: '' },
          created: !existing,
        };
      },
    ),
    RecordSchedulerRun: unaryHandler('RecordSchedulerRun', logger, async (request: Record<string, unknown>) => {
      recorded.push(request);
      return {};
    }),
    StreamAudience: unimplemented,
    GetTemplate: unimplemented,
    GetCampaign: unimplemented,
    GetRun: unimplemented,
  });
  const port = await grpc.start();

  return {
    address: `127.0.0.1:${port}`,
    grpc,
    runs,
    createRunCalls,
    recorded,
    /** Makes CreateRun wait until the returned release function is called. */
    holdCreateRuns() {
      let release = () => {};
      holdCreateRun = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        release();
        holdCreateRun = undefined;
      };
    },
    stop: () => grpc.stop(500),
  };
}
