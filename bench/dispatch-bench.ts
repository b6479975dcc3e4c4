import { contacts } from '../services/dispatcher-service/test/fake-campaign-query.ts';
import { startWorld } from '../services/dispatcher-service/test/support.ts';
import { dispatcherNodeFlags, followRun, killOnSignal, meterWorld, passThrough } from './dispatcher-world.ts';

/*
 * One run of BENCH_N (default 100,000) contacts through the dispatcher, from run.requested to every
 * message SENT, on real NATS and PostgreSQL with the simulator unthrottled and its status webhooks
 * flowing through a webhook-service process back into the dispatcher. The dispatcher, the simulator
 * (in this process) and the webhook-service each run in their own process, as deployed. The clock
 * stops when the database shows every message SENT or beyond; the simulator must have accepted each
 * message exactly once.
 *
 *   node bench/dispatch-bench.ts   → {"messages":…,"trigger_to_sent_s":…,"sent_per_s":…,"fanout_s":…,"duplicates":…,"cpu_ms_per_msg":{…},"cpu_s_per_1000":{…}}
 *   BENCH_N; BENCH_WEBHOOKS=false measures sending alone; BENCH_WARM=true runs BENCH_N more contacts
 *   through the same processes afterwards and reports that run's figures as `warm` (what a message costs
 *   once the processes have compiled their hot code; the first run pays that once); BENCH_WEBHOOK_BATCH
 *   statuses per webhook request (default 50); DISPATCHER_* and WEBHOOK_SERVICE_* settings pass through as the dispatcher's
 *   and the webhook-service's environment (e.g. DISPATCHER_SEND_CONCURRENCY, or
 *   DISPATCHER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it); BENCH_DISPATCHER_NODE_FLAGS
 *   for the dispatcher's `node` itself (flags Node refuses in NODE_OPTIONS).
 *
 * cpu_s_per_1000 is the CPU time (user + system) each process spent between the trigger and the last
 * SENT, per 1,000 messages, read from /proc on Linux: the dispatcher, the webhook-service, this
 * process (the simulator and the bench's polling), the PostgreSQL backends of the bench's database,
 * the server's other processes (WAL writer, checkpointer, autovacuum, other databases' backends) and
 * nats-server. cpu_ms_per_msg is the same measure for what issue 21 counts as the product (dispatcher,
 * webhook-service, the bench database's backends, nats-server) in CPU milliseconds per message.
 * BENCH_UNTIL=read moves the end from the last SENT to the last READ or FAILED, so the statuses that
 * arrive after the last send count too (the full lifecycle); BENCH_UNTIL=fanned ends when the run is
 * fanned out, which with DISPATCHER_WHATSAPP_RATE_LIMIT=true and a low DISPATCHER_WHATSAPP_MPS times
 * the fan-out with the sending held back. Unlike the rate, CPU time hardly moves
 * when other work shares the machine, except for what that work does on the same servers: point TEST_DATABASE_SERVER_URL and TEST_NATS_URL at servers of
 * the bench's own to keep postgres_other and nats to the bench.
 */

const count = Number(process.env.BENCH_N ?? 100_000);
const until = (['read', 'fanned'] as const).find((end) => end === process.env.BENCH_UNTIL) ?? 'sent';

const world = await startWorld({
  webhooks: process.env.BENCH_WEBHOOKS !== 'false',
  webhookEnv: passThrough('WEBHOOK_SERVICE_'),
  simulator: {
    SIMULATOR_PAIR_INTERVAL_MS: '0',
    SIMULATOR_WEBHOOK_BATCH_SIZE: process.env.BENCH_WEBHOOK_BATCH ?? '50',
  },
});
killOnSignal(world);
const dispatcher = await world.startDispatcherProcess(
  {
    LOG_LEVEL: 'warn',
    RECONCILE_WINDOW_MS: '120000',
    ...passThrough('DISPATCHER_'),
  },
  dispatcherNodeFlags(),
);
/** The same run again with other contacts, through the processes the first run warmed. */
async function warmRun() {
  const cpu = await meterWorld(world, dispatcher.child.child.pid);
  const started = performance.now();
  const runId = await world.requestRun(contacts(count, '8'));
  const { seconds } = await followRun(world, runId, count, started, until);
  const { perMessage } = cpu.stop(count);
  // Over both runs: a send repeated in either would make its figures wrong.
  const { accepted, messageKeys } = world.simulatorStats();
  return {
    sent_per_s: Math.round(count / seconds),
    cpu_ms_per_msg: perMessage,
    accepted,
    duplicates: messageKeys.duplicates,
  };
}

try {
  const audience = contacts(count, '7');
  const cpu = await meterWorld(world, dispatcher.child.child.pid);
  const started = performance.now();
  const runId = await world.requestRun(audience);
  const { seconds, fanoutS } = await followRun(world, runId, count, started, until);
  const { seconds: cpuSeconds, perMessage } = cpu.stop(count);
  const statuses = await world.statusCounts(runId);
  const stats = world.simulatorStats();
  // How many statuses the simulator's webhook deliveries carried each: what batching per delivery has to share.
  const { webhooks } = (await (await fetch(`${world.simulatorUrl}/_sim/stats`)).json()) as {
    webhooks: { delivered: number; statusesDelivered: number };
  };
  const perThousand = (value: number | undefined) => Number((((value ?? 0) * 1000) / count).toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      messages: count,
      trigger_to_sent_s: Number(seconds.toFixed(2)),
      sent_per_s: Math.round(count / seconds),
      fanout_s: Number(fanoutS.toFixed(2)),
      failed: statuses.FAILED ?? 0,
      accepted: stats.accepted,
      duplicates: stats.messageKeys.duplicates,
      statuses_per_webhook: Number((webhooks.statusesDelivered / Math.max(1, webhooks.delivered)).toFixed(1)),
      cpu_ms_per_msg: perMessage,
      cpu_s_per_1000: {
        dispatcher: perThousand(cpuSeconds.dispatcher),
        webhook: perThousand(cpuSeconds.webhook),
        simulator_and_bench: perThousand(cpuSeconds.self),
        postgres_backends: perThousand(cpuSeconds.postgres_backends),
        postgres_other: perThousand(cpuSeconds.postgres_other),
        nats: perThousand(cpuSeconds.nats),
      },
      ...(process.env.BENCH_WARM === 'true' ? { warm: await warmRun() } : {}),
    })}\n`,
  );
} finally {
  dispatcher.query.close();
  dispatcher.child.kill('SIGTERM');
  await dispatcher.child.exited;
  // Graceful too, so a profiled webhook-service writes its profile.
  world.webhook?.kill('SIGTERM');
  await world.webhook?.exited;
  await world.stop();
}
