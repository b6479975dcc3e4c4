import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
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
import { uploadContacts } from './contacts-csv.ts';

// `node bench/contacts-import.ts [rows]`: the campaign-service in-process on a fresh database, one
// generated CSV streamed to POST /v1/contacts/upload over HTTP, one JSON line with the result.
const rows = Number(process.argv[2] ?? 100_000);
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

const baselineRss = process.memoryUsage().rss;
let peakRss = baselineRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);

try {
  const { port } = app.http.server.address() as AddressInfo;
  const { seconds, result } = await uploadContacts(`http://127.0.0.1:${port}`, adminKey, rows);
  clearInterval(sampler);
  console.log(
    JSON.stringify({
      import_s: Number(seconds.toFixed(2)),
      rows,
      imported: result.imported,
      updated: result.updated,
      rejected: result.rejectedCount,
      rows_per_s: Math.round(rows / seconds),
      rss_mb: Math.round(peakRss / 1024 / 1024),
      rss_before_mb: Math.round(baselineRss / 1024 / 1024),
    }),
  );
} finally {
  clearInterval(sampler);
  await app.stop();
  await database.drop();
  await deleteNamespaceStreams(namespace);
}
