import { systemClock, type Clock } from '@ektola/platform/clock';
import {
  runCompleted,
  contactOptedIn,
  contactOptedOut,
  templateStatusChanged,
  whatsappTemplateUpdate,
  whatsappNumberUpdate,
} from '@ektola/platform/events';
import { createGrpcServer, grpcAccess } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { startConsumer } from '@ektola/platform/nats';
import { createPruneMetrics, postgresReadiness } from '@ektola/platform/postgres';
import { connectRuntime } from '@ektola/platform/runtime';
import {
  createCloudApiTemplateSource,
  createCloudApiTemplateSubmission,
} from './adapters/cloud-api-template-source.ts';
import { createCloudApiNumberReader } from './adapters/cloud-api-number-reader.ts';
import { createGrpcCallbackAdmin } from './adapters/grpc-callback-admin.ts';
import { createGrpcDispatchQuery } from './adapters/grpc-dispatch-query.ts';
import { createPostgresContactNames } from './adapters/postgres-contact-names.ts';
import { createPostgresRateCardStore } from './adapters/postgres-rate-card-store.ts';
import { createPostgresGuardrailStore } from './adapters/postgres-guardrail-store.ts';
import { createPostgresApiKeyStore } from './adapters/postgres-api-key-store.ts';
import { createPostgresAudienceDirectory } from './adapters/postgres-audience-directory.ts';
import { createPostgresCampaignStore } from './adapters/postgres-campaign-store.ts';
import { createPostgresContactStore } from './adapters/postgres-contact-store.ts';
import { createPostgresIdempotencyStore } from './adapters/postgres-idempotency-store.ts';
import { createOutboxRelay, postgresOutboxBacklog, postgresPublishedOutbox } from './adapters/postgres-outbox-relay.ts';
import { createPostgresRecipientSets } from './adapters/postgres-recipient-sets.ts';
import { createPostgresRunStore } from './adapters/postgres-run-store.ts';
import { createPostgresSchedulerHealth } from './adapters/postgres-scheduler-health.ts';
import { createPostgresSenderStore } from './adapters/postgres-sender-store.ts';
import { createPostgresSessionStore } from './adapters/postgres-session-store.ts';
import { createPostgresSegmentStore } from './adapters/postgres-segment-store.ts';
import { createPostgresTemplateStore } from './adapters/postgres-template-store.ts';
import { createPostgresTransactions } from './adapters/postgres-transactions.ts';
import { numberSource, templateSource, type Config } from './config.ts';
import { ensureDefaultSender, refreshAllSenders } from './domain/sender-registry.ts';
import { createContactPreferenceHandler } from './transport/consumers/contact-preference-consumer.ts';
import { createNumberUpdateHandler } from './transport/consumers/number-update-consumer.ts';
import { createRunCompletedHandler } from './transport/consumers/run-completed-consumer.ts';
import { createTemplateStatusHandler } from './transport/consumers/template-status-consumer.ts';
import { createTemplateUpdateHandler } from './transport/consumers/template-update-consumer.ts';
import { addCampaignQueryService } from './transport/grpc/campaign-query-service.ts';
import { createCampaignMetrics } from './transport/campaign-metrics.ts';
import { buildApiServer } from './transport/http/api-server.ts';
import { campaignChores, senderChores } from './transport/housekeeping-chores.ts';
import { createSenderMetrics } from './transport/sender-metrics.ts';
import { startHousekeeping } from './transport/housekeeping-timer.ts';

const migrations = new URL('../migrations/', import.meta.url).pathname;
/** Where the console's build lands in the repository and in the image (services/console/dist). */
const consoleBuild = new URL('../../console/dist/', import.meta.url).pathname;

export interface AppOptions {
  clock?: Clock;
  /** Tests stop the relay to show what happens to events written while it is down. */
  startOutboxRelay?: boolean;
}

