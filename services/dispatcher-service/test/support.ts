import { randomUUID } from 'node:crypto';
import { parseConfig } from '@ektola/platform/config';
import type { Clock } from '@ektola/platform/clock';
import { runRequested, type RunGuardrails, type RunSender } from '@ektola/platform/events';
import {
  callServerStream,
  callUnary,
  createGrpcClient,
  loadEktolaProto,
  type DispatchMessage,
  type DispatchQueryClient,
  type GetRunReplyReportsResponse,
  type ListConversationResponse,
  type FindFrequencyCappedResponse,
  type RunSendsPerMinute,
  type SendingOverview,
  type ListMessagesResponse,
  type ListRepliesResponse,
  type RunRecipientBatch,
  type RunStats,
} from '@ektola/platform/grpc';
import { createLogger } from '@ektola/platform/logger';
import { createEventPublisher, jetstream } from '@ektola/platform/nats';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  testGrpcTokenEnv,
  testGrpcTokens,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { configSchema as simulatorConfigSchema, createSimulator } from '@ektola/whatsapp-simulator';
import { connect } from '@nats-io/transport-node';
import postgres from 'postgres';
import { buildApp } from '../src/app.ts';
import { configSchema } from '../src/config.ts';
import type { SenderActivity } from '../src/domain/ports.ts';
import { goldLoanTemplate, startFakeCampaignQuery, type FakeContact } from './fake-campaign-query.ts';

export const phoneNumberId = '106540352242922';
const accessToken = 'dispatcher-test-token';
const appSecret = 'dispatcher-test-app-secret';
const dispatcherMain = new URL('../src/main.ts', import.meta.url).pathname;
const webhookMain = new URL('../../webhook-service/src/main.ts', import.meta.url).pathname;

export const silentLogger = createLogger({ service: 'dispatcher-test', level: 'silent' });

/**
 * Everything around the dispatcher, real except Meta: NATS and PostgreSQL (own namespace and
 * database), the WhatsApp simulator whose webhooks go to a real webhook-service process, and a
 * CampaignQuery serving each run's audience.
 */
