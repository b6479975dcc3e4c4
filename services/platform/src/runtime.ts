import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import { topologyFor, type ServiceName, type StreamKey } from './events/mod.ts';
import type { Logger } from './logger.ts';
import { createMetricsRegistry } from './metrics.ts';
import { connectNats, natsReadiness, type NatsConnection } from './nats/connection.ts';
import { createEventPublisher, type EventPublisher } from './nats/publisher.ts';
import { provisionTopology } from './nats/topology.ts';
import type { ReadinessCheck } from './ops/readiness.ts';
import { createDatabase, ensureDatabaseExists, postgresReadiness, type Sql } from './postgres/database.ts';
import { migrate } from './postgres/migrations.ts';

export interface RuntimeConfig {
  NATS_URL: string;
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
  DATABASE_URL: string;
  EKTOLA_NAMESPACE: string;
  JETSTREAM_REPLICAS: number;
  CONSUMER_MAX_DELIVERIES?: number;
  JETSTREAM_STREAM_MAX_MB?: Partial<Record<StreamKey, number>>;
}

export interface ServiceRuntime {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  publisher: EventPublisher;
  registry: Registry;
  readiness: Record<string, ReadinessCheck>;
  /** Drains NATS and closes the connections; whatever publishes must have stopped first, since a draining connection takes no new acknowledgements. */
  close(): Promise<void>;
}

export interface ServiceRuntimeWithDatabase extends ServiceRuntime {
  sql: Sql;
}

/**
 * The connections every service needs, made the same way everywhere: NATS with the JetStream layout
 * provisioned (all streams, the service's own consumers), and optionally its PostgreSQL schema migrated.
 */
export async function connectRuntime(options: {
  service: ServiceName;
  config: RuntimeConfig;
  logger: Logger;
  database: { schema: string; migrations: string; poolSize?: number };
}): Promise<ServiceRuntimeWithDatabase>;
export async function connectRuntime(options: {
  service: ServiceName;
  config: RuntimeConfig;
  logger: Logger;
}): Promise<ServiceRuntime>;
export async function connectRuntime(options: {
  service: ServiceName;
  config: RuntimeConfig;
  logger: Logger;
  database?: { schema: string; migrations: string; poolSize?: number };
}): Promise<ServiceRuntime | ServiceRuntimeWithDatabase> {
  const { config, logger, service } = options;
  const registry = createMetricsRegistry(service);
  let sql: Sql | undefined;
  if (options.database) {
    await ensureDatabaseExists(config.DATABASE_URL);
    sql = createDatabase({
      url: config.DATABASE_URL,
      logger,
      applicationName: service,
      ...(options.database.poolSize ? { max: options.database.poolSize } : {}),
    });
    const report = await migrate(sql, { schema: options.database.schema, directory: options.database.migrations });
    logger.info({ schema: options.database.schema, applied: report.applied }, 'migrations checked');
  }

  const nc = await connectNats({
    url: config.NATS_URL,
    name: service,
    logger,
    credentials: { user: config.NATS_USER, password: config.NATS_PASSWORD },
  });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const provisioned = await provisionTopology(
    jsm,
    topologyFor({
      namespace: config.EKTOLA_NAMESPACE,
      replicas: config.JETSTREAM_REPLICAS,
      owner: service,
      ...(config.CONSUMER_MAX_DELIVERIES ? { maxDeliveries: config.CONSUMER_MAX_DELIVERIES } : {}),
      ...(config.JETSTREAM_STREAM_MAX_MB ? { streamMaxMegabytes: config.JETSTREAM_STREAM_MAX_MB } : {}),
    }),
  );
  logger.info({ created: provisioned.created, updated: provisioned.updated }, 'jetstream topology checked');

  const publisher = createEventPublisher({ js, namespace: config.EKTOLA_NAMESPACE, registry });
  const readiness: Record<string, ReadinessCheck> = { nats: natsReadiness(nc) };
  if (sql) readiness.postgres = postgresReadiness(sql);

  const close = async () => {
    await nc.drain().catch((error: unknown) => logger.warn({ err: error }, 'nats drain failed'));
    await sql?.end({ timeout: 5 });
  };
  return sql
    ? { nc, js, jsm, publisher, registry, readiness, close, sql }
    : { nc, js, jsm, publisher, registry, readiness, close };
}
