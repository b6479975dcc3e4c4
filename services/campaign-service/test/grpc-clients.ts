import type { JetStreamManager } from '@nats-io/jetstream';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type AudienceBatch,
  type Campaign,
  type CampaignQueryClient,
  type CreateRunResponse,
  type ListSchedulableCampaignsResponse,
  type Run,
  type Template,
} from '@ektola/platform/grpc';
import { streamNameOf } from '@ektola/platform/events';
import { testGrpcTokens } from '@ektola/platform/testing';

/** CampaignQuery as the scheduler and dispatcher call it, each RPC with its caller's token, promise-shaped for tests. */
export function campaignQueryClient(address: string) {
  const { CampaignQuery } = loadEktolaProto().ektola.v1;
  const scheduler: CampaignQueryClient = createGrpcClient(CampaignQuery, address, {
    token: testGrpcTokens['scheduler-service'],
  });
  const dispatcher: CampaignQueryClient = createGrpcClient(CampaignQuery, address, {
    token: testGrpcTokens['dispatcher-service'],
  });
  return {
    createRun: (request: { campaignId: string; periodKey: string; scheduledFor: string }) =>
      callUnary<typeof request, CreateRunResponse>(scheduler.createRun.bind(scheduler), request),
    getCampaign: (id: string) => callUnary<{ id: string }, Campaign>(scheduler.getCampaign.bind(scheduler), { id }),
    getTemplate: (id: string) => callUnary<{ id: string }, Template>(dispatcher.getTemplate.bind(dispatcher), { id }),
    getRun: (id: string) => callUnary<{ id: string }, Run>(scheduler.getRun.bind(scheduler), { id }),
    listSchedulable: (pageSize: number, pageToken = '') =>
      callUnary<{ pageSize: number; pageToken: string }, ListSchedulableCampaignsResponse>(
        scheduler.listSchedulableCampaigns.bind(scheduler),
        { pageSize, pageToken },
      ),
    recordSchedulerRun: (request: object) =>
      callUnary<object, unknown>(scheduler.recordSchedulerRun.bind(scheduler), request),
    async audience(request: { runId: string; batchSize?: number; afterContactId?: string }): Promise<AudienceBatch[]> {
      const batches: AudienceBatch[] = [];
      for await (const batch of callServerStream<typeof request, AudienceBatch>(
        dispatcher.streamAudience.bind(dispatcher),
        request,
      ))
        batches.push(batch);
      return batches;
    },
    close: () => {
      scheduler.close();
      dispatcher.close();
    },
  };
}

/** How many events the namespace's RUNS stream holds: every one is a run.requested this service published. */
export async function runEventCount(jsm: JetStreamManager, namespace: string): Promise<number> {
  return (await jsm.streams.info(streamNameOf(namespace, 'RUNS'))).state.messages;
}
