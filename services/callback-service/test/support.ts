import { randomUUID } from 'node:crypto';
import { parseConfig } from '@ektola/platform/config';
import { messageStatusChanged, runCompleted, type MessageStatusItem } from '@ektola/platform/events';
import {
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type CallbackAdminClient,
  type ListWebhookDeliveriesResponse,
  type WebhookDeliveryMessage,
  type WebhookEndpointMessage,
  type WebhookEndpointWithSecret,
} from '@ektola/platform/grpc';
import { createLogger } from '@ektola/platform/logger';
import { createEventPublisher, jetstream } from '@ektola/platform/nats';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  testGrpcTokenEnv,
  testGrpcTokens,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { connect } from '@nats-io/transport-node';
import postgres from 'postgres';
import { buildApp } from '../src/app.ts';
import { configSchema } from '../src/config.ts';
import { startReceiver } from './receiver.ts';

/** The CallbackAdmin client the campaign-service would hold. */
export function callbackAdmin(address: string) {
  const client: CallbackAdminClient = createGrpcClient(loadEktolaProto().ektola.v1.CallbackAdmin, address, {
    token: testGrpcTokens['campaign-service'],
  });
  const call = <Req, Res>(method: keyof CallbackAdminClient & string, request: Req) =>
    callUnary<Req, Res>(
      (client[method] as (...args: never[]) => unknown).bind(client) as Parameters<typeof callUnary<Req, Res>>[0],
      request,
    );
  return {
    create: (request: { url: string; events: string[]; description?: string }) =>
      call<typeof request, WebhookEndpointWithSecret>('createWebhookEndpoint', request),
    get: (id: string) => call<{ id: string }, WebhookEndpointMessage>('getWebhookEndpoint', { id }),
    update: (request: { id: string; setEnabled?: boolean; enabled?: boolean }) =>
      call<typeof request, WebhookEndpointMessage>('updateWebhookEndpoint', request),
    rotate: (id: string) => call<{ id: string }, WebhookEndpointWithSecret>('rotateWebhookSecret', { id }),
    ping: (id: string) => call<{ id: string }, WebhookDeliveryMessage>('sendTestEvent', { id }),
    deliveries: (endpointId: string, status = '') =>
      call<{ endpointId: string; status: string; limit: number }, ListWebhookDeliveriesResponse>(
        'listWebhookDeliveries',
        { endpointId, status, limit: 500 },
      ),
    retry: (endpointId: string, deliveryId: string) =>
      call<{ endpointId: string; deliveryId: string }, WebhookDeliveryMessage>('retryWebhookDelivery', {
        endpointId,
        deliveryId,
      }),
    close: () => (client as unknown as { close(): void }).close(),
  };
}

/** The environment of a callback-service against this world's NATS namespace and database. */
export function callbackEnv(world: { namespace: string; databaseUrl: string }, env: Record<string, string> = {}) {
  return {
    DATABASE_URL: world.databaseUrl,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: world.namespace,
    HOST: '127.0.0.1',
    OPS_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
    ...testGrpcTokenEnv['callback-service'],
    CALLBACKS_ALLOW_HTTP: 'true',
    CALLBACKS_ALLOW_PRIVATE_NETWORKS: 'true',
    CALLBACKS_RETRY_SCHEDULE: '100ms,200ms,400ms,800ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s',
    CALLBACKS_IDLE_MS: '200',
    ...env,
  };
}

/** A callback-service in this process with its own database and namespace, a receiver, and a publisher for source events. */
export async function startCallbackWorld(env: Record<string, string> = {}) {
  const namespace = uniqueNamespace('cb');
  const database = await createTestDatabase('ektola_callbacks');
  const receiver = await startReceiver();
  const config = parseConfig(configSchema, callbackEnv({ namespace, databaseUrl: database.url }, env));
  const app = await buildApp(config, createLogger({ service: 'callback-service', level: config.LOG_LEVEL }));
  const { grpcPort } = await app.start();
  const admin = callbackAdmin(`127.0.0.1:${grpcPort}`);
  const nc = await connect({ servers: testNatsUrl() });
  const publisher = createEventPublisher({ js: jetstream(nc), namespace });
  const sql = postgres(database.url, { max: 2, onnotice: () => undefined });

  return {
    namespace,
    database,
    receiver,
    admin,
    app,
    grpcPort,
    sql,
    /** Subscribes a receiver path and trusts its secret there. */
    async subscribe(path: string, events: string[]) {
      const created = await admin.create({ url: receiver.url(path), events });
      receiver.trust(path, created.secret);
      return created;
    },
    /** One status, as the dispatcher announces it (an event of one item). */
    async publishStatus(overrides: Partial<MessageStatusItem> = {}) {
      const payload: MessageStatusItem = {
        messageId: randomUUID(),
        runId: randomUUID(),
        campaignId: randomUUID(),
        contactId: randomUUID(),
        phone: '+919876543210',
        status: 'SENT',
        occurredAt: new Date().toISOString(),
        ...overrides,
      };
      await publisher.publish(
        messageStatusChanged,
        { statuses: [payload] },
        { msgId: `${payload.messageId}:${payload.status}` },
      );
      return payload;
    },
    async publishRunCompleted(runId: string = randomUUID()) {
      await publisher.publish(
        runCompleted,
        {
          runId,
          campaignId: randomUUID(),
          completedAt: new Date().toISOString(),
          counts: { pending: 0, sending: 0, sent: 1, delivered: 0, read: 0, failed: 0, skipped: 0 },
        },
        { msgId: `run.completed:${runId}` },
      );
      return runId;
    },
    async stop() {
      await app.stop();
      admin.close();
      await nc.close();
      await sql.end({ timeout: 5 });
      await receiver.stop();
      await database.drop();
      await deleteNamespaceStreams(namespace);
    },
  };
}

export type CallbackWorld = Awaited<ReturnType<typeof startCallbackWorld>>;
