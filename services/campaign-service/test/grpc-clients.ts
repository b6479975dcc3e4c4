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

/** CampaignQuery as the scheduler and dispatcher call it, promise-shaped for tests. */
export function campaignQueryClient(address: string) {
  const client: CampaignQueryClient = createGrpcClient(loadEktolaProto().ektola.v1.CampaignQuery, address);
  return {
    client,
    createRun: (request: { campaignId: string; periodKey: string; scheduledFor: string }) =>
      callUnary<typeof request, CreateRunResponse>(client.createRun.bind(client), request),
    getCampaign: (id: string) => callUnary<{ id: string }, Campaign>(client.getCampaign.bind(client), { id }),
    getTemplate: (id: string) => callUnary<{ id: string }, Template>(client.getTemplate.bind(client), { id }),
    getRun: (id: string) => callUnary<{ id: string }, Run>(client.getRun.bind(client), { id }),
    listSchedulable: (pageSize: number, pageToken = '') =>
      callUnary<{ pageSize: number; pageToken: string }, ListSchedulableCampaignsResponse>(client.listSchedulableCampaigns.bind(client), { pageSize, pageToken }),
    recordSchedulerRun: (request: object) => callUnary<object, unknown>(client.recordSchedulerRun.bind(client), request),
    async audience(request: { runId: string; batchSize?: number; afterContactId?: string }): Promise<AudienceBatch[]> {
      const batches: AudienceBatch[] = [];
      for await (const batch of callServerStream<typeof request, AudienceBatch>(client.streamAudience.bind(client), request)) batches.push(batch);
      return batches;
    },
    close: () => client.close(),
  };
}

/** How many events the namespace's RUNS stream holds: every one is a run.requested this service published. */
export async function runEventCount(jsm: JetStreamManager, namespace: string): Promise<number> {
  return (await jsm.streams.info(streamNameOf(namespace, 'RUNS'))).state.messages;
}
