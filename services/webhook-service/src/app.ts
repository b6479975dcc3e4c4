import { systemClock, type Clock } from '@ektola/platform/clock';
import { createHttpServer } from '@ektola/platform/http';
import type { LogLevel } from 'fastify';
import type { Logger } from '@ektola/platform/logger';
import { createEventPublisher } from '@ektola/platform/nats';
import { opsRoutes } from '@ektola/platform/ops';
import { connectRuntime } from '@ektola/platform/runtime';
import { trackConnection } from './adapters/nats-connection-state.ts';
import { createNatsEventSink } from './adapters/nats-event-sink.ts';
import type { Config } from './config.ts';
import { createKeywordMatcher } from './domain/keywords.ts';
import { createNotificationTranslator } from './domain/notification-events.ts';
import { createWebhookMetrics } from './transport/webhook-metrics.ts';
import { webhookRoutes } from './transport/webhook-routes.ts';

export async function buildApp(config: Config, logger: Logger, deps: { clock?: Clock } = {}) {
  const runtime = await connectRuntime({ service: 'webhook-service', config, logger });
  const connection = trackConnection(runtime.nc);
  // Its own publisher so JetStream's ack timeout is the request deadline, not the platform default.
  const publisher = createEventPublisher({
    js: runtime.js,
    namespace: config.EKTOLA_NAMESPACE,
    registry: runtime.registry,
    timeoutMs: config.WEBHOOK_PUBLISH_DEADLINE_MS,
  });
  const sink = createNatsEventSink({
    publisher,
    isConnected: connection.isConnected,
    deadlineMs: config.WEBHOOK_PUBLISH_DEADLINE_MS,
    windowMs: config.WEBHOOK_BATCH_WINDOW_MS,
    maxBatch: config.WEBHOOK_BATCH_MAX,
    statusesPerEvent: config.WEBHOOK_STATUSES_PER_EVENT,
    maxInFlight: config.WEBHOOK_MAX_IN_FLIGHT,
  });
  const translate = createNotificationTranslator({
    matchKeyword: createKeywordMatcher({ optOut: config.OPT_OUT_KEYWORDS, optIn: config.OPT_IN_KEYWORDS }),
    clock: deps.clock ?? systemClock,
  });

  let shuttingDown = false;
  const http = await createHttpServer({ logger, bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES });
  await http.register(opsRoutes, {
    registry: runtime.registry,
    checks: runtime.readiness,
    isShuttingDown: () => shuttingDown,
  });
  await http.register(webhookRoutes, {
    appSecret: config.WHATSAPP_APP_SECRET,
    verifyToken: config.WHATSAPP_VERIFY_TOKEN,
    bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
    translate,
    sink,
    metrics: createWebhookMetrics(runtime.registry),
    logLevel: (logger.levelVal > (logger.levels.values.warn ?? 40) ? logger.level : 'warn') as LogLevel,
  });

  return {
    http,
    /** Resolves with the bound port (useful when PORT is 0). */
    async start(): Promise<number> {
      await http.listen({ host: config.HOST, port: config.PORT });
      const address = http.server.address();
      return typeof address === 'object' && address ? address.port : config.PORT;
    },
    async stop() {
      shuttingDown = true;
      // Requests in flight finish first (each waits for its acknowledgements), then NATS drains.
      await http.close();
      connection.stop();
      await runtime.close();
    },
  };
}
