import { systemClock, type Clock } from '@ektola/platform/clock';
import { createGrpcServer, grpcAccess } from '@ektola/platform/grpc';
import type { Logger } from '@ektola/platform/logger';
import type { RunningConsumer } from '@ektola/platform/nats';
import { createOpsServer } from '@ektola/platform/ops';
import { startPeriodic, type PeriodicTask } from '@ektola/platform/periodic';
import { createPruneMetrics } from '@ektola/platform/postgres';
import { connectRuntime } from '@ektola/platform/runtime';
import { dnsAddressResolver } from './adapters/dns-address-resolver.ts';
import { createPostgresDeliveryStore } from './adapters/postgres-delivery-store.ts';
import { createPostgresEndpointStore } from './adapters/postgres-endpoint-store.ts';
import { createPostgresRetention } from './adapters/postgres-retention.ts';
import { createUndiciCallbackSender } from './adapters/undici-callback-sender.ts';
import type { Config } from './config.ts';
import { createDeliveryWorker } from './domain/delivery-worker.ts';
import { createEndpointAdmin } from './domain/endpoint-admin.ts';
import { addCallbackAdmin } from './transport/callback-admin-grpc.ts';
import { createCallbackMetrics } from './transport/callback-metrics.ts';
import { startEventConsumers } from './transport/event-consumers.ts';

const migrations = new URL('../migrations/', import.meta.url).pathname;

export async function buildApp(config: Config, logger: Logger, deps: { clock?: Clock } = {}) {
  const clock = deps.clock ?? systemClock;
  const runtime = await connectRuntime({
    service: 'callback-service',
    config,
    logger,
    database: { schema: 'callbacks', migrations, poolSize: config.DATABASE_POOL_SIZE },
  });
  const { sql, registry } = runtime;
  let nudge = () => {};
  const store = createPostgresDeliveryStore(sql, { onRecorded: () => nudge() });
  const sender = createUndiciCallbackSender({
    timeoutMs: config.CALLBACKS_TIMEOUT_MS,
    allowPrivateNetworks: config.CALLBACKS_ALLOW_PRIVATE_NETWORKS,
  });
  const worker = createDeliveryWorker({
    queue: store,
    events: store,
    sender,
    clock,
    metrics: createCallbackMetrics(registry, store),
    schedule: config.CALLBACKS_RETRY_SCHEDULE,
    maxInFlight: config.CALLBACKS_MAX_IN_FLIGHT,
    perEndpoint: config.CALLBACKS_PER_ENDPOINT,
    leaseMs: config.CALLBACKS_TIMEOUT_MS * 3,
    disableAfterMs: config.CALLBACKS_DISABLE_AFTER_MS,
    idleMs: config.CALLBACKS_IDLE_MS,
    onError: (error, context) =>
      logger.warn({ err: error, context }, 'callback delivery step failed; the lease lapses and it is tried again'),
  });
  nudge = worker.nudge;
  const admin = createEndpointAdmin({
    endpoints: createPostgresEndpointStore(sql),
    events: store,
    deliveries: store,
    resolver: dnsAddressResolver,
    policy: {
      allowHttp: config.CALLBACKS_ALLOW_HTTP,
      allowPrivateNetworks: config.CALLBACKS_ALLOW_PRIVATE_NETWORKS,
    },
    clock,
    rotationOverlapMs: config.CALLBACKS_SECRET_OVERLAP_MS,
    nudge: worker.nudge,
  });

  let shuttingDown = false;
  const ops = createOpsServer({
    logger,
    host: config.HOST,
    port: config.OPS_PORT,
    registry,
    checks: runtime.readiness,
    isShuttingDown: () => shuttingDown,
  });
  const grpc = createGrpcServer({
    host: config.HOST,
    port: config.GRPC_PORT,
    logger,
    access: grpcAccess({ 'campaign-service': config.GRPC_CAMPAIGN_TOKEN }),
  });
  addCallbackAdmin(grpc, { admin, logger });

  const retention = createPostgresRetention({
    sql,
    retentionDays: config.CALLBACKS_RETENTION_DAYS,
    batchSize: 5_000,
    metrics: createPruneMetrics(registry),
  });
  let retentionTask: PeriodicTask | undefined;
  let consumers: RunningConsumer[] = [];
  return {
    ops,
    grpc,
    /** Resolves with the bound ports (useful when asked for port 0). */
    async start(): Promise<{ opsPort: number; grpcPort: number }> {
      const opsPort = await ops.start();
      const grpcPort = await grpc.start();
      consumers = startEventConsumers({
        js: runtime.js,
        namespace: config.EKTOLA_NAMESPACE,
        logger,
        registry,
        events: store,
        batchSize: config.CALLBACKS_CONSUMER_BATCH,
        batchWaitMs: config.CALLBACKS_CONSUMER_WAIT_MS,
      });
      worker.start();
      retentionTask = startPeriodic({
        name: 'callback-retention',
        intervalMs: config.CALLBACKS_RETENTION_INTERVAL_MS,
        logger,
        registry,
        pass: (signal) => retention.prune(clock.now(), signal),
      });
      logger.info(
        { allowHttp: config.CALLBACKS_ALLOW_HTTP, allowPrivateNetworks: config.CALLBACKS_ALLOW_PRIVATE_NETWORKS },
        'callback-service started',
      );
      return { opsPort, grpcPort };
    },
    async stop() {
      shuttingDown = true;
      await grpc.stop();
      await retentionTask?.stop();
      // Fetched events not yet recorded go back to JetStream; attempts in flight finish and are settled.
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      await worker.stop();
      await sender.close();
      await runtime.close();
      await ops.stop();
    },
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
