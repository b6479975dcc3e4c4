import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { p99Ms, postMany, templateSendBody } from './http-load.ts';

/*
 * Template sends against the WhatsApp Cloud API simulator running as its own process with every limit
 * off, fired with undici at high concurrency from this process, so the figure is the simulator's own
 * ceiling and not shared with the load generator. Every answer must be 200; anything else is counted
 * and printed, and the simulator's /_sim/stats must agree with the number accepted.
 *
 *   npx node bench/simulator-bench.ts   → {"sim_send_rps":…,"p99_ms":…,"n":…,"failures":{}}
 *   BENCH_N (default 50000), BENCH_CONCURRENCY (128), BENCH_WARMUP (5000);
 *   BENCH_WEBHOOKS=1 also posts status webhooks (sent, delivered, read) to a receiver in this process.
 */

const n = Number(process.env.BENCH_N ?? 50_000);
const warmup = Number(process.env.BENCH_WARMUP ?? 5_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 128);
const withWebhooks = process.env.BENCH_WEBHOOKS === '1';
const token = 'bench-access-token';
const phoneNumberId = '106540352242922';

let webhookPosts = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    webhookPosts += 1;
    res.writeHead(200).end();
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const receiverPort = (receiver.address() as { port: number }).port;

const entry = fileURLToPath(new URL('../test/whatsapp-simulator/src/main.ts', import.meta.url));
const child = spawn(process.execPath, [entry], {
  env: {
    PATH: process.env.PATH ?? '',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    WHATSAPP_ACCESS_TOKEN: token,
    SIMULATOR_THROUGHPUT_MPS: 'unlimited',
    SIMULATOR_PAIR_INTERVAL_MS: '0',
    SIMULATOR_TIER_LIMIT: 'unlimited',
    ...(withWebhooks
      ? {
          SIMULATOR_WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/webhooks/whatsapp`,
          SIMULATOR_WEBHOOK_BATCH_SIZE: '50',
          SIMULATOR_WEBHOOK_BATCH_WINDOW_MS: '20',
        }
      : {}),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});

const baseUrl = await new Promise<string>((resolve, reject) => {
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const match = /"msg":"simulator listening"/.test(buffered) && /"url":"(http:\/\/[^"]+)"/.exec(buffered);
    if (match) resolve(match[1]!);
  });
  child.once('exit', (code) => reject(new Error(`simulator exited with ${code} before listening`)));
});
child.stdout.resume();

const sendUrl = `${baseUrl}/v23.0/${phoneNumberId}/messages`;
const fire = (from: number, count: number) =>
  postMany({
    url: sendUrl,
    count,
    concurrency,
    request: (index) => ({
      body: templateSendBody(from + index),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    }),
  });

try {
  await fire(0, warmup);
  const result = await fire(warmup, n);
  // Statuses trail the last send by the configured delays (about 1.3 s by default).
  if (withWebhooks) await new Promise((resolve) => setTimeout(resolve, 3_000));
  const stats = (await (await request(`${baseUrl}/_sim/stats`)).body.json()) as {
    accepted: number;
    webhooks: { statusesDelivered: number };
  };
  const line = {
    sim_send_rps: Math.round(n / result.seconds),
    p99_ms: p99Ms(result),
    n,
    concurrency,
    accepted_by_simulator: stats.accepted,
    failures: result.failures,
    ...(withWebhooks
      ? { webhook_posts: webhookPosts, webhook_statuses_delivered: stats.webhooks.statusesDelivered }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (stats.accepted !== n + warmup || Object.keys(result.failures).length > 0) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  receiver.close();
}
