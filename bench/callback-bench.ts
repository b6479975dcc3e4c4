import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageStatusChanged, type MessageStatusItem } from '@ektola/platform/events';
import { createEventPublisher, jetstream } from '@ektola/platform/nats';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  eventually,
  freePort,
  startServiceProcess,
  testGrpcTokenEnv,
  testNatsUrl,
  uniqueNamespace,
} from '@ektola/platform/testing';
import { connect } from '@nats-io/transport-node';
import { callbackAdmin } from '../services/callback-service/test/support.ts';

/*
 * Callbacks delivered per second by the callback-service, running as its own process exactly as its
 * image does, to a receiver on this machine: N message.status_changed events published to JetStream,
 * timed from the first publish to the last 2xx the receiver answered. Measured with the fast endpoint
 * alone, then beside a second endpoint whose receiver takes 1 s per answer and is subscribed to the
 * same events, then alone again; callbacks_per_s is the mean alone, and the ratio (beside / alone) says
 * how much the slow one costs the fast one.
 *
 *   node bench/callback-bench.ts → {"callbacks_per_s":…,"callbacks_slow_ratio":…,"n":…}
 *   BENCH_CALLBACKS_N (20000); the service's own CALLBACKS_* variables pass through.
 */

const n = Number(process.env.BENCH_CALLBACKS_N ?? 20_000);
const namespace = uniqueNamespace('cbbench');
const database = await createTestDatabase('ektola_cbbench');
const log = (message: string) => process.stderr.write(`[callback bench] ${message}\n`);

// The receiver: counts the 2xx it answered per path; /slow answers after a second.
const answered = new Map<string, number>();
const receiver = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const path = request.url ?? '/';
    const answer = () => {
      answered.set(path, (answered.get(path) ?? 0) + 1);
      response.writeHead(204).end();
    };
    if (path === '/slow') setTimeout(answer, 1_000);
    else answer();
  });
});
receiver.keepAliveTimeout = 10_000;
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = (path: string) => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${path}`;

const grpcPort = await freePort();
const opsPort = await freePort();
const service = startServiceProcess(new URL('../services/callback-service/src/main.ts', import.meta.url).pathname, {
  DATABASE_URL: database.url,
  NATS_URL: testNatsUrl(),
  EKTOLA_NAMESPACE: namespace,
  HOST: '127.0.0.1',
  OPS_PORT: String(opsPort),
  GRPC_PORT: String(grpcPort),
  LOG_LEVEL: 'warn',
  ...testGrpcTokenEnv['callback-service'],
  CALLBACKS_ALLOW_HTTP: 'true',
  CALLBACKS_ALLOW_PRIVATE_NETWORKS: 'true',
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('CALLBACKS_'))),
});
const nc = await connect({ servers: testNatsUrl() });
const admin = callbackAdmin(`127.0.0.1:${grpcPort}`);

try {
  await eventually(async () => (await fetch(`http://127.0.0.1:${opsPort}/readyz`)).ok, 60_000, 200);
  const publisher = createEventPublisher({ js: jetstream(nc), namespace });
  await admin.create({ url: receiverUrl('/fast'), events: ['message.sent'] });
  const slow = await admin.create({ url: receiverUrl('/slow'), events: ['message.sent'] });

  /** Publishes `count` statuses and waits until /fast answered them all; callbacks per second. */
  async function measure(count: number): Promise<number> {
    const before = answered.get('/fast') ?? 0;
    const started = performance.now();
    const runId = randomUUID();
    const campaignId = randomUUID();
    const payloads = Array.from({ length: count }, (_, index): MessageStatusItem => ({
      messageId: randomUUID(),
      runId,
      campaignId,
      contactId: `c${index}`,
      phone: `+9190${String(index).padStart(8, '0')}`,
      status: 'SENT',
      occurredAt: new Date().toISOString(),
    }));
    // As the dispatcher announces them: 200 statuses an event.
    const events: MessageStatusItem[][] = [];
    for (let offset = 0; offset < payloads.length; offset += 200) events.push(payloads.slice(offset, offset + 200));
    await Promise.all(
      events.map((statuses, index) =>
        publisher.publish(messageStatusChanged, { statuses }, { msgId: `${runId}:${index}` }),
      ),
    );
    await eventually(async () => (answered.get('/fast') ?? 0) - before >= count, 600_000, 20);
    return count / ((performance.now() - started) / 1000);
  }

  // Alone: the slow endpoint disabled, so it is not sent anything.
  await admin.update({ id: slow.endpoint?.id ?? '', setEnabled: true, enabled: false });
  await measure(Math.min(2_000, n));
  const alone = await measure(n);
  log(`fast endpoint alone: ${Math.round(alone)}/s`);
  await admin.update({ id: slow.endpoint?.id ?? '', setEnabled: true, enabled: true });
  const beside = await measure(n);
  log(`fast endpoint beside a 1 s endpoint: ${Math.round(beside)}/s (slow answered ${answered.get('/slow') ?? 0})`);
  // Alone once more, the slow endpoint disabled again, so warming up favours neither side of the ratio.
  await admin.update({ id: slow.endpoint?.id ?? '', setEnabled: true, enabled: false });
  const aloneAgain = await measure(n);
  log(`fast endpoint alone again: ${Math.round(aloneAgain)}/s`);
  const aloneMean = (alone + aloneAgain) / 2;
  console.log(
    JSON.stringify({
      callbacks_per_s: Math.round(aloneMean),
      callbacks_slow_ratio: Number((beside / aloneMean).toFixed(3)),
      n,
    }),
  );
} finally {
  admin.close();
  service.kill('SIGTERM');
  await service.exited;
  await nc.close();
  receiver.closeAllConnections();
  receiver.close();
  await database.drop();
  await deleteNamespaceStreams(namespace);
}
