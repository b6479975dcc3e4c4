import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callServerStream,
  callUnary,
  callerOf,
  createGrpcClient,
  createGrpcServer,
  grpcAccess,
  grpcHealthReadiness,
  loadEktolaProto,
  rpcNameOf,
  serverStreamHandler,
  unaryHandler,
  type CampaignQueryClient,
  type GrpcServer,
} from '../src/grpc/mod.ts';
import { createLogger } from '../src/logger.ts';
import { testGrpcTokens } from '../src/testing/grpc-tokens.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
const proto = loadEktolaProto();
const access = grpcAccess({
  'scheduler-service': testGrpcTokens['scheduler-service'],
  'dispatcher-service': testGrpcTokens['dispatcher-service'],
});
const handled: string[] = [];
let server: GrpcServer;
let address: string;
const clients: grpc.Client[] = [];

const clientWith = (token: string): CampaignQueryClient => {
  const client = createGrpcClient(proto.ektola.v1.CampaignQuery, address, { token });
  clients.push(client);
  return client;
};

const answer = (method: string) =>
  unaryHandler(method, logger, async () => {
    handled.push(method);
    return { id: 'run-1', status: 'REQUESTED' };
  });

beforeAll(async () => {
  server = createGrpcServer({ host: '127.0.0.1', port: 0, logger, access });
  server.server.addService(proto.ektola.v1.CampaignQuery.service, {
    GetRun: answer('GetRun'),
    CreateRun: answer('CreateRun'),
    GetTemplate: answer('GetTemplate'),
    GetCampaign: answer('GetCampaign'),
    ListSchedulableCampaigns: answer('ListSchedulableCampaigns'),
    RecordSchedulerRun: answer('RecordSchedulerRun'),
    StreamAudience: serverStreamHandler('StreamAudience', logger, async (_request, write) => {
      handled.push('StreamAudience');
      await write({ members: [] });
    }),
  });
  address = `127.0.0.1:${await server.start()}`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await server.stop();
});

describe('gRPC access', () => {
  it('when a call carries no token, then it is UNAUTHENTICATED and the handler never runs', async () => {
    const bare = new proto.ektola.v1.CampaignQuery(address, grpc.credentials.createInsecure());
    clients.push(bare);
    handled.length = 0;
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      bare.getRun({ id: 'run-1' }, (failure) => resolve(failure)),
    );
    expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(handled).toEqual([]);
  });

  it('when a call carries a wrong token, then it is UNAUTHENTICATED', async () => {
    const stranger = clientWith('not-a-token-of-any-service');
    await expect(callUnary(stranger.getRun.bind(stranger), { id: 'run-1' })).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    const unknownService = clientWith(testGrpcTokens['campaign-service']);
    await expect(callUnary(unknownService.getRun.bind(unknownService), { id: 'run-1' })).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('when a known service calls an RPC that is not its own, then it is PERMISSION_DENIED naming both', async () => {
    const dispatcher = clientWith(testGrpcTokens['dispatcher-service']);
    const scheduler = clientWith(testGrpcTokens['scheduler-service']);
    handled.length = 0;
    await expect(
      callUnary(dispatcher.createRun.bind(dispatcher), {
        campaignId: 'c',
        periodKey: 'once',
        scheduledFor: '2030-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({
      code: 'permission_denied',
      message: 'dispatcher-service may not call CampaignQuery/CreateRun',
    });
    const stream = callServerStream(scheduler.streamAudience.bind(scheduler), { runId: 'r' });
    await expect(stream.next()).rejects.toMatchObject({ code: 'permission_denied' });
    expect(handled).toEqual([]);
  });

  it('when each service calls its own RPCs with its token, then the handlers answer', async () => {
    const dispatcher = clientWith(testGrpcTokens['dispatcher-service']);
    const scheduler = clientWith(testGrpcTokens['scheduler-service']);
    await expect(
      callUnary(scheduler.createRun.bind(scheduler), {
        campaignId: 'c',
        periodKey: 'once',
        scheduledFor: '2030-01-01T00:00:00Z',
      }),
    ).resolves.toBeDefined();
    await expect(callUnary(dispatcher.getTemplate.bind(dispatcher), { id: 't' })).resolves.toBeDefined();
    const batches = [];
    for await (const batch of callServerStream(dispatcher.streamAudience.bind(dispatcher), { runId: 'r' }))
      batches.push(batch);
    expect(batches).toHaveLength(1);
  });

  it('when a probe asks grpc.health.v1 without a token, then it is answered', async () => {
    await expect(grpcHealthReadiness(address)()).resolves.toBeUndefined();
  });

  it('when tokens are compared, then only an exact token names its caller', () => {
    expect(callerOf(access, testGrpcTokens['scheduler-service'])).toBe('scheduler-service');
    expect(callerOf(access, `${testGrpcTokens['scheduler-service']}x`)).toBeUndefined();
    expect(callerOf(access, '')).toBeUndefined();
    expect(callerOf(access, undefined)).toBeUndefined();
    expect(rpcNameOf('/ektola.v1.CampaignQuery/CreateRun')).toBe('CampaignQuery/CreateRun');
  });

  it('when two callers are given the same token, then the access is refused, since they could not be told apart', () => {
    expect(() =>
      grpcAccess({ 'scheduler-service': 'one-shared-token-0123', 'dispatcher-service': 'one-shared-token-0123' }),
    ).toThrow(/must differ/);
  });
});
