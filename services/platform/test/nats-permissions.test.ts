import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  natsAuthorization,
  natsPermissionsFor,
  runRequested,
  streamNameOf,
  whatsappStatus,
  type NatsService,
} from '../src/events/mod.ts';
import { createLogger } from '../src/logger.ts';
import { acknowledge, connectNats, startConsumer, type Received } from '../src/nats/mod.ts';
import { connectRuntime, type ServiceRuntime } from '../src/runtime.ts';
import { eventually, startNatsServer, uniqueNamespace, type NatsServer } from '../src/testing/mod.ts';

const logger = createLogger({ service: 'test', level: 'silent' });
const namespace = uniqueNamespace('perm');
const passwords: Record<NatsService, string> = {
  'campaign-service': 'campaign-nats-password',
  'dispatcher-service': 'dispatcher-nats-password',
  'webhook-service': 'webhook-nats-password',
  'callback-service': 'callback-nats-password',
};
let server: NatsServer;
const runtimes: ServiceRuntime[] = [];
const connections: NatsConnection[] = [];

const runtimeOf = async (service: NatsService) => {
  const runtime = await connectRuntime({
    service,
    logger,
    config: {
      NATS_URL: server.url,
      NATS_USER: service,
      NATS_PASSWORD: passwords[service],
      DATABASE_URL: 'unused',
      EKTOLA_NAMESPACE: namespace,
      JETSTREAM_REPLICAS: 1,
    },
  });
  runtimes.push(runtime);
  return runtime;
};

const status = {
  wamid: 'wamid.permissions',
  status: 'delivered' as const,
  occurredAt: '2030-01-01T00:00:00Z',
  recipientId: '919876543210',
  phoneNumberId: '106540352242922',
  errors: [],
};

beforeAll(async () => {
  server = await startNatsServer({
    authorization: natsAuthorization(namespace, passwords),
    probe: { user: 'webhook-service', pass: passwords['webhook-service'] },
  });
}, 30_000);

afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
  for (const nc of connections) await nc.close();
  await server?.stop();
});

describe('NATS users with subject permissions from the event catalog', () => {
  it('when the webhook-service publishes a status it owns, then JetStream stores it', async () => {
    const webhook = await runtimeOf('webhook-service');
    const receipt = await webhook.publisher.publish(whatsappStatus, status, { msgId: 'wamid.permissions:delivered' });
    expect(receipt).toMatchObject({ duplicate: false });
  });

  it('when the webhook-service publishes run.requested, then the server refuses it as a permissions violation', async () => {
    const nc = await connect({ servers: server.url, user: 'webhook-service', pass: passwords['webhook-service'] });
    connections.push(nc);
    const payload = new TextEncoder().encode(JSON.stringify({ runId: 'r' }));
    await expect(
      nc.request(`${namespace}.${runRequested.name}.v${runRequested.version}`, payload, { timeout: 2_000 }),
    ).rejects.toThrow(/permissions violation/i);
  });

  it('when a service that does not own the streams deletes one, then the server refuses it, and the owner may', async () => {
    const dispatcher = await runtimeOf('dispatcher-service');
    const stream = streamNameOf(namespace, 'MESSAGES');
    await expect(dispatcher.jsm.streams.delete(stream)).rejects.toThrow(/permissions violation/i);
    const webhook = await runtimeOf('webhook-service');
    await expect(webhook.jsm.streams.delete(stream)).rejects.toThrow(/permissions violation/i);
    expect((await dispatcher.jsm.streams.info(stream)).config.name).toBe(stream);

    const campaign = await runtimeOf('campaign-service');
    await expect(campaign.jsm.streams.delete(stream)).resolves.toBe(true);
    await campaign.close();
    runtimes.splice(runtimes.indexOf(campaign), 1);
    await runtimeOf('campaign-service');
  });

  it('when the dispatcher starts with its user, then it provisions its consumers and consumes the status the webhook-service published', async () => {
    const dispatcher = await runtimeOf('dispatcher-service');
    const received: string[] = [];
    const consumer = startConsumer({
      js: dispatcher.js,
      namespace,
      durable: 'dispatcher-status',
      events: [whatsappStatus],
      logger,
      handle: async (event: Received<typeof whatsappStatus>) => {
        received.push(event.payload.wamid);
        return acknowledge;
      },
    });
    try {
      await eventually(async () => received.includes(status.wamid), 15_000);
    } finally {
      await consumer.stop();
    }
  });

  it("when a client comes without a user, with another service's password, or with a user and no password, then it is not let in", async () => {
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(
      connect({ servers: server.url, user: 'webhook-service', pass: passwords['campaign-service'], reconnect: false }),
    ).rejects.toThrow(/authorization/i);
    await expect(
      connectNats({ url: server.url, name: 'test', logger, credentials: { user: 'webhook-service' } }),
    ).rejects.toThrow(/NATS_PASSWORD: is required when NATS_USER is set/);
  });

  it('when permissions are derived, then each service publishes exactly the events it owns and only the owner may delete', () => {
    const publishes = (service: NatsService) => natsPermissionsFor(service, 'ektola').publish.allow;
    expect(publishes('webhook-service')).toContain('ektola.whatsapp.status.v1');
    expect(publishes('webhook-service')).not.toContain('ektola.run.requested.v1');
    expect(publishes('campaign-service')).toContain('ektola.run.requested.v1');
    expect(publishes('dispatcher-service')).toContain('$JS.API.CONSUMER.MSG.NEXT.EKTOLA_DISPATCH.dispatcher-send');
    expect(publishes('dispatcher-service')).not.toContain(
      '$JS.API.CONSUMER.MSG.NEXT.EKTOLA_RUNS.campaign-run-completed',
    );
    const deleters = (['campaign-service', 'dispatcher-service', 'webhook-service'] as const).filter((service) =>
      publishes(service).some((subject) => subject.startsWith('$JS.API.STREAM.DELETE.')),
    );
    expect(deleters).toEqual(['campaign-service']);
  });
});
