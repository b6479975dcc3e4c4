import { randomUUID } from 'node:crypto';
import { eventually } from '@ektola/platform/testing';
import { senderChanged, type RunSender } from '@ektola/platform/events';
import { contacts } from '../services/dispatcher-service/test/fake-campaign-query.ts';
import { startWorld } from '../services/dispatcher-service/test/support.ts';
import { dispatcherNodeFlags, followRun, killOnSignal, meterWorld, passThrough } from './dispatcher-world.ts';

/*
 * One run of BENCH_MULTI_N (default 100,000) contacts spread over four numbers, each allowed 1,000
 * messages per second by the simulator (its `throughputMps`) and by the dispatcher's own rate limiter
 * (each number's bucket at the `mps` its sender.changed states), on real NATS and PostgreSQL, the
 * dispatcher in its own process, the simulator's webhooks off (sending only). The clock runs from
 * run.requested until the database shows every message SENT or beyond.
 *
 *   node bench/multi-sender-bench.ts   → {"messages":…,"mps":…,"per_number":[{"phoneNumberId","accepted","rejected","maxPerSecond","limit"}],"duplicates":…,"cpu_ms_per_msg":{…}}
 *   BENCH_MULTI_N; DISPATCHER_* settings pass through as the dispatcher's environment.
 *
 * `maxPerSecond` is the simulator's count of sends it accepted from that number in its busiest
 * sliding second: what Meta would have seen. Two shared cores do not reach 4 × 1,000 per second, so
 * what the run shows is the spread (each number's share of the weighted rendezvous hashing) and that
 * no number went over its own limit; cpu_ms_per_msg is the product's CPU per message as in
 * bench/dispatch-bench.ts, the figure that moves least when other work shares the machine.
 */

const count = Number(process.env.BENCH_MULTI_N ?? 100_000);
const limit = 1000;
const numbers = ['201000000000001', '202000000000002', '203000000000003', '204000000000004'];

const world = await startWorld({
  webhooks: false,
  simulator: {
    SIMULATOR_PAIR_INTERVAL_MS: '0',
    SIMULATOR_NUMBERS: JSON.stringify(numbers.map((phoneNumberId) => ({ phoneNumberId, throughputMps: limit }))),
  },
});
killOnSignal(world);
const dispatcher = await world.startDispatcherProcess(
  {
    LOG_LEVEL: 'warn',
    RECONCILE_WINDOW_MS: '120000',
    WHATSAPP_RATE_LIMIT: 'true',
    WHATSAPP_MPS: String(limit),
    // 1,000 ms slots (DISPATCHER_RATE_SLOT_MS overrides): fewer, larger leases cost PostgreSQL least per
    // message sent, and a claim that outlasts its slot sends in fresh ones. The price is headroom: about
    // 1,000 × 1000 / (3 × 1000) = 333/s per number sustained, about what two cores reach for four numbers.
    RATE_SLOT_MS: '1000',
    ...passThrough('DISPATCHER_'),
  },
  dispatcherNodeFlags(),
);
try {
  // The numbers as the campaign-service announces them, so each number's bucket holds its own 1,000.
  for (const phoneNumberId of numbers)
    await world.publisher.publish(
      senderChanged,
      {
        senderId: randomUUID(),
        phoneNumberId,
        portfolioKey: 'bench-portfolio',
        mps: limit,
        messagingLimit: null,
        state: 'ACTIVE',
        version: 1,
        occurredAt: new Date().toISOString(),
      },
      { msgId: `sender:${phoneNumberId}:1` },
    );
  await eventually(
    async () =>
      (
        await world.sql<Array<{ count: number }>>`
          select count(*)::int as count from dispatch.senders where phone_number_id in ${world.sql(numbers)} and mps = ${limit}`
      )[0]?.count === numbers.length,
    30_000,
    100,
  );

  const senders: RunSender[] = numbers.map((phoneNumberId) => ({ phoneNumberId, weight: 1 }));
  const audience = contacts(count, '7');
  const cpu = await meterWorld(world, dispatcher.child.child.pid);
  const started = performance.now();
  const runId = await world.requestRun(audience, undefined, undefined, { senders });
  // A dispatcher that dies ends the bench with what it said, rather than a stall much later.
  const { seconds } = await Promise.race([
    followRun(world, runId, count, started),
    dispatcher.child.exited.then((code) =>
      Promise.reject(new Error(`the dispatcher exited (${code}):\n${dispatcher.child.output().slice(-4000)}`)),
    ),
  ]);
  const { perMessage } = cpu.stop(count);
  const statuses = await world.statusCounts(runId);
  const { data } = (await (await fetch(`${world.simulatorUrl}/_sim/numbers`)).json()) as {
    data: Array<{
      phoneNumberId: string;
      throughput: { mps: number };
      sends: { accepted: number; rejected: number; maxPerSecond: number };
    }>;
  };
  const perNumber = numbers.map((phoneNumberId) => {
    const number = data.find((candidate) => candidate.phoneNumberId === phoneNumberId);
    if (number?.throughput.mps !== limit)
      throw new Error(`the simulator holds ${phoneNumberId} at ${number?.throughput.mps}/s, not ${limit}`);
    return {
      phoneNumberId,
      accepted: number.sends.accepted,
      rejected: number.sends.rejected,
      maxPerSecond: number.sends.maxPerSecond,
      limit,
    };
  });
  process.stdout.write(
    `${JSON.stringify({
      messages: count,
      seconds: Number(seconds.toFixed(2)),
      mps: Math.round(count / seconds),
      failed: statuses.FAILED ?? 0,
      per_number: perNumber,
      duplicates: world.simulatorStats().messageKeys.duplicates,
      cpu_ms_per_msg: perMessage,
    })}\n`,
  );
} finally {
  dispatcher.query.close();
  dispatcher.child.kill('SIGTERM');
  await dispatcher.child.exited;
  await world.stop();
}
