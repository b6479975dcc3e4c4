import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type AudienceBatch,
  type CampaignQueryClient,
  type CreateRunResponse,
} from '@ektola/platform/grpc';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  startServiceProcess,
  testGrpcTokenEnv,
  testGrpcTokens,
  testNatsUrl,
  uniqueNamespace,
  type ServiceProcess,
  type TestDatabase,
} from '@ektola/platform/testing';
import { deliver, fixture, startWebhookService } from './support.ts';

/*
 * End to end across two services, each started as it runs in production: the campaign-service as its
 * own process (services never import each other), the webhook-service in this one. Only Meta is
 * played by the test: it delivers a signed "STOP".
 */

const namespace = uniqueNamespace('whstop');
const adminKey = 'stop-e2e-admin-key-0123456789abcdef';
let database: TestDatabase;
let campaignService: ServiceProcess;
let campaignUrl: string;
let scheduler: CampaignQueryClient;
let dispatcher: CampaignQueryClient;
let webhook: Awaited<ReturnType<typeof startWebhookService>>;

beforeAll(async () => {
  database = await createTestDatabase();
  const [httpPort, grpcPort] = [await freePort(), await freePort()];
  campaignService = startServiceProcess(new URL('../../campaign-service/src/main.ts', import.meta.url).pathname, {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: String(httpPort),
    GRPC_PORT: String(grpcPort),
    EKTOLA_ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    ...testGrpcTokenEnv['campaign-service'],
  });
  campaignUrl = `http://127.0.0.1:${httpPort}`;
  await eventually(async () => (await fetch(`${campaignUrl}/readyz`).catch(() => undefined))?.status === 200, 40_000);
  // The test creates runs as the scheduler does and reads their audience as the dispatcher does, each with its token.
  const { CampaignQuery } = loadEktolaProto().ektola.v1;
  scheduler = createGrpcClient(CampaignQuery, `127.0.0.1:${grpcPort}`, { token: testGrpcTokens['scheduler-service'] });
  dispatcher = createGrpcClient(CampaignQuery, `127.0.0.1:${grpcPort}`, {
    token: testGrpcTokens['dispatcher-service'],
  });
  webhook = await startWebhookService({ EKTOLA_NAMESPACE: namespace });
}, 60_000);

afterAll(async () => {
  scheduler?.close();
  dispatcher?.close();
  await webhook?.stop();
  campaignService?.kill('SIGTERM');
  await campaignService?.exited;
  await database?.drop();
  await deleteNamespaceStreams(namespace);
});

async function api<T>(method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${campaignUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The audience of the DAILY campaign's run for `day` (its 09:00 UTC occurrence). */
async function audienceOf(campaignId: string, day: string): Promise<string[]> {
  const { run } = await callUnary<object, CreateRunResponse>(scheduler.createRun.bind(scheduler), {
    campaignId,
    periodKey: day,
    scheduledFor: `${day}T09:00:00Z`,
  });
  const members: string[] = [];
  for await (const batch of callServerStream<object, AudienceBatch>(dispatcher.streamAudience.bind(dispatcher), {
    runId: run?.id,
    batchSize: 100,
  })) {
    members.push(...(batch.members ?? []).map((member) => member.contactId ?? ''));
  }
  return members.sort();
}

describe('a STOP from WhatsApp', () => {
  it('when a contact writes STOP, then the campaign-service opts them out and the next run’s audience leaves them out, until a START brings them back', async () => {
    const asha = await api<{ id: string }>('POST', '/v1/contacts', {
      phone: '+919876543210',
      name: 'Asha',
      tags: ['loan'],
    });
    const ravi = await api<{ id: string }>('POST', '/v1/contacts', {
      phone: '+919812345678',
      name: 'Ravi',
      tags: ['loan'],
    });
    const template = await api<{ id: string }>('POST', '/v1/templates', {
      name: 'stop_e2e_reminder',
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Dear {{1}}, your payment is due.' }],
      variables: { 'body.1': { field: 'name' } },
    });
    const campaign = await api<{ id: string }>('POST', '/v1/campaigns', {
      name: 'Daily reminder',
      templateId: template.id,
      recurrence: 'DAILY',
      timezone: 'UTC',
      startAt: '2030-01-01T09:00:00Z',
      audience: { tags: ['loan'] },
    });
    await api('POST', `/v1/campaigns/${campaign.id}/activate`);
    expect(await audienceOf(campaign.id, '2030-01-01')).toEqual([asha.id, ravi.id].sort());

    const stop = fixture('inbound-text')
      .replace('Does it come in another color?', 'STOP')
      .replaceAll('16505551234', '919876543210');
    expect((await deliver(webhook.baseUrl, stop)).status).toBe(200);

    const optedOut = await eventually(async () => {
      const contact = await api<{ optedOut: boolean }>('GET', `/v1/contacts/${asha.id}`);
      return contact.optedOut && contact;
    });
    expect(optedOut.optedOut).toBe(true);
    expect((await api<{ optedOut: boolean }>('GET', `/v1/contacts/${ravi.id}`)).optedOut).toBe(false);
    expect(await audienceOf(campaign.id, '2030-01-02')).toEqual([ravi.id]);

    // A later START, its own message, opts her back in for the run after.
    const start = stop
      .replace('"STOP"', '"start"')
      .replace(
        'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgB=',
      )
      .replace('"1749416383"', '"1749417383"');
    expect((await deliver(webhook.baseUrl, start)).status).toBe(200);
    await eventually(async () => !(await api<{ optedOut: boolean }>('GET', `/v1/contacts/${asha.id}`)).optedOut);
    expect(await audienceOf(campaign.id, '2030-01-03')).toEqual([asha.id, ravi.id].sort());
  });
});
