import { randomUUID } from 'node:crypto';
import { parseConfig } from '@ektola/platform/config';
import { createLogger } from '@ektola/platform/logger';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { buildApp } from '../services/campaign-service/src/app.ts';
import { configSchema } from '../services/campaign-service/src/config.ts';

/** The campaign-service in this process on a fresh database and namespace, for a benchmark of one part. */
export async function startCampaignService() {
  const adminKey = `bench-${randomUUID()}`;
  const database = await createTestDatabase('campaign_bench');
  const namespace = uniqueNamespace('bench');
  const config = parseConfig(configSchema, {
    DATABASE_URL: database.url,
    NATS_URL: process.env.NATS_URL ?? testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: '0',
    GRPC_PORT: '0',
    EKTOLA_ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'warn',
    ...testGrpcTokenEnv['campaign-service'],
  });
  const app = await buildApp(config, createLogger({ service: 'campaign-service', level: 'warn' }));
  await app.start();
  return {
    app,
    adminKey,
    databaseUrl: database.url,
    async stop() {
      await app.stop();
      await database.drop();
      await deleteNamespaceStreams(namespace);
    },
  };
}
