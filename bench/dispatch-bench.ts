import { contacts } from '../services/dispatcher-service/test/fake-campaign-query.ts';
import { startWorld } from '../services/dispatcher-service/test/support.ts';

/*
 * One run of BENCH_N (default 100,000) contacts through the dispatcher, from run.requested to every
 * message SENT, on real NATS and PostgreSQL with the simulator unthrottled and its status webhooks
 * flowing through a webhook-service process back into the dispatcher. The dispatcher, the simulator
 * (in this process) and the webhook-service each run in their own process, as deployed. The clock
 * stops when the database shows every message SENT or beyond; the simulator must have accepted each
 * message exactly once.
 *
 *   node bench/dispatch-bench.ts   → {"messages":…,"trigger_to_sent_s":…,"sent_per_s":…,"fanout_s":…,"duplicates":…}
 *   BENCH_N; BENCH_WEBHOOKS=false measures sending alone; BENCH_WEBHOOK_BATCH statuses per webhook
 *   request (default 50); DISPATCHER_* settings pass through as the dispatcher's environment
 *   (e.g. DISPATCHER_SEND_CONCURRENCY).
 */

const count = Number(process.env.BENCH_N ?? 100_000);
const passThrough = Object.fromEntries(
  Object.entries(process.env)
    .filter(([key]) => key.startsWith('DISPATCHER_'))
    .map(([key, value]) => [key.slice('DISPATCHER_'.length), value ?? '']),
);

const world = await startWorld({
  webhooks: process.env.BENCH_WEBHOOKS !== 'false',
  simulator: {
    SIMULATOR_PAIR_INTERVAL_MS: '0',
    SIMULATOR_WEBHOOK_BATCH_SIZE: process.env.BENCH_WEBHOOK_BATCH ?? '50',
  },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    world.killChildren();
    process.exit(130);
  });
}
const dispatcher = await world.startDispatcherProcess({ LOG_LEVEL: 'warn', RECONCILE_WINDOW_MS: '120000', ...passThrough });
try {
  const audience = contacts(count, '7');
  const started = performance.now();
  const runId = await world.requestRun(audience);
  let fanoutS: number | undefined;
  for (;;) {
    const [row] = await world.sql<Array<{ total: number; done: number; fanned: boolean }>>`
      select total, sent + delivered + read + failed as done, fanout_done_at is not null as fanned
        from dispatch.runs where id = ${runId}`;
    if (row?.fanned && fanoutS === undefined) fanoutS = (performance.now() - started) / 1000;
    if (row?.fanned && row.done >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const statuses = await world.statusCounts(runId);
  const stats = world.simulatorStats();
  process.stdout.write(
    `${JSON.stringify({
      messages: count,
      trigger_to_sent_s: Number(seconds.toFixed(2)),
      sent_per_s: Math.round(count / seconds),
      fanout_s: Number((fanoutS ?? seconds).toFixed(2)),
      failed: statuses.FAILED ?? 0,
      accepted: stats.accepted,
      duplicates: stats.messageKeys.duplicates,
    })}\n`,
  );
} finally {
  dispatcher.query.close();
  dispatcher.child.kill('SIGTERM');
  await dispatcher.child.exited;
  await world.stop();
}
