import { describe, it } from 'vitest';
import { runScaleScenario, sleep, useScaleSystem } from './support.ts';

/*
 * One dispatcher replica SIGKILLed every 10 s for a minute, the oldest first, and replaced as the
 * Deployment replaces a crashed pod, while the other replicas carry on. The kills stop early once the
 * simulator has accepted every message: there is nothing left to interrupt.
 */

const scale = useScaleSystem('scalekill');

describe('scale: dispatcher replicas killed', () => {
  it('when a dispatcher replica is SIGKILLed every 10 s for a minute, then every message is READ, none sent twice, the limit held across replicas', async () => {
    await runScaleScenario(scale(), {
      order: 4,
      name: 'a dispatcher replica SIGKILLed every 10 s for a minute',
      async fault({ n, progressAt, note, system }) {
        const { stack } = scale();
        await progressAt(Math.round(n * 0.05));
        let kills = 0;
        for (let round = 0; round < 6; round++) {
          if ((await system.simulatorStats()).accepted >= n) break;
          const [oldest] = stack.replicas('dispatcher-service');
          await stack.stopReplica(oldest!, 'SIGKILL');
          kills++;
          await stack.addReplica('dispatcher-service');
          await sleep(10_000);
        }
        note(`${kills} SIGKILLs, ${stack.replicas('dispatcher-service').length} replicas at the end`);
      },
    });
  });
});
