import { parseConfig } from '@ektola/platform/config';
import { createLogger } from '@ektola/platform/logger';
import { deleteNamespaceStreams, uniqueNamespace } from '@ektola/platform/testing';
import { buildApp } from '../services/webhook-service/src/app.ts';
import { configSchema } from '../services/webhook-service/src/config.ts';
import { statusesStoredAfter } from './stored-statuses.ts';
import { statusNotifications, webhookBurst } from './webhook-load.ts';

/*
 * Signed status webhooks against the webhook-service running in this process on real NATS (a fresh
 * namespace), fired with undici from a worker thread so the load generator does not share the
 * service's event loop. Every request must be answered 200; afterwards the stream must hold exactly
 * one event per notification, so the figure is for work done, not for answers given.
 *
 *   node bench/webhook-bench.ts        → {"webhook_rps":…,"p99_ms":…,"n":…}
 *   BENCH_N, BENCH_CONCURRENCY, BENCH_WARMUP; the service's own WEBHOOK_* variables pass through.
 */

const n = Number(process.env.BENCH_N ?? 30_000);
const warmup = Number(process.env.BENCH_WARMUP ?? 3_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 128);
const namespace = uniqueNamespace('whbench');
const appSecret = 'bench-app-secret';

const config = parseConfig(configSchema, {
  ...process.env,
  EKTOLA_NAMESPACE: namespace,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  WHATSAPP_APP_SECRET: appSecret,
  WHATSAPP_VERIFY_TOKEN: 'bench-verify-token',
});
const app = await buildApp(config, createLogger({ service: 'webhook-service', level: config.LOG_LEVEL }));
const port = await app.start();
const url = `http://127.0.0.1:${port}/webhooks/whatsapp`;
const fakeMessages = (phase: string) => (message: number) => ({
  wamid: `wamid.${phase}.${message}`,
  callbackData: crypto.randomUUID(),
  recipientId: `91987${String(message).padStart(7, '0')}`,
});

try {
  await webhookBurst(url, statusNotifications(warmup, appSecret, fakeMessages('warmup')), concurrency);
  const result = await webhookBurst(url, statusNotifications(n, appSecret, fakeMessages('measured')), concurrency);

  const stored = await statusesStoredAfter(config.NATS_URL, namespace, 0);
  if (stored !== warmup + n) throw new Error(`the stream holds ${stored} statuses, expected ${warmup + n}`);

  console.log(JSON.stringify({ webhook_rps: Math.round(result.rps), p99_ms: result.p99Ms, n }));
} finally {
  await app.stop();
  await deleteNamespaceStreams(namespace, config.NATS_URL);
}