export async function buildApp(config: Config, logger: Logger, options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const runtime = await connectRuntime({
    service: 'campaign-service',
    config,
    logger,
    database: { schema: 'campaign', migrations },
  });
  const { sql, registry } = runtime;
  const contacts = createPostgresContactStore(sql);
  const templates = createPostgresTemplateStore(sql);
  const campaigns = createPostgresCampaignStore(sql);
  const runs = createPostgresRunStore(sql);
  const segments = createPostgresSegmentStore(sql);
  const audiences = createPostgresAudienceDirectory(sql);
  const rateCards = createPostgresRateCardStore(sql);
  const guardrails = createPostgresGuardrailStore(sql);
  const recipientSets = createPostgresRecipientSets(sql);
  const apiKeys = createPostgresApiKeyStore(sql);
  const idempotency = createPostgresIdempotencyStore(sql);
  const sessions = createPostgresSessionStore(sql);
  const schedulerHealth = createPostgresSchedulerHealth(sql);
  const senders = createPostgresSenderStore(sql);
  const flaggedFactor = config.SENDER_FLAGGED_MPS_FACTOR;
  const metrics = createCampaignMetrics(registry, {
    outbox: postgresOutboxBacklog(sql),
    lastSchedulerSuccess: schedulerHealth.lastSuccessAt,
  });
  // After the campaign metrics, so a metric both declare is the campaign metrics' own.
  const senderMetrics = createSenderMetrics(registry, { senders, flaggedFactor });
  const dispatch = createGrpcDispatchQuery({
    address: config.DISPATCHER_GRPC_ADDRESS,
    deadlineMs: config.DISPATCHER_DEADLINE_MS,
    token: config.GRPC_TOKEN,
  });
  const webhookEndpoints = createGrpcCallbackAdmin({
    address: config.CALLBACK_GRPC_ADDRESS,
    deadlineMs: config.CALLBACK_DEADLINE_MS,
    token: config.GRPC_TOKEN,
  });
  const source = templateSource(config);
  const relay = createOutboxRelay({
    sql,
    publisher: runtime.publisher,
    logger,
    pollMs: config.OUTBOX_POLL_MS,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    metrics: metrics.outbox,
    registry,
  });
  const transactions = createPostgresTransactions(sql, relay.nudge);
  const numbers = numberSource(config);
  const senderRegistry = {
    transactions,
    numbers: numbers ? createCloudApiNumberReader(numbers) : undefined,
    clock,
    flaggedFactor,
    defaultWabaId: config.WHATSAPP_BUSINESS_ACCOUNT_ID,
  };

  if (config.EKTOLA_ADMIN_API_KEY) {
    const bootstrap = await apiKeys.ensureBootstrapKey(config.EKTOLA_ADMIN_API_KEY);
    logger.info({ bootstrap }, 'bootstrap admin key checked');
  }
  if (config.WHATSAPP_PHONE_NUMBER_ID) {
    const { sender, created } = await ensureDefaultSender(
      {
        ...senderRegistry,
        onMetaUnreachable: (error) =>
          logger.warn({ err: error }, 'Meta did not describe the default sender; it is refreshed later'),
      },
      config.WHATSAPP_PHONE_NUMBER_ID,
    );
    logger.info({ senderId: sender.id, created }, 'default sender checked');
  }

  let shuttingDown = false;
  const http = await buildApiServer({
    ...senderRegistry,
    senders,
    logger,
    clock,
    metrics,
    contacts,
    templates,
    campaigns,
    runs,
    segments,
    audiences,
    rateCards,
    guardrails,
    recipientSets,
    transactions,
    graceWindowMs: config.SCHEDULER_GRACE_WINDOW,
    apiKeys,
    sessions,
    consoleDirectory: config.CONSOLE_DIR ?? consoleBuild,
    sessionTtlMs: config.SESSION_TTL_MINUTES * 60_000,
    idempotency,
    dispatch,
    webhookEndpoints,
    contactNames: createPostgresContactNames(sql),
    templateSource: source ? createCloudApiTemplateSource(source) : undefined,
    submission: source ? createCloudApiTemplateSubmission(source) : undefined,
    defaultCountry: config.DEFAULT_COUNTRY,
    uploadLimitBytes: config.UPLOAD_LIMIT_BYTES,
    importsAtOnce: config.IMPORTS_AT_ONCE,
    uploadRoomBytes: config.UPLOAD_ROOM_BYTES,
    jsonBodyLimitBytes: config.JSON_BODY_LIMIT_BYTES,
    importBatchSize: 2_000,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    rateLimitPerAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    trustedProxies: config.TRUSTED_PROXIES,
    unavailableRetry: { deadlineMs: config.UNAVAILABLE_RETRY_MS },
    // PostgreSQL only: the outbox keeps what is published while NATS is away, so a NATS blip must not
    // take every replica out of the load balancer.
    ops: { registry, checks: { postgres: postgresReadiness(sql) }, isShuttingDown: () => shuttingDown },
  });

  const access = grpcAccess({
    'scheduler-service': config.GRPC_SCHEDULER_TOKEN,
    'dispatcher-service': config.GRPC_DISPATCHER_TOKEN,
  });
  const grpc = createGrpcServer({ host: config.HOST, port: config.GRPC_PORT, logger, access });
  addCampaignQueryService(grpc, {
    campaigns,
    templates,
    audiences,
    segments,
    dispatch,
    recipientSets,
    runs,
    transactions,
    schedulerHealth,
    guardrails,
    clock,
    logger,
    metrics,
    flaggedFactor,
  });

  const consumerBase = { js: runtime.js, namespace: config.EKTOLA_NAMESPACE, logger, registry };
  let consumers: Array<{ stop(): Promise<void> }> = [];
  let housekeeping: { stop(): Promise<void> } | undefined;
  let senderRefresh: { stop(): Promise<void> } | undefined;

  let grpcPort = config.GRPC_PORT;

  return {
    http,
    relay,
    /** Where CampaignQuery listens; the bound port when GRPC_PORT is 0. */
    grpcAddress: () => `${config.HOST}:${grpcPort}`,
    async start() {
      await http.listen({ host: config.HOST, port: config.PORT });
      grpcPort = await grpc.start();
      if (options.startOutboxRelay !== false) relay.start();
      consumers = [
        startConsumer({
          ...consumerBase,
          durable: 'campaign-run-completed',
          events: [runCompleted],
          handle: createRunCompletedHandler({ runs, logger }),
        }),
        startConsumer({
          ...consumerBase,
          durable: 'campaign-contact-preference',
          events: [contactOptedOut, contactOptedIn],
          concurrency: 8,
          handle: createContactPreferenceHandler({ transactions, logger }),
        }),
        startConsumer({
          ...consumerBase,
          durable: 'campaign-template-status',
          events: [templateStatusChanged],
          handle: createTemplateStatusHandler({ templates, transactions, metrics, logger }),
        }),
        startConsumer({
          ...consumerBase,
          durable: 'campaign-template-update',
          events: [whatsappTemplateUpdate],
          handle: createTemplateUpdateHandler({
            templates,
            segments,
            audiences,
            rateCards,
            guardrails,
            dispatch,
            recipientSets,
            transactions,
            metrics,
            logger,
          }),
        }),
        startConsumer({
          ...consumerBase,
          durable: 'campaign-number-update',
          events: [whatsappNumberUpdate],
          handle: createNumberUpdateHandler({ transactions, clock, flaggedFactor, logger, metrics: senderMetrics }),
        }),
      ];
      housekeeping = startHousekeeping({
        intervalMs: 60_000,
        clock,
        logger,
        registry,
        chores: campaignChores({
          campaigns,
          idempotency,
          outbox: postgresPublishedOutbox(sql),
          recipientSets,
          sessions,
          pruned: createPruneMetrics(registry),
          campaignEndGraceMs: config.CAMPAIGN_END_GRACE_MS,
          idempotencyTtlHours: config.IDEMPOTENCY_TTL_HOURS,
        }),
      });
      senderRefresh = startHousekeeping({
        intervalMs: config.SENDER_REFRESH_INTERVAL_MS,
        clock,
        logger,
        registry,
        chores: senderChores(() =>
          refreshAllSenders({
            ...senderRegistry,
            senders,
            onFailure: (sender, error) =>
              logger.warn({ err: error, senderId: sender.id }, 'Meta did not describe the sender; kept as it was'),
          }),
        ),
      });
    },
    async stop() {
      shuttingDown = true;
      await http.close();
      await grpc.stop();
      await housekeeping?.stop();
      await senderRefresh?.stop();
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await relay.stop();
      dispatch.close();
      webhookEndpoints.close();
      await runtime.close();
    },
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
