import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '@ektola/platform/clock';
import { createGrpcServer, grpcAccess } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import { createOpsServer } from '@ektola/platform/ops';
import { startPeriodic, type PeriodicTask } from '@ektola/platform/periodic';
import { connectRuntime } from '@ektola/platform/runtime';
import { createBreakingCloudApi } from './adapters/circuit-breaker.ts';
import { boundInFlight } from './adapters/in-flight-bound.ts';
import { createCloudApiClient, developmentCloudApi } from './adapters/cloud-api-client.ts';
import { createGrpcAudienceSource } from './adapters/grpc-campaign-query.ts';
import { createNatsReplyEvents } from './adapters/nats-reply-events.ts';
import { createNatsSendQueue } from './adapters/nats-send-queue.ts';
import { createNatsStatusAnnouncer } from './adapters/nats-status-announcer.ts';
import { createStatusProgress } from './adapters/nats-status-progress.ts';
import { createPostgresFanOutStore } from './adapters/postgres-fan-out-store.ts';
import { createStatusRelay, noStatusOutbox, statusOutbox } from './adapters/postgres-status-outbox.ts';
import { createPostgresMarketingLimitStore } from './adapters/postgres-marketing-limit-store.ts';
import { createNumberGates } from './adapters/number-gates.ts';
import { createPostgresReconciliationStore } from './adapters/postgres-reconciliation-store.ts';
import { createPostgresReplyQueries, createPostgresReplyStore } from './adapters/postgres-replies.ts';
import { createPostgresRetention } from './adapters/postgres-retention.ts';
import { createPostgresRunCancellationStore } from './adapters/postgres-run-cancellation-store.ts';
import { createPostgresRunReports } from './adapters/postgres-run-reports.ts';
import { createPostgresSenderActivity } from './adapters/postgres-sender-activity.ts';
import { createPostgresSenderDirectory } from './adapters/postgres-sender-directory.ts';
import { createPostgresSenderProjection, createPostgresSenderStates } from './adapters/postgres-senders.ts';
import { createPostgresSendingActivity } from './adapters/postgres-sending-activity.ts';
import { createPostgresRunStore } from './adapters/postgres-run-store.ts';
import { createPostgresSendStore } from './adapters/postgres-send-store.ts';
import { createPostgresStatusStore } from './adapters/postgres-status-store.ts';
import { createPostgresSuppressionStore } from './adapters/postgres-suppression-store.ts';
import { createPostgresTemplateHolds } from './adapters/postgres-template-holds.ts';
import { createRunCompletion } from './adapters/run-completion.ts';
import type { Config } from './config.ts';
import { createBatchSender } from './domain/batch-sender.ts';
import { createMarketingLimitRetry } from './domain/marketing-limit.ts';
import { createMessageSkipping } from './domain/message-skipping.ts';
import { createReplyRecording } from './domain/reply-recording.ts';
import { createRunFanOut } from './domain/run-fan-out.ts';
import { createSenderChange } from './domain/sender-change.ts';
import { createTemplateHolding } from './domain/template-holding.ts';
import { createTestSend } from './domain/test-send.ts';
import { startAccountErrorConsumer } from './transport/account-error-consumer.ts';
import { addDispatchQuery } from './transport/dispatch-query-grpc.ts';
import { startInboundConsumer } from './transport/inbound-consumer.ts';
import { createDispatcherMetrics } from './transport/dispatcher-metrics.ts';
import { createReconciliationSweeper } from './transport/reconciliation-sweeper.ts';
import { recoverAfterReconnect } from './transport/reconnect-recovery.ts';
import { createSendObserver } from './transport/send-observer.ts';
import { startRunCancelledConsumer } from './transport/run-cancelled-consumer.ts';
import { startRunRequestedConsumer } from './transport/run-requested-consumer.ts';
import { createFanOutFirst } from './transport/fan-out-first.ts';
import { startSendConsumer } from './transport/send-consumer.ts';
import { startSenderChangedConsumer } from './transport/sender-changed-consumer.ts';
import { startStatusConsumer } from './transport/status-consumer.ts';
import { startSuppressionConsumer } from './transport/suppression-consumer.ts';
import { startTemplateStatusConsumer } from './transport/template-status-consumer.ts';
import { startTestSendConsumer } from './transport/test-send-consumer.ts';

