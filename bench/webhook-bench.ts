import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Agent, request } from 'undici';

/*
 * Signed status webhooks against the webhook-service running in this process on real NATS (a fresh
 * namespace), fired with undici from a worker thread so the load generator does not share the
 * service's event loop. Every request must be answered 200; afterwards the stream must hold exactly
 * one event per notification, so the figure is for work done, not for answers given.
 *
 *   node bench/webhook-bench.ts        → {"webhook_rps":…,"p99_ms":…,"n":…}
 *   BENCH_N, BENCH_CONCURRENCY, BENCH_WARMUP; the service's own WEBHOOK_* variables pass through.
 */

interface LoadOptions {
  url: string;
  bodies: Array<{ body: string; signature: string }>;
  concurrency: number;
}

interface LoadResult {
  seconds: number;
  latenciesMs: number[];
  failures: Record<string, number>;
}

async function fire(options: LoadOptions): Promise<LoadResult> {
  const dispatcher = new Agent({ connections: options.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const latenciesMs = Array.from<number>({ length: options.bodies.length });
  const failures: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.bodies.length) {
      const index = next;
      next += 1;
      const item = options.bodies[index]!;
      const sent = performance.now();
      try {
        const response = await request(options.url, {
          method: 'POST',
          body: item.body,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': item.signature },
          dispatcher,
        });
        await response.body.dump();
        if (response.statusCode !== 200) failures[response.statusCode] = (failures[response.statusCode] ?? 0) + 1;
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'error';
        failures[code] = (failures[code] ?? 0) + 1;
      }
      latenciesMs[index] = performance.now() - sent;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { seconds, latenciesMs, failures };
}

if (!isMainThread) {
  const result = await fire(workerData as LoadOptions);
  parentPort?.postMessage(result);
} else {
  const { parseConfig } = await import('@ektola/platform/config');
  const { createLogger } = await import('@ektola/platform/logger');
  const { deleteNamespaceStreams, uniqueNamespace } = await import('@ektola/platform/testing');
  const { streamNameOf } = await import('@ektola/platform/events');
  const { buildApp } = await import('../services/webhook-service/src/app.ts');
  const { configSchema } = await import('../services/webhook-service/src/config.ts');
  const { signatureOf } = await import('../services/webhook-service/src/domain/signature.ts');

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

  const statuses = ['sent', 'delivered', 'read'] as const;
  const notification = (index: number, phase: string) => {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                statuses: [
                  {
                    id: `wamid.${phase}.${Math.floor(index / statuses.length)}`,
                    status: statuses[index % statuses.length],
                    timestamp: String(1_750_000_000 + index),
                    recipient_id: `91987${String(index).padStart(7, '0')}`,
                    biz_opaque_callback_data: crypto.randomUUID(),
                    pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    return { body, signature: signatureOf(body, appSecret) };
  };

  const run = (phase: string, count: number) =>
    new Promise<LoadResult>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: {
          url: `http://127.0.0.1:${port}/webhooks/whatsapp`,
          bodies: Array.from({ length: count }, (_, index) => notification(index, phase)),
          concurrency,
        } satisfies LoadOptions,
      });
      worker.once('message', resolve);
      worker.once('error', reject);
    });

  try {
    await run('warmup', warmup);
    const result = await run('measured', n);
    const failed = Object.values(result.failures).reduce((sum, count) => sum + count, 0);
    if (failed > 0) throw new Error(`${failed} of ${n} webhooks were not answered 200: ${JSON.stringify(result.failures)}`);

    const { jetstreamManager } = await import('@ektola/platform/nats');
    const { connect } = await import('@nats-io/transport-node');
    const nc = await connect({ servers: config.NATS_URL });
    const stored = (await (await jetstreamManager(nc)).streams.info(streamNameOf(namespace, 'WHATSAPP'))).state.messages;
    await nc.close();
    if (stored !== warmup + n) throw new Error(`the stream holds ${stored} events, expected ${warmup + n}`);

    const sorted = result.latenciesMs.toSorted((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
    console.log(JSON.stringify({ webhook_rps: Math.round(n / result.seconds), p99_ms: Math.round(p99 * 10) / 10, n }));
  } finally {
    await app.stop();
    await deleteNamespaceStreams(namespace, config.NATS_URL);
  }
}
