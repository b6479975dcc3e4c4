import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { parseConfig } from '@ektola/platform/config';
import { createLogger } from '@ektola/platform/logger';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  type TestDatabase,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { buildApp, type App, type AppOptions } from '../src/app.ts';
import { configSchema, type Config } from '../src/config.ts';

export interface Harness {
  app: App;
  config: Config;
  database: TestDatabase;
  namespace: string;
  adminKey: string;
  /** fastify.inject with the admin key unless the options say otherwise. */
  request(options: InjectOptions & { key?: string | null }): Promise<LightMyRequestResponse>;
  /** POST /v1/contacts/upload of a CSV file with the admin key. */
  uploadCsv(csv: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The service in-process against its own database and NATS namespace, on port 0 for HTTP and gRPC.
 * `env` may be made from the database (to reach it through a proxy); `logTo` receives the log lines.
 */
export async function startHarness(
  env: Record<string, string> | ((database: TestDatabase) => Record<string, string>) = {},
  options: AppOptions = {},
  logTo?: Parameters<typeof createLogger>[1],
): Promise<Harness> {
  const database = await createTestDatabase('campaign_test');
  const namespace = uniqueNamespace();
  const adminKey = `test-admin-${randomUUID()}`;
  const config = parseConfig(configSchema, {
    DATABASE_URL: database.url,
    NATS_URL: testNatsUrl(),
    EKTOLA_NAMESPACE: namespace,
    HOST: '127.0.0.1',
    PORT: '0',
    GRPC_PORT: '0',
    EKTOLA_ADMIN_API_KEY: adminKey,
    LOG_LEVEL: 'silent',
    ...testGrpcTokenEnv['campaign-service'],
    ...(typeof env === 'function' ? env(database) : env),
  });
  const app = await buildApp(
    config,
    createLogger({ service: 'campaign-service', level: config.LOG_LEVEL }, logTo),
    options,
  );
  await app.start();
  return {
    app,
    config,
    database,
    namespace,
    adminKey,
    request({ key, headers, ...rest }) {
      const authorization = key === null ? {} : { authorization: `Bearer ${key ?? adminKey}` };
      return app.http.inject({ ...rest, headers: { ...authorization, ...headers } });
    },
    uploadCsv(csv) {
      return app.http.inject({
        method: 'POST',
        url: '/v1/contacts/upload',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
        payload: csv,
      });
    },
    async close() {
      await app.stop();
      await database.drop();
      await deleteNamespaceStreams(namespace);
    },
  };
}