export async function startWorld(
  options: { simulator?: Record<string, string>; webhooks?: boolean; webhookEnv?: Record<string, string> } = {},
) {
  const namespace = uniqueNamespace('d');
  const database: TestDatabase = await createTestDatabase('ektola_dispatch');
  const audiences = new Map<string, FakeContact[]>();
  const campaign = await startFakeCampaignQuery(silentLogger, audiences);

  let webhook: ServiceProcess | undefined;
  let webhookUrl: string | undefined;
  if (options.webhooks !== false) {
    const port = await freePort();
    webhook = startServiceProcess(webhookMain, {
      NATS_URL: testNatsUrl(),
      EKTOLA_NAMESPACE: namespace,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      WHATSAPP_APP_SECRET: appSecret,
      WHATSAPP_VERIFY_TOKEN: 'verify',
      ...options.webhookEnv,
    });
    webhookUrl = `http://127.0.0.1:${port}/webhooks/whatsapp`;
    await eventually(async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 30_000, 200);
  }

  const simulator = createSimulator(
    parseConfig(simulatorConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'silent',
      WHATSAPP_ACCESS_TOKEN: accessToken,
      WHATSAPP_APP_SECRET: appSecret,
      WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
      SIMULATOR_THROUGHPUT_MPS: 'unlimited',
      SIMULATOR_WEBHOOK_SENT_DELAY_MS: '20',
      SIMULATOR_WEBHOOK_DELIVERED_DELAY_MS: '50',
      SIMULATOR_WEBHOOK_READ_DELAY_MS: '100',
      SIMULATOR_WEBHOOK_BATCH_SIZE: '50',
      SIMULATOR_WEBHOOK_BATCH_WINDOW_MS: '20',
      ...(webhookUrl ? { SIMULATOR_WEBHOOK_URL: webhookUrl } : {}),
      ...options.simulator,
    }),
    { logger: silentLogger },
  );
  const { url: simulatorUrl } = await simulator.start();
  const sql = postgres(database.url, { max: 2, onnotice: () => undefined });

  const dispatcherEnv = (env: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    OPS_PORT: '0',
    GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
    CAMPAIGN_GRPC_ADDRESS: campaign.address,
    ...testGrpcTokenEnv['dispatcher-service'],
    WHATSAPP_PHONE_NUMBER_ID: phoneNumberId,
    WHATSAPP_ACCESS_TOKEN: accessToken,
    WHATSAPP_API_BASE_URL: `${simulatorUrl}/v23.0`,
    WHATSAPP_RATE_LIMIT: 'false',
    SEND_RETRY_BASE_MS: '200',
    SEND_RETRY_MAX_MS: '2000',
    SEND_TIMEOUT_MS: '3000',
    RECONCILE_WINDOW_MS: '4000',
    SWEEP_INTERVAL_MS: '500',
    BREAKER_RESET_MS: '1000',
    SHUTDOWN_GRACE_MS: '5000',
    ...env,
  });

  // Every process this world starts dies with it, even when a test times out or the runner is killed.
  const children = new Set<ServiceProcess>();
  const killChildren = () => {
    for (const child of children) child.kill('SIGKILL');
  };
  process.once('exit', killChildren);
  if (webhook) children.add(webhook);

  const nc = await connect({ servers: testNatsUrl() });
  const publisher = createEventPublisher({ js: jetstream(nc), namespace });

  return {
    namespace,
    database,
    sql,
    simulator,
    simulatorUrl,
    campaign,
    webhook,
    dispatcherEnv,
    /** Publishes events into this world's namespace as their owners would. */
    publisher,

    /** The dispatcher in this process. */
    async startDispatcher(env: Record<string, string> = {}, deps: { clock?: Clock } = {}) {
      const config = parseConfig(configSchema, dispatcherEnv(env));
      const app = await buildApp(
        config,
        createLogger({ service: 'dispatcher-service', level: config.LOG_LEVEL }),
        deps,
      );
      const ports = await app.start();
      return { ...app, ...ports, query: dispatchQuery(`127.0.0.1:${ports.grpcPort}`) };
    },

    /** The dispatcher as its own process (for SIGKILL and for replicas), `nodeFlags` given to its `node`. */
    async startDispatcherProcess(env: Record<string, string> = {}, nodeFlags: string[] = []) {
      const grpcPort = await freePort();
      const opsPort = await freePort();
      const child = startServiceProcess(
        dispatcherMain,
        dispatcherEnv({ LOG_LEVEL: 'warn', GRPC_PORT: String(grpcPort), OPS_PORT: String(opsPort), ...env }),
        [],
        nodeFlags,
      );
      children.add(child);
      void child.exited.then(() => children.delete(child));
      await Promise.race([
        eventually(async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).ok, 30_000, 200),
        child.exited.then((code) => Promise.reject(new Error(`dispatcher exited (${code}):\n${child.output()}`))),
      ]);
      return { child, opsPort, query: dispatchQuery(`127.0.0.1:${grpcPort}`) };
    },

    /** Gives the run an audience and publishes run.requested as the campaign-service's relay would. */
    async requestRun(
      audience: FakeContact[],
      runId = randomUUID(),
      msgId = `run:${runId}`,
      options: { templateId?: string; guardrails?: RunGuardrails; senders?: RunSender[] } = {},
    ) {
      audiences.set(runId, audience);
      await publisher.publish(
        runRequested,
        {
          runId,
          campaignId: randomUUID(),
          templateId: options.templateId ?? goldLoanTemplate.id,
          ...(options.guardrails ? { guardrails: options.guardrails } : {}),
          ...(options.senders ? { senders: options.senders } : {}),
          periodKey: 'once',
          scheduledFor: new Date().toISOString(),
          requestedAt: new Date().toISOString(),
        },
        { msgId },
      );
      return runId;
    },

    async admin(method: string, path: string, body?: unknown) {
      const response = await fetch(`${simulatorUrl}${path}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },

    simulatorStats: () => simulator.api.stats.snapshot(),

    async statusCounts(runId: string): Promise<Record<string, number>> {
      const rows = await sql<Array<{ status: string; count: number }>>`
        select status, count(*)::int as count from dispatch.messages where run_id = ${runId} group by status`;
      return Object.fromEntries(rows.map((row) => [row.status, row.count]));
    },

    killChildren,

    async stop() {
      killChildren();
      process.removeListener('exit', killChildren);
      await nc.close();
      await sql.end({ timeout: 5 });
      await simulator.stop();
      await webhook?.exited;
      await campaign.stop();
      await database.drop();
      await deleteNamespaceStreams(namespace);
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;

/** DispatchQuery.GetSenderActivity's answer: the domain's activity, with an empty held reason when the number sends. */
export interface GetSenderActivityResponse {
  senders: Array<Omit<SenderActivity, 'heldReason'> & { heldReason: string }>;
}

export function dispatchQuery(address: string) {
  const client = createGrpcClient(loadEktolaProto().ektola.v1.DispatchQuery, address, {
    token: testGrpcTokens['campaign-service'],
  }) as unknown as DispatchQueryClient;
  return {
    stats: (runId: string) => callUnary<{ runId: string }, RunStats>(client.getRunStats.bind(client), { runId }),
    list: (request: { runId: string; status?: string; errorCode?: number; pageSize?: number; pageToken?: string }) =>
      callUnary<typeof request, ListMessagesResponse>(client.listMessages.bind(client), request),
    message: (id: string) => callUnary<{ id: string }, DispatchMessage>(client.getMessage.bind(client), { id }),
    overview: () => callUnary<object, SendingOverview>(client.getSendingOverview.bind(client), {}),
    runSendsPerMinute: (runId: string) =>
      callUnary<{ runId: string }, RunSendsPerMinute>(client.getRunSendsPerMinute.bind(client), { runId }),
    async recipients(request: { runId: string; statuses: string[]; errorCodes?: number[]; batchSize?: number }) {
      const batches: string[][] = [];
      for await (const batch of callServerStream<typeof request, RunRecipientBatch>(
        client.streamRunRecipients.bind(client),
        request,
      ))
        batches.push(batch.contactIds);
      return batches;
    },
    async repliedRecipients(request: { runId: string; statuses: string[] }, replied: boolean) {
      const contactIds: string[] = [];
      for await (const batch of callServerStream<object, RunRecipientBatch>(
        client.streamRepliedRecipients.bind(client),
        { recipients: request, replied },
      ))
        contactIds.push(...batch.contactIds);
      return contactIds;
    },
    conversation: (request: { contactId: string; phone: string; pageSize?: number; pageToken?: string }) =>
      callUnary<typeof request, ListConversationResponse>(client.listConversation.bind(client), request),
    replies: (request: { campaignId?: string; since?: string; pageSize?: number; pageToken?: string }) =>
      callUnary<typeof request, ListRepliesResponse>(client.listReplies.bind(client), request),
    replyReports: (runIds: string[]) =>
      callUnary<{ runIds: string[] }, GetRunReplyReportsResponse>(client.getRunReplyReports.bind(client), { runIds }),
    capped: (request: { contactIds: string[]; maxMessages: number; windowSeconds: number }) =>
      callUnary<typeof request, FindFrequencyCappedResponse>(client.findFrequencyCapped.bind(client), request),
    senderActivity: (phoneNumberIds: string[] = []) =>
      callUnary<{ phoneNumberIds: string[] }, GetSenderActivityResponse>(client.getSenderActivity.bind(client), {
        phoneNumberIds,
      }),
    close: () => client.close(),
  };
}

/** Waits until the run's stats satisfy `done`, returning them. */
export function waitForStats(
  query: ReturnType<typeof dispatchQuery>,
  runId: string,
  done: (stats: RunStats) => boolean,
  timeoutMs = 60_000,
) {
  return eventually(
    async () => {
      const stats = await query.stats(runId);
      return done(stats) ? stats : undefined;
    },
    timeoutMs,
    250,
  );
}
