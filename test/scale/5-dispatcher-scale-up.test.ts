import { describe, it } from 'vitest';
import { runScaleScenario, sleep, useScaleSystem } from './support.ts';

/*
 * The dispatcher Deployment scaled from one replica to three once a fifth of the run is sent, as the
 * HorizontalPodAutoscaler or KEDA would. The number's limit is shared through PostgreSQL, so it holds
 * for three replicas as for one; the send rates before and after, measured at the simulator over 5 s,
 * go to the results table (a rate is never asserted: the machine is shared).
 */

const scale = useScaleSystem('scaleup', { replicas: { 'dispatcher-service': 1 } });

describe('scale: dispatchers scaled up mid-run', () => {
  it('when the dispatcher goes from one replica to three mid-run, then every message is READ, none sent twice, the limit held across replicas', async () => {
    await runScaleScenario(scale(), {
      order: 5,
      name: 'dispatcher scaled from 1 to 3 replicas mid-run',
      async fault({ n, progressAt, note, system }) {
        const rate = async () => {
          const before = (await system.simulatorStats()).accepted;
          await sleep(5_000);
          return ((await system.simulatorStats()).accepted - before) / 5;
        };
        await progressAt(Math.round(n * 0.1));
        const alone = await rate();
        const { stack } = scale();
        await Promise.all([stack.addReplica('dispatcher-service'), stack.addReplica('dispatcher-service')]);
        const accepted = (await system.simulatorStats()).accepted;
        const three = accepted < n * 0.8 ? `${(await rate()).toFixed(0)}/s` : 'run nearly sent';
        note(`1 replica ${alone.toFixed(0)}/s, 3 replicas ${three} (scaled at ${accepted} sent)`);
      },
    });
  });
});