const migrations = new URL('../migrations/', import.meta.url).pathname;

export async function buildApp(config: Config, logger: Logger, deps: { clock?: Clock } = {}) {
  const clock = deps.clock ?? systemClock;
  const runtime = await connectRuntime({
    service: 'dispatcher-service',
    config,
    logger,
    database: { schema: 'dispatch', migrations, poolSize: config.DATABASE_POOL_SIZE },
  });
  const { sql, js, publisher, registry } = runtime;
  const namespace = config.EKTOLA_NAMESPACE;
  const phoneNumberId = config.phoneNumberId;
  const runs = createPostgresRunStore(sql, { marketingLimitRetries: config.MARKETING_LIMIT_RETRY_DELAYS.length });
  const senderActivity = createPostgresSenderActivity({
    sql,
    defaultNumber: phoneNumberId,
    defaultMps: config.WHATSAPP_RATE_LIMIT ? config.WHATSAPP_MPS : undefined,
    defaultTierLimit: config.tierLimit,
  });
  const metrics = createDispatcherMetrics(registry, { runs, held: senderActivity, phoneNumberId });

  const completion = createRunCompletion({ runs, publisher, clock, onCompleted: () => metrics.runCompleted() });
  const senderDirectory = createPostgresSenderDirectory({ sql });
  const numberGates = createNumberGates({
    sql,
    clock,
    senders: senderDirectory,
    config: {
      rateLimit: config.WHATSAPP_RATE_LIMIT,
      defaultMps: config.WHATSAPP_MPS,
      defaultTierLimit: config.tierLimit,
      slotMs: config.RATE_SLOT_MS,
      guardMs: config.RATE_GUARD_MS,
      accountPauseMs: config.ACCOUNT_PAUSE_MS,
      throttlePauseMs: config.THROTTLE_PAUSE_MS,
    },
    onRateWait: metrics.rateLimitWait,
    onRateError: (error) => logger.warn({ err: error }, 'rate limit lease failed; retrying'),
    onBlockedChange: metrics.accountBlocked,
  });
  const { gatesOf } = numberGates;
  const queue = createNatsSendQueue(publisher);

  const client = config.development
    ? developmentCloudApi
    : createCloudApiClient({
        baseUrl: config.apiBaseUrl,
        accessToken: config.WHATSAPP_ACCESS_TOKEN,
        connections: config.HTTP_CONNECTIONS,
        timeoutMs: config.SEND_TIMEOUT_MS,
      });
  const breaking = createBreakingCloudApi(client, {
    errorThresholdPercentage: config.BREAKER_ERROR_THRESHOLD_PERCENT,
    volumeThreshold: config.BREAKER_VOLUME_THRESHOLD,
    resetTimeoutMs: config.BREAKER_RESET_MS,
    rollingWindowMs: config.BREAKER_ROLLING_WINDOW_MS,
    onStateChange: (state) => {
      metrics.circuit(state);
      logger.warn({ state, phoneNumberId }, 'Cloud API circuit breaker changed state');
    },
    onSendTimed: metrics.sendTimed,
  });

  const marketingLimit = createMarketingLimitRetry({
    store: createPostgresMarketingLimitStore(sql),
    queue,
    clock,
    delaysMs: config.MARKETING_LIMIT_RETRY_DELAYS,
  });
  // message.status_changed for each status a message reaches, which the callback-service turns into callbacks.
  const announce = config.MESSAGE_STATUS_EVENTS
    ? createNatsStatusAnnouncer({ publisher, logger, registry })
    : async () => {};
  // The SKIPPED and FAILED nothing would announce again after a crash go through an outbox and its relay.
  let statusRelayTask: PeriodicTask | undefined;
  const outbox = config.MESSAGE_STATUS_EVENTS ? statusOutbox(() => statusRelayTask?.trigger()) : noStatusOutbox;
  const statusRelay = createStatusRelay({ sql, publisher });
  const sendBatch = createBatchSender({
    store: createPostgresSendStore(sql, announce, outbox),
    // No more calls in flight than the client has connections, so none waits in its pool past its rate slot.
    api: boundInFlight(breaking, config.HTTP_CONNECTIONS),
    gates: gatesOf,
    runs: completion,
    clock,
    policy: { retries: config.SEND_RETRIES, baseMs: config.SEND_RETRY_BASE_MS, maxMs: config.SEND_RETRY_MAX_MS },
    claimSize: config.SEND_CLAIM_SIZE,
    sendTimeoutMs: config.SEND_TIMEOUT_MS,
    reconcileWindowMs: config.RECONCILE_WINDOW_MS,
    accountPauseMs: config.ACCOUNT_PAUSE_MS,
    recipientRetryMs: config.RECIPIENT_RETRY_MS,
    breakerOpen: () => breaking.state() === 'open',
    breakerResetMs: config.BREAKER_RESET_MS,
    observer: createSendObserver({ metrics, logger }),
    marketingLimit,
  });
  const skipping = createMessageSkipping({
    suppressions: createPostgresSuppressionStore(sql, announce, outbox),
    cancellations: createPostgresRunCancellationStore(sql, phoneNumberId, outbox),
    runs: completion,
    onSkipped: metrics.skipped,
  });

  const recordInbound = createReplyRecording({
    store: createPostgresReplyStore(sql),
    events: createNatsReplyEvents(publisher),
  });

  const audience = createGrpcAudienceSource({
    address: config.CAMPAIGN_GRPC_ADDRESS,
    token: config.GRPC_TOKEN,
    batchSize: config.FANOUT_BATCH_SIZE,
    streamDeadlineMs: config.CAMPAIGN_STREAM_DEADLINE_MS,
  });
  const fanOutStore = createPostgresFanOutStore(sql, outbox);
  const fanOut = createRunFanOut({
    audience,
    store: fanOutStore,
    queue,
    runs: completion,
    senders: createPostgresSenderStates(sql),
    phoneNumberId,
    sendBatchSize: config.SEND_BATCH_SIZE,
    storesInFlight: config.FANOUT_STORES_IN_FLIGHT,
    clock,
    logger,
    onStored: metrics.stored,
  });
  const fanOutFirst = createFanOutFirst({
    sendConcurrency: config.SEND_CONCURRENCY,
    whileFanningOut: config.FANOUT_SEND_CONCURRENCY,
    onFanOuts: metrics.fanOuts,
  });
  const senderChanged = createSenderChange({
    projection: createPostgresSenderProjection(sql),
    queue,
    sendBatchSize: config.SEND_BATCH_SIZE,
  });
  const templateHolding = createTemplateHolding({
    holds: createPostgresTemplateHolds(sql),
    queue,
    sendBatchSize: config.SEND_BATCH_SIZE,
  });

  const testSend = createTestSend({
    audience,
    store: fanOutStore,
    queue,
    runs: completion,
    phoneNumberId,
  });

  const sweeper = createReconciliationSweeper({
    store: createPostgresReconciliationStore(sql),
    runs: completion,
    queue,
    publisher,
    statusProgress: createStatusProgress(runtime.jsm, namespace),
    clock,
    logger,
    registry,
    metrics,
    intervalMs: config.SWEEP_INTERVAL_MS,
    maxAttempts: config.SEND_RETRIES + 1,
    sendBatchSize: config.SEND_BATCH_SIZE,
    rateSlotMs: config.RATE_SLOT_MS,
  });

  const consumerBase = { js, namespace, logger, registry };

  let shuttingDown = false;
  // The ops server listens first, so probes answer while the rest starts; ready only once all of it has.
  let starting = true;
  const ops = createOpsServer({
    logger,
    host: config.HOST,
    port: config.OPS_PORT,
    registry,
    checks: runtime.readiness,
    isShuttingDown: () => shuttingDown,
    isStarting: () => starting,
  });
  const grpc = createGrpcServer({
    host: config.HOST,
    port: config.GRPC_PORT,
    logger,
    access: grpcAccess({ 'campaign-service': config.GRPC_CAMPAIGN_TOKEN }),
  });
  addDispatchQuery(grpc, {
    runs,
    reports: createPostgresRunReports(sql),
    replies: createPostgresReplyQueries(sql),
    logger,
    blockers: [numberGates.blocker, breaking, senderActivity],
    activity: createPostgresSendingActivity(sql),
    senders: senderActivity,
  });

  let consumers: Array<{ stop(): Promise<void> }> = [];
  let reconnects: { stop(): Promise<void> } | undefined;
  const retention = createPostgresRetention({
    sql,
    messageRetentionDays: config.MESSAGE_RETENTION_DAYS,
    batchSize: config.RETENTION_BATCH_SIZE,
    metrics: metrics.prune,
  });
  let retentionTask: PeriodicTask | undefined;

  return {
    ops,
    grpc,
    /** Resolves with the bound ports (useful when asked for port 0). */
    async start(): Promise<{ opsPort: number; grpcPort: number }> {
      const opsPort = await ops.start();
      const grpcPort = await grpc.start();
      await gatesOf(phoneNumberId).numbers.hold();
      consumers = [
        startSendConsumer({
          ...consumerBase,
          concurrency: config.SEND_CONCURRENCY,
          circuit: breaking,
          fanOutFirst,
          sendBatch,
        }),
        startRunRequestedConsumer({ ...consumerBase, fanOut, fanOutFirst }),
        startStatusConsumer({
          ...consumerBase,
          store: createPostgresStatusStore(sql, announce),
          runs: completion,
          marketingLimit,
          metrics,
          batchSize: config.STATUS_BATCH_SIZE,
          batchWaitMs: config.STATUS_BATCH_WAIT_MS,
          maxDeliveries: config.STATUS_MAX_DELIVERIES,
        }),
        startAccountErrorConsumer({ ...consumerBase, phoneNumberId, gatesOf }),
        startSenderChangedConsumer({ ...consumerBase, senderChanged }),
        startTemplateStatusConsumer({ ...consumerBase, templateHolding }),
        startSuppressionConsumer({ ...consumerBase, skipping }),
        startRunCancelledConsumer({ ...consumerBase, skipping }),
        startInboundConsumer({ ...consumerBase, recordInbound }),
        startTestSendConsumer({ ...consumerBase, testSend }),
      ];
      // Listening before the start-up pass, so a reconnect during it is not missed.
      reconnects = recoverAfterReconnect(
        runtime.nc,
        (stopping) => sweeper.recoverAfterReconnect(randomUUID(), stopping),
        logger,
        registry,
      );
      await sweeper.recoverPending(randomUUID());
      sweeper.start();
      retentionTask = startPeriodic({
        name: 'dispatcher-retention',
        intervalMs: config.RETENTION_INTERVAL_MS,
        logger,
        registry,
        pass: (signal) => retention.prune(clock.now(), signal),
      });
      if (config.MESSAGE_STATUS_EVENTS)
        statusRelayTask = startPeriodic({
          name: 'dispatcher-status-relay',
          intervalMs: config.STATUS_RELAY_INTERVAL_MS,
          logger,
          registry,
          pass: (signal) => statusRelay.relay(signal),
        });
      if (config.development)
        logger.warn(
          'development mode (EKTOLA_DEVELOPMENT_MODE): messages become SENT with dev_ ids and nothing reaches the Cloud API',
        );
      logger.info(
        {
          development: config.development,
          phoneNumberId,
          mps: config.WHATSAPP_RATE_LIMIT ? config.WHATSAPP_MPS : 'unlimited',
        },
        'dispatcher started',
      );
      starting = false;
      return { opsPort, grpcPort };
    },
    async stop() {
      shuttingDown = true;
      await grpc.stop();
      await sweeper.stop();
      await retentionTask?.stop();
      await reconnects?.stop();
      // In-flight batches finish and write their results; fetched but unstarted work goes back.
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      // After the consumers: what their last batches left in the outbox is published before NATS closes.
      await statusRelayTask?.stop();
      breaking.shutdown();
      await client.close();
      audience.close();
      await runtime.close();
      await ops.stop();
    },
  };
}
