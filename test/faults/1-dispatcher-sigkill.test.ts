import { describe, it } from 'vitest';
import { faultsN, randomBetween, runScenario, useFaultSystem } from './support.ts';

/*
 * The dispatcher killed with SIGKILL three times at random moments of the sending and started again
 * each time, as Kubernetes restarts a crashed pod. The moments fall after the fan-out: a fan-out
 * killed midway resumes only when run.requested's 5-minute ack wait lets JetStream redeliver it.
 */

const system = useFaultSystem('faultkill');

describe('fault: the dispatcher killed', () => {
  it('when the dispatcher is killed with SIGKILL three times mid-run and restarted, then every message is READ, none sent twice, within the limit', async () => {
    await runScenario(system(), {
      order: 1,
      name: 'dispatcher killed (SIGKILL) 3 times',
      async fault({ progressAt, note }) {
        const moments = [0, 1, 2].map(() => randomBetween(faultsN * 0.05, faultsN * 0.85)).sort((a, b) => a - b);
        for (const moment of moments) {
          await progressAt(moment);
          await new Promise((resolve) => setTimeout(resolve, randomBetween(0, 1000)));
          const killedAt = Date.now();
          await system().stack.restart('dispatcher-service', 'SIGKILL');
          note(`killed after ${moment} sent, back in ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
        }
      },
    });
  });
});
