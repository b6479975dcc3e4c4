import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@ektola/platform/config';
import { createLogger } from '@ektola/platform/logger';
import { suppressionChanged } from '@ektola/platform/events';
import { createMetricsRegistry, type Counter } from '@ektola/platform/metrics';
import { createEventPublisher, type EventPublisher } from '@ektola/platform/nats';
import { createDatabase, type Sql } from '@ektola/platform/postgres';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  type TestDatabase,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { createOutboxRelay, postgresOutboxBacklog } from '../src/adapters/postgres-outbox-relay.ts';
import { createOutboxMetrics } from '../src/transport/campaign-metrics.ts';
import { buildApp, type App } from '../src/app.ts';
import { configSchema } from '../src/config.ts';
import { campaignQueryClient, runEventCount } from './grpc-clients.ts';
import { publishedEvents } from './stream-events.ts';

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

const pendingOutbox = async () =>
  (
    await sql<Array<{ count: number }>>`select count(*)::int as count from campaign.outbox where published_at is null`
  )[0]!.count;

/** A due run written through CreateRun while the service's relay is not running. */
async function runWrittenWithoutRelay(app: App, name: string) {
  const post = (url: string, payload?: object) =>
    app.http.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${adminKey}` },
      ...(payload ? { payload } : {}),
    });
  const template = (
    await post('/v1/templates', {
      name: `t_${name}`,
      language: 'en',
      category: 'UTILITY',
      status: 'APPROVED',
      components: [{ type: 'BODY', text: 'Hi' }],
    })
  ).json();
  await post('/v1/contacts', { phone: `98765${String(40000 + Math.floor(Math.random() * 50000))}` });
  const campaign = (
    await post('/v1/campaigns', {
      name: 'c',
      templateId: template.id,
      recurrence: 'DAILY',
      startAt: '2030-01-01T00:00:00Z',
    })
  ).json();
  expect((await post(`/v1/campaigns/${campaign.id}/activate`)).statusCode).toBe(200);
  const grpc = campaignQueryClient(app.grpcAddress());
  try {
    const answer = await grpc.createRun({
      campaignId: campaign.id,
      periodKey: '2030-01-01',
      scheduledFor: '2030-01-01T00:00:00Z',
    });
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
    await expect(createOutboxRelay({ sql, publisher: dying, logger, pollMs: 1_000 }).relayOnce()).rejects.toThrow(
      'process killed',
    );
    expect(await runEventCount(jsm, namespace)).toBe(before + 1);
    expect(await pendingOutbox()).toBe(1);

    const next = createOutboxRelay({ sql, publisher, logger, pollMs: 1_000 });
    expect(await next.relayOnce()).toBe(1);
    expect(await pendingOutbox()).toBe(0);
    expect(await runEventCount(jsm, namespace)).toBe(before + 1);
    const info = await jsm.streams.info(`${namespace.toUpperCase()}_RUNS`);
    expect(info.state.messages).toBe(before + 1);
  });

  it('when rows cannot be published (unknown event, invalid payload, repeated failures), then each is set aside once with its error and the rows behind them are published', async () => {
    const app = await startApp(false);
    const suppression = (contactId: string) => ({
      contactId,
      phone: '+919876500123',
      suppressed: true,
      reason: 'opted_out',
      occurredAt: '2030-01-01T00:00:00.000Z',
    });
    const [unknown, invalid, failing, good, later] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const write = (id: string, event: string, payload: object, createdAt: string) =>
      sql`insert into campaign.outbox (id, event, payload, created_at) values (${id}, ${event}, ${sql.json(payload as never)}, ${createdAt})`;
    await write(unknown, 'contact.renamed.v1', { contactId: unknown }, '2000-01-01T00:00:00Z');
    await write(
      invalid,
      'suppression.changed.v1',
      { ...suppression(invalid), phone: 'not a phone' },
      '2000-01-01T00:00:01Z',
    );
    await write(failing, 'suppression.changed.v1', suppression(failing), '2000-01-01T00:00:02Z');
    await write(good, 'suppression.changed.v1', suppression(good), '2000-01-01T00:00:03Z');

    const publisher = createEventPublisher({ js: jetstream(nc), namespace });
    // JetStream refuses this one row every time, while the others go through.
    const refusing: EventPublisher = {
      ...publisher,
      async publish(event, payload, options) {
        if (options?.msgId === failing) throw new Error('maximum payload exceeded');
        return publisher.publish(event, payload, options);
      },
    };
    const registry = createMetricsRegistry('campaign-service');
    const relay = createOutboxRelay({
      sql,
      publisher: refusing,
      logger,
      pollMs: 1_000,
      maxAttempts: 2,
      metrics: createOutboxMetrics(registry, postgresOutboxBacklog(sql)),
    });
    expect(await relay.relayOnce()).toBe(1);
    await write(later, 'suppression.changed.v1', suppression(later), '2000-01-01T00:00:04Z');
    expect(await relay.relayOnce()).toBe(1);

    const rows = await sql<
      Array<{ id: string; attempts: number; set_aside: boolean; published: boolean; last_error: string | null }>
    >`
      select id, attempts, set_aside_at is not null as set_aside, published_at is not null as published, last_error
      from campaign.outbox where id in ${sql([unknown, invalid, failing, good, later])}`;
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get(unknown)).toMatchObject({
      set_aside: true,
      published: false,
      attempts: 1,
      last_error: expect.stringContaining('contact.renamed.v1'),
    });
    expect(byId.get(invalid)).toMatchObject({
      set_aside: true,
      published: false,
      attempts: 1,
      last_error: expect.stringContaining('phone'),
    });
    expect(byId.get(failing)).toMatchObject({
      set_aside: true,
      published: false,
      attempts: 2,
      last_error: 'maximum payload exceeded',
    });
    expect(byId.get(good)).toMatchObject({ set_aside: false, published: true });
    expect(byId.get(later)).toMatchObject({ set_aside: false, published: true });
    const published = (await publishedEvents(jsm, namespace, suppressionChanged)).map((event) => event.contactId);
    expect(published).toEqual([good, later]);

    const metrics = await registry.metrics();
    expect(metrics).toMatch(/^ektola_outbox_set_aside\{[^}]*\} 3$/m);
    expect(metrics).toMatch(/^ektola_outbox_set_aside_total\{[^}]*\} 3$/m);
    // Set aside, they are never tried again.
    expect(await relay.relayOnce()).toBe(0);
    await app.stop();
  });

  it('when the relay polls only hourly, then the nudge after each commit publishes its event at once, one pass at a time, each event once', async () => {
    await startApp(false);
    const registry = createMetricsRegistry('campaign-service');
    const relay = createOutboxRelay({
      sql,
      publisher: createEventPublisher({ js: jetstream(nc), namespace }),
      logger,
      pollMs: 60 * 60 * 1000,
      registry,
    });
    const passes = async (outcome: string) => {
      const counter = registry.getSingleMetric('ektola_background_passes_total') as Counter;
      return (
        (await counter.get()).values.find(
          (value) => value.labels.task === 'outbox-relay' && value.labels.outcome === outcome,
        )?.value ?? 0
      );
    };
    relay.start();
    // The pass at start; the next poll is an hour away, so whatever is published after it was nudged.
    await eventually(async () => (await passes('ok')) === 1);

    const ids: string[] = Array.from({ length: 5 }, () => randomUUID());
    for (const id of ids) {
      const payload = {
        contactId: id,
        phone: '+919876500124',
        suppressed: true,
        reason: 'opted_out',
        occurredAt: '2030-01-01T00:00:00.000Z',
      };
      await sql`insert into campaign.outbox (id, event, payload) values (${id}, 'suppression.changed.v1', ${sql.json(payload)})`;
      relay.nudge();
    }
    await eventually(async () => {
      const [row] = await sql<
        Array<{ count: number }>
      >`select count(*)::int as count from campaign.outbox where id in ${sql(ids)} and published_at is not null`;
      return row!.count === ids.length;
    });
    await relay.stop();
    const published = (await publishedEvents(jsm, namespace, suppressionChanged))
      .map((event) => event.contactId)
      .filter((id) => ids.includes(id));
    expect(published).toEqual(ids);
    expect(await passes('failed')).toBe(0);
  });
});
