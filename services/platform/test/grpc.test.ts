import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notFound } from '../src/errors.ts';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  createGrpcServer,
  grpcAccess,
  grpcHealthReadiness,
  loadEktolaProto,
  serverStreamHandler,
  unaryHandler,
  type AudienceBatch,
  type CampaignQueryClient,
  type GrpcServer,
} from '../src/grpc/mod.ts';
import { createLogger } from '../src/logger.ts';
import { startTelemetry, trace, withSpan } from '../src/telemetry.ts';
import { eventually } from '../src/testing/mod.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
const telemetry = await startTelemetry({ serviceName: 'grpc-test' });
const proto = loadEktolaProto();
let server: GrpcServer;
let port: number;
let client: CampaignQueryClient;
const serverTraceIds: string[] = [];
const largeBatches = 120;
let largeWritten = 0;

const unimplemented = unaryHandler('unused', logger, async () => {
  throw new Error('not part of this test');
});

beforeAll(async () => {
  server = createGrpcServer({
    host: '127.0.0.1',
    port: 0,
    logger,
    access: grpcAccess({ 'dispatcher-service': 'grpc-test-dispatcher-token' }),
  });
  server.server.addService(proto.ektola.v1.CampaignQuery.service, {
    GetRun: unaryHandler('GetRun', logger, async (request: { id: string }) => {
      serverTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? '');
      if (request.id === 'missing') throw notFound('run', request.id);
      if (request.id === 'slow') await new Promise((resolve) => setTimeout(resolve, 500));
      if (request.id === 'database-restarting')
        throw Object.assign(new Error('the database system is shutting down'), { code: '57P01' });
      if (request.id === 'bug') throw new Error('a bug');
      return { id: request.id, status: 'REQUESTED' };
    }),
    StreamAudience: serverStreamHandler('StreamAudience', logger, async (request: { runId: string }, write) => {
      if (request.runId === 'large') {
        // Batches of 64 KB each, far more than the HTTP/2 window and the client's buffer hold together.
        const variables = { 'body.1': 'x'.repeat(64 * 1024) };
        for (let batch = 0; batch < largeBatches; batch += 1) {
          await write({ members: [{ contactId: `c${batch}`, phone: '+919876543210', variables }] });
          largeWritten += 1;
        }
        return;
      }
      for (let batch = 0; batch < 3; batch += 1) {
        await write({ members: [{ contactId: `c${batch}`, phone: '+919876543210', variables: { 'body.1': 'Asha' } }] });
      }
    }),
    ListSchedulableCampaigns: unimplemented,
    CreateRun: unimplemented,
    RecordSchedulerRun: unimplemented,
    GetTemplate: unimplemented,
    GetCampaign: unimplemented,
  });
  port = await server.start();
  client = createGrpcClient(proto.ektola.v1.CampaignQuery, `127.0.0.1:${port}`, {
    token: 'grpc-test-dispatcher-token',
  });
});

afterAll(async () => {
  client.close();
  await server.stop();
  await telemetry.shutdown();
});

describe('gRPC helpers', () => {
  it('when a unary call succeeds inside a span, then the server handles it in the same trace', async () => {
    const traceId = await withSpan('caller', {}, async (span) => {
      const run = await callUnary(client.getRun.bind(client), { id: 'run-1' });
      expect(run).toMatchObject({ id: 'run-1', status: 'REQUESTED' });
      return span.spanContext().traceId;
    });
    expect(serverTraceIds.at(-1)).toBe(traceId);
  });

  it('when the handler throws a domain error, then the caller gets the same kind back', async () => {
    await expect(callUnary(client.getRun.bind(client), { id: 'missing' })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'not_found',
      message: 'run missing was not found',
    });
  });

  it("when the handler's database is restarting, then the caller gets unavailable (to retry), and a bug is internal", async () => {
    await expect(callUnary(client.getRun.bind(client), { id: 'database-restarting' })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    await expect(callUnary(client.getRun.bind(client), { id: 'bug' })).rejects.toMatchObject({ kind: 'internal' });
  });

  it('when the server answers after the deadline, then the call fails as unavailable', async () => {
    await expect(callUnary(client.getRun.bind(client), { id: 'slow' }, { deadlineMs: 50 })).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });

  it('when the server streams batches, then the caller reads them in order', async () => {
    const contacts: string[] = [];
    for await (const batch of callServerStream(client.streamAudience.bind(client), { runId: 'r' })) {
      contacts.push(...batch.members.map((member) => member.contactId));
    }
    expect(contacts).toEqual(['c0', 'c1', 'c2']);
  });

  it('when the caller stops reading, then the server writes only a couple of batches past what the connection holds, and all arrive once it reads again', async () => {
    const batches = callServerStream<object, AudienceBatch>(client.streamAudience.bind(client), { runId: 'large' });
    const contacts: string[] = [];
    const first = await batches.next();
    if (!first.done) contacts.push(...first.value.members.map((member) => member.contactId));
    // Held: the count stops moving while nobody reads.
    let held = -1;
    await eventually(async () => {
      const before = largeWritten;
      await new Promise((resolve) => setTimeout(resolve, 100));
      held = largeWritten;
      return held === before;
    });
    // The client's stream buffers 16 responses and HTTP/2's window one more; grpc-js's server buffer
    // would add 16 of its own before saying it is full.
    expect(held).toBeLessThanOrEqual(22);
    for await (const batch of batches) contacts.push(...batch.members.map((member) => member.contactId));
    expect(contacts).toEqual(Array.from({ length: largeBatches }, (_, batch) => `c${batch}`));
  });

  it('when asked for its health, then the server reports SERVING, and NOT_SERVING once shutdown begins', async () => {
    const probe = grpcHealthReadiness(`127.0.0.1:${port}`);
    await expect(probe()).resolves.toBeUndefined();
    server.health.setStatus('', 'NOT_SERVING');
    await expect(probe()).rejects.toThrow(/NOT_SERVING/);
    server.health.setStatus('', 'SERVING');
  });

  it('when nothing listens at the address, then the health probe fails naming it', async () => {
    await expect(grpcHealthReadiness('127.0.0.1:1', 300)()).rejects.toThrow(/127\.0\.0\.1:1/);
  });
});
