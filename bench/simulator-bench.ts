import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';

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
      ? { SIMULATOR_WEBHOOK_URL: `http://127.0.0.1:${receiverPort}/webhooks/whatsapp`, SIMULATOR_WEBHOOK_BATCH_SIZE: '50', SIMULATOR_WEBHOOK_BATCH_WINDOW_MS: '20' }
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

const dispatcher = new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
const sendUrl = `${baseUrl}/v23.0/${phoneNumberId}/messages`;
const bodyFor = (index: number) =>
  JSON.stringify({
    messaging_product: 'whatsapp',
    to: String(919_000_000_000 + index),
    type: 'template',
    biz_opaque_callback_data: `bench-${index}`,
    template: {
      name: 'gold_loan_reminder',
      language: { code: 'en' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: '₹12,500' }] }],
    },
  });

async function fire(from: number, count: number) {
  const latencies = new Float64Array(count);
  const failures: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      const body = bodyFor(from + index);
      const sent = performance.now();
      try {
        const response = await request(sendUrl, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          dispatcher,
        });
        await response.body.dump();
        if (response.statusCode !== 200) failures[response.statusCode] = (failures[response.statusCode] ?? 0) + 1;
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'error';
        failures[code] = (failures[code] ?? 0) + 1;
      }
      latencies[index] = performance.now() - sent;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - started) / 1000, latencies, failures };
}

try {
  await fire(0, warmup);
  const result = await fire(warmup, n);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  // Statuses trail the last send by the configured delays (about 1.3 s by default).
  if (withWebhooks) await new Promise((resolve) => setTimeout(resolve, 3_000));
  const stats = (await (await request(`${baseUrl}/_sim/stats`, { dispatcher })).body.json()) as {
    accepted: number;
    webhooks: { statusesDelivered: number };
  };
  const line = {
    sim_send_rps: Math.round(n / result.seconds),
    p99_ms: Math.round(p99 * 10) / 10,
    n,
    concurrency,
    accepted_by_simulator: stats.accepted,
    failures: result.failures,
    ...(withWebhooks ? { webhook_posts: webhookPosts, webhook_statuses_delivered: stats.webhooks.statusesDelivered } : {}),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (stats.accepted !== n + warmup || Object.keys(result.failures).length > 0) process.exitCode = 1;
} finally {
  await dispatcher.close();
  child.kill('SIGTERM');
  await once(child, 'exit');
  receiver.close();
}
