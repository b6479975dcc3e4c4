import { testNatsUrl } from '@ektola/platform/testing';
import type { World } from '../services/dispatcher-service/test/support.ts';
import { createProductCpuMeter, postmasterOf } from './cpu-meter.ts';

/** The variables named `<prefix>X`, as `X`: how the benches pass settings through to one process. */
export function passThrough(prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value ?? '']),
  );
}

/**
 * BENCH_DISPATCHER_NODE_FLAGS: flags for the dispatcher's `node` itself, space-separated, for those Node
 * refuses in NODE_OPTIONS (e.g. "--heap-growing-percent=50").
 */
export function dispatcherNodeFlags(): string[] {
  return (process.env.BENCH_DISPATCHER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}

/** Kills the world's processes when the bench is interrupted, so none outlives it. */
export function killOnSignal(world: World): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      world.killChildren();
      process.exit(130);
    });
  }
}

/** The product's CPU meter over a dispatcher world: its dispatcher, its webhook-service, its database's backends and nats-server. */
export async function meterWorld(world: World, dispatcherPid: number | undefined) {
  // The PostgreSQL server the bench uses is the parent of one of its backends.
  const [{ pid: backendPid } = { pid: 0 }] = await world.sql<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
  return createProductCpuMeter({
    dispatcherPid,
    webhookPid: world.webhook?.child.pid,
    postmasterPid: postmasterOf(backendPid),
    natsPort: Number(new URL(testNatsUrl()).port || 4222),
    databaseName: world.database.name,
  });
}

/** How long a run may show no progress before the bench gives up on it (BENCH_STALL_S, 120 s). */
const stallMs = Number(process.env.BENCH_STALL_S ?? 120) * 1000;

/**
 * Waits until the run is fanned out and `count` of its messages have reached SENT or beyond (READ or
 * FAILED with `until` 'read'; nothing more with 'fanned'), from the run's counters; answers seconds
 * since `started` to the end and to the fan-out's end.
 */
export async function followRun(
  world: World,
  runId: string,
  count: number,
  started: number,
  until: 'sent' | 'read' | 'fanned' = 'sent',
): Promise<{ seconds: number; fanoutS: number }> {
  const untilRead = until === 'read';
  let fanoutS: number | undefined;
  let last = { done: -1, at: performance.now() };
  for (;;) {
    const [row] = await world.sql<Array<{ done: number; fanned: boolean }>>`
      select ${untilRead ? world.sql`read + failed` : world.sql`sent + delivered + read + failed`} as done,
             fanout_done_at is not null as fanned
        from dispatch.run_progress where id = ${runId}`;
    if (row?.fanned && fanoutS === undefined) fanoutS = (performance.now() - started) / 1000;
    if (row?.fanned && (until === 'fanned' || row.done >= count)) {
      const seconds = (performance.now() - started) / 1000;
      return { seconds, fanoutS: fanoutS ?? seconds };
    }
    if (row && row.done !== last.done) last = { done: row.done, at: performance.now() };
    else if (performance.now() - last.at > stallMs)
      throw new Error(`run ${runId} stalled at ${last.done} of ${count} for ${stallMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
