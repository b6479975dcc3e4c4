import { readdirSync, readFileSync } from 'node:fs';
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
 *   node bench/dispatch-bench.ts   → {"messages":…,"trigger_to_sent_s":…,"sent_per_s":…,"fanout_s":…,"duplicates":…,"cpu_s_per_1000":{…}}
 *   BENCH_N; BENCH_WEBHOOKS=false measures sending alone; BENCH_WEBHOOK_BATCH statuses per webhook
 *   request (default 50); DISPATCHER_* and WEBHOOK_SERVICE_* settings pass through as the dispatcher's
 *   and the webhook-service's environment (e.g. DISPATCHER_SEND_CONCURRENCY, or
 *   DISPATCHER_NODE_OPTIONS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
 *
 * cpu_s_per_1000 is the CPU time (user + system) each process spent between the trigger and the last
 * SENT, per 1,000 messages, read from /proc on Linux: the dispatcher, the webhook-service, this
 * process (the simulator and the bench's polling), the PostgreSQL backends of the bench's database,
 * the server's other processes (WAL writer, checkpointer, autovacuum, other databases' backends) and
 * nats-server. Unlike the rate it hardly moves when other work shares the machine, except for what
 * that work does on the same servers: point TEST_DATABASE_SERVER_URL and TEST_NATS_URL at servers of
 * the bench's own to keep postgres_other and nats to the bench.
 */

const count = Number(process.env.BENCH_N ?? 100_000);
const passThrough = (prefix: string) =>
  Object.fromEntries(
    Object.entries(process.env)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value ?? '']),
  );

/** CPU seconds (user + system) of processes on Linux, sampled so that processes which exit early still count. */
function createCpuMeter(
  classify: (process: { pid: number; parent: number; comm: string; cmdline: string }) => string | undefined,
) {
  const ticksPerSecond = 100;
  const seen = new Map<number, { category: string; first: number; last: number }>();
  const read = (pid: number): { comm: string; parent: number; ticks: number } | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      // After "(comm) ": state, ppid, …; utime and stime are the 14th and 15th fields of the line.
      const fields = stat.slice(close + 2).split(' ');
      return {
        comm: stat.slice(stat.indexOf('(') + 1, close),
        parent: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      };
    } catch {
      return undefined;
    }
  };
  const sample = (initial: boolean) => {
    let pids: number[];
    try {
      pids = readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .map(Number);
    } catch {
      return;
    }
    for (const pid of pids) {
      const known = seen.get(pid);
      const stat = read(pid);
      if (!stat) continue;
      if (known) {
        known.last = stat.ticks;
        continue;
      }
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      } catch {
        continue;
      }
      const category = classify({ pid, parent: stat.parent, comm: stat.comm, cmdline });
      // A process born after the start counts from zero.
      if (category) seen.set(pid, { category, first: initial ? stat.ticks : 0, last: stat.ticks });
    }
  };
  sample(true);
  const self = process.cpuUsage();
  const timer = setInterval(() => sample(false), 500);
  return {
    /** CPU seconds per category since the meter started; `self` is this process. */
    stop(): Record<string, number> {
      clearInterval(timer);
      sample(false);
      const own = process.cpuUsage(self);
      const totals: Record<string, number> = { self: (own.user + own.system) / 1e6 };
      for (const { category, first, last } of seen.values())
        totals[category] = (totals[category] ?? 0) + (last - first) / ticksPerSecond;
      return totals;
    },
  };
}

const world = await startWorld({
  webhooks: process.env.BENCH_WEBHOOKS !== 'false',
  webhookEnv: passThrough('WEBHOOK_SERVICE_'),
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
const dispatcher = await world.startDispatcherProcess({
  LOG_LEVEL: 'warn',
  RECONCILE_WINDOW_MS: '120000',
  ...passThrough('DISPATCHER_'),
});
try {
  const audience = contacts(count, '7');
  const dispatcherPid = dispatcher.child.child.pid;
  const webhookPid = world.webhook?.child.pid;
  // The PostgreSQL server the bench uses is the parent of one of its backends.
  const [{ pid: backendPid } = { pid: 0 }] = await world.sql<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
  const postmasterPid = Number(readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  const cpu = createCpuMeter(({ pid, parent, comm, cmdline }) => {
    if (pid === dispatcherPid) return 'dispatcher';
    if (pid === webhookPid) return 'webhook';
    if (comm === 'nats-server') return 'nats';
    if (pid === postmasterPid) return 'postgres_other';
    if (parent !== postmasterPid) return undefined;
    return cmdline.includes(` ${world.database.name} `) ? 'postgres_backends' : 'postgres_other';
  });
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
  const cpuSeconds = cpu.stop();
  const statuses = await world.statusCounts(runId);
  const stats = world.simulatorStats();
  const perThousand = (value: number | undefined) => Number((((value ?? 0) * 1000) / count).toFixed(3));
  process.stdout.write(
    `${JSON.stringify({
      messages: count,
      trigger_to_sent_s: Number(seconds.toFixed(2)),
      sent_per_s: Math.round(count / seconds),
      fanout_s: Number((fanoutS ?? seconds).toFixed(2)),
      failed: statuses.FAILED ?? 0,
      accepted: stats.accepted,
      duplicates: stats.messageKeys.duplicates,
      cpu_s_per_1000: {
        dispatcher: perThousand(cpuSeconds.dispatcher),
        webhook: perThousand(cpuSeconds.webhook),
        simulator_and_bench: perThousand(cpuSeconds.self),
        postgres_backends: perThousand(cpuSeconds.postgres_backends),
        postgres_other: perThousand(cpuSeconds.postgres_other),
        nats: perThousand(cpuSeconds.nats),
      },
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
