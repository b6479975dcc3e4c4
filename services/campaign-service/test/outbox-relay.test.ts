import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@ektola/platform/config';
import { createLogger } from '@ektola/platform/logger';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { createDatabase, type Sql } from '@ektola/platform/postgres';
import { createTestDatabase, deleteNamespaceStreams, eventually, type TestDatabase, testGrpcTokenEnv, testNatsUrl, uniqueNamespace } from '@ektola/platform/testing';
import { createOutboxRelay } from '../src/adapters/postgres-outbox-relay.ts';
import { buildApp, type App } from '../src/app.ts';
import { configSchema } from '../src/config.ts';
import { campaignQueryClient, runEventCount } from './grpc-clients.ts';

const logger = createLogger({ service: 'campaign-service', level: 'silent' });
const adminKey = `relay-admin-${randomUUID()}`;
let database: TestDatabase;
let namespace: string;
let nc: NatsConnection;
let jsm: JetStreamManager;
let sql: Sql;
const apps: App[] = [];

const configFor = () =>
  parseConfig(configSchema, {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: '0',
    GRPC_PORT: '0',
    EKTOLA_ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'silent',
    ...testGrpcTokenEnv['campaign-service'],
  });

async function startApp(startOutboxRelay: boolean) {
  const app = await buildApp(configFor(), logger, { startOutboxRelay });
  await app.start();
  apps.push(app);
  return app;
}

const pendingOutbox = async () => (await sql<Array<{ count: number }>>`select count(*)::int as count from campaign.outbox where published_at is null`)[0]!.count;

/** A due run written through CreateRun while the service's relay is not running. */
async function runWrittenWithoutRelay(app: App, periodKey: string) {
  const post = (url: string, payload?: object) => app.http.inject({ method: 'POST', url, headers: { authorization: `Bearer ${adminKey}` }, ...(payload ? { payload } : {}) });
  const template = (await post('/v1/templates', { name: `t_${periodKey}`, language: 'en', category: 'UTILITY', status: 'APPROVED', components: [{ type: 'BODY', text: 'Hi' }] })).json();
  await post('/v1/contacts', { phone: `98765${String(40000 + Math.floor(Math.random() * 50000))}` });
  const campaign = (await post('/v1/campaigns', { name: 'c', templateId: template.id, recurrence: 'DAILY', startAt: '2030-01-01T00:00:00Z' })).json();
  expect((await post(`/v1/campaigns/${campaign.id}/activate`)).statusCode).toBe(200);
  const grpc = campaignQueryClient(app.grpcAddress());
  try {
    const answer = await grpc.createRun({ campaignId: campaign.id, periodKey, scheduledFor: '2030-01-01T00:00:00Z' });
    expect(answer.created).toBe(true);
  } finally {
    grpc.close();
  }
}

beforeAll(async () => {
  database = await createTestDatabase('campaign_relay');
  namespace = uniqueNamespace();
  nc = await connect({ servers: testNatsUrl() });
  jsm = await jetstreamManager(nc);
  sql = createDatabase({ url: database.url, logger, applicationName: 'relay-test' });
});

afterAll(async () => {
  for (const app of apps) await app.stop().catch(() => undefined);
  await sql?.end({ timeout: 5 });
  await nc?.close();
  await database?.drop();
  await deleteNamespaceStreams(namespace);
});

describe('outbox relay', () => {
  it('when the service stops after the run was written and before it was published, then the restarted service publishes it exactly once', async () => {
    const stopped = await startApp(false);
    await runWrittenWithoutRelay(stopped, 'restart');
    expect(await pendingOutbox()).toBe(1);
    expect(await runEventCount(jsm, namespace)).toBe(0);
    await stopped.stop();

    const restarted = await startApp(true);
    await eventually(async () => (await pendingOutbox()) === 0);
    expect(await runEventCount(jsm, namespace)).toBe(1);
    await restarted.relay.relayOnce();
    expect(await runEventCount(jsm, namespace)).toBe(1);
    await restarted.stop();
  });

  it('when a relay dies after publishing but before marking the row, then the next relay republishes and JetStream keeps one event', async () => {
    const app = await startApp(false);
    await runWrittenWithoutRelay(app, 'crash');
    const before = await runEventCount(jsm, namespace);
    const publisher = createEventPublisher({ js: jetstream(nc), namespace });
    const dying: EventPublisher = {
      ...publisher,
      async publish(event, payload, options) {
        await publisher.publish(event, payload, options);
        throw new Error('process killed before the row was marked');
      },
    };
    await expect(createOutboxRelay({ sql, publisher: dying, logger, pollMs: 1_000 }).relayOnce()).rejects.toThrow('process killed');
    expect(await runEventCount(jsm, namespace)).toBe(before + 1);
    expect(await pendingOutbox()).toBe(1);

    const next = createOutboxRelay({ sql, publisher, logger, pollMs: 1_000 });
    expect(await next.relayOnce()).toBe(1);
    expect(await pendingOutbox()).toBe(0);
    expect(await runEventCount(jsm, namespace)).toBe(before + 1);
    const info = await jsm.streams.info(`${namespace.toUpperCase()}_RUNS`);
    expect(info.state.messages).toBe(before + 1);
  });
});
