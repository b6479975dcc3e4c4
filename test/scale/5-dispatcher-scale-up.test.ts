import { describe, expect, it } from 'vitest';
import { runScaleScenario, sleep, useScaleSystem } from './support.ts';

/*
 * The dispatcher Deployment scaled from one replica to three early in the run, as the
 * HorizontalPodAutoscaler or KEDA would. The number's limit is shared through PostgreSQL, so it holds
 * for three replicas as for one. For the rate to grow with replicas on a 2-core machine, a replica
 * must be bound by something other than the machine's CPU: here, as a replica in production is, by
 * waiting on Meta. Each replica works one batch at a time (SEND_CONCURRENCY 1) in claims of 10, and
 * the simulator answers every send after 400 ms, so one replica sends about 10 per 450 ms (~20/s):
 * the whole machine, shared with other test runs, carried 60 to 100 messages a second end to end
 * (sent, then delivered and read through the webhooks), and a replica bound near that would show the
 * machine's limit, not the dispatcher's. The rates are measured at the simulator over 5 s, the second
 * window only once the new replicas are ready and have settled; then Meta answers at once again and
 * the rest of the run goes at the machine's pace, under the same limit.
 */

const scale = useScaleSystem('scaleup', {
  cluster: { replicas: { 'dispatcher-service': 1 } },
  dispatcherEnv: { SEND_CONCURRENCY: '1', SEND_CLAIM_SIZE: '10' },
});

const windowMs = 5_000;

describe('scale: dispatchers scaled up mid-run', () => {
  it('when the dispatcher goes from one replica to three mid-run, then the send rate grows by half at least, every message is READ, none sent twice, the limit held across replicas', async () => {
    const rates = { alone: 0, three: 0 };
    await runScaleScenario(scale(), {
      order: 5,
      name: 'dispatcher scaled from 1 to 3 replicas mid-run (each bound by a 400 ms Meta)',
      async fault({ n, progressAt, note, system }) {
        await system.simulator('PUT', '/_sim/faults/*', { latency: { fixedMs: 400 } });
        const accepted = async () => (await system.simulatorStats()).accepted;
        const rate = async () => {
          const before = await accepted();
          await sleep(windowMs);
          return ((await accepted()) - before) / (windowMs / 1000);
        };
        await progressAt(Math.round(n * 0.02));
        rates.alone = await rate();
        const { stack } = scale();
        await Promise.all([stack.addReplica('dispatcher-service'), stack.addReplica('dispatcher-service')]);
        const scaledAt = await accepted();
        // A new Node process's first seconds (compiling, connecting) take CPU from the others.
        await sleep(2_000);
        const measuredFrom = await accepted();
        // Three replicas at 1.5× the rate of one for the whole window must not run out of messages.
        if (n - measuredFrom < rates.alone * 1.5 * (windowMs / 1000))
          throw new Error(
            `only ${n - measuredFrom} messages left when three replicas were measured: SCALE_N is too small for this scenario`,
          );
        // Each replica's own sends over the window say whether the new ones took a share of the work.
        const sendsByReplica = () =>
          Promise.all(
            stack
              .replicas('dispatcher-service')
              .map((replica) =>
                system.metric(replica.readyUrl.replace(/\/readyz$/, ''), 'ektola_send_duration_seconds_count'),
              ),
          );
        const sendsBefore = await sendsByReplica();
        rates.three = await rate();
        const shares = (await sendsByReplica()).map((sends, index) => sends - sendsBefore[index]!);
        const cleared = await fetch(`${system.stack.urls.simulator}/_sim/faults`, { method: 'DELETE' });
        expect(cleared.status, 'the latency fault cleared').toBe(204);
        note(
          `1 replica ${rates.alone.toFixed(0)}/s, 3 replicas ${rates.three.toFixed(0)}/s (×${(rates.three / rates.alone).toFixed(2)}; scaled at ${scaledAt} sent; the replicas sent ${shares.join(', ')} in the window)`,
        );
      },
    });
    expect(rates.three, 'the send rate with three replicas against one').toBeGreaterThanOrEqual(rates.alone * 1.5);
  });
});
