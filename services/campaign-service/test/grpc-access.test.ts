import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type CampaignQueryClient,
} from '@ektola/platform/grpc';
import { testGrpcTokens } from '@ektola/platform/testing';
import { startHarness, type Harness } from './harness.ts';

let harness: Harness;
const clients: grpc.Client[] = [];
const { CampaignQuery } = loadEktolaProto().ektola.v1;

const clientWith = (token: string): CampaignQueryClient => {
  const client = createGrpcClient(CampaignQuery, harness.app.grpcAddress(), { token });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  for (const client of clients) client.close();
  await harness?.close();
});

describe('who may call CampaignQuery', () => {
  it('when a call carries no token or a wrong one, then it is UNAUTHENTICATED', async () => {
    const bare = new CampaignQuery(harness.app.grpcAddress(), grpc.credentials.createInsecure());
    clients.push(bare);
    const code = await new Promise((resolve) =>
      bare.listSchedulableCampaigns({ pageSize: 10, pageToken: '' }, (error) => resolve(error?.code)),
    );
    expect(code).toBe(grpc.status.UNAUTHENTICATED);
    const stranger = clientWith('a-token-nobody-was-given');
    await expect(
      callUnary(stranger.listSchedulableCampaigns.bind(stranger), { pageSize: 10, pageToken: '' }),
    ).rejects.toMatchObject({ code: 'unauthenticated' });
  });

  it('when the dispatcher asks to create a run or the scheduler to stream an audience, then it is PERMISSION_DENIED', async () => {
    const dispatcher = clientWith(testGrpcTokens['dispatcher-service']);
    await expect(
      callUnary(dispatcher.createRun.bind(dispatcher), {
        campaignId: '00000000-0000-4000-8000-000000000000',
        periodKey: 'once',
        scheduledFor: '2030-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'permission_denied' });
    const scheduler = clientWith(testGrpcTokens['scheduler-service']);
    await expect(
      callServerStream(scheduler.streamAudience.bind(scheduler), {
        runId: '00000000-0000-4000-8000-000000000000',
      }).next(),
    ).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });

  it('when the scheduler lists campaigns with its token, then the service answers', async () => {
    const scheduler = clientWith(testGrpcTokens['scheduler-service']);
    await expect(
      callUnary(scheduler.listSchedulableCampaigns.bind(scheduler), { pageSize: 10, pageToken: '' }),
    ).resolves.toMatchObject({ campaigns: [] });
  });
});
