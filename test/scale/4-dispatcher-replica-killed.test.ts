import { expect, describe, it } from 'vitest';
import { runScaleScenario, scaleN, sleep, useScaleSystem, type ScaleSystem } from './support.ts';
import type { Replica } from '../../deploy/local/cluster.ts';

/*
 * One dispatcher replica SIGKILLed every 10 s for a minute, the oldest first, and replaced as the
 * Deployment replaces a crashed pod, while the other replicas carry on. Six kills must land while
 * messages are still to be sent, so this scenario's number has a lower limit: the run takes about
 * 75 s of sending at that rate, whatever SCALE_N is, and the sixth kill comes about 53 s in.
 */

const mps = Math.max(10, Math.floor(scaleN / 75));
const scale = useScaleSystem('scalekill', { mps });

/** Every 10 s from now, the oldest dispatcher replica SIGKILLed and a new one started, six times. */
async function killEveryTenSeconds(system: ScaleSystem, acceptedNow: () => Promise<number>) {
  const { stack } = system;
  const acceptedAtKills: number[] = [];
  const replacements: Array<Promise<Replica>> = [];
  const start = Date.now();
  for (let kill = 0; kill < 6; kill++) {
    await sleep(Math.max(0, start + kill * 10_000 - Date.now()));
    const [oldest] = stack.replicas('dispatcher-service');
    if (!oldest) throw new Error('no dispatcher replica is running to kill');
    acceptedAtKills.push(await acceptedNow());
    await stack.stopReplica(oldest, 'SIGKILL');
    // The Deployment starts the replacement at once; the next kill keeps its own 10 s cadence.
    replacements.push(stack.addReplica('dispatcher-service'));
  }
  await Promise.all(replacements);
  return acceptedAtKills;
}

describe('scale: dispatcher replicas killed', () => {
  it('when a dispatcher replica is SIGKILLed every 10 s for a minute, then every message is READ, none sent twice, the limit held across replicas', async () => {
    let acceptedAtKills: number[] = [];
    await runScaleScenario(scale(), {
      order: 4,
      name: `a dispatcher replica SIGKILLed every 10 s for a minute (at ${mps}/s)`,
      async fault({ n, progressAt, note, system }) {
        await progressAt(Math.round(n * 0.05));
        acceptedAtKills = await killEveryTenSeconds(scale(), async () => (await system.simulatorStats()).accepted);
        note(
          `${acceptedAtKills.length} SIGKILLs at ${acceptedAtKills.join(', ')} sent of ${n}; ${scale().stack.replicas('dispatcher-service').length} replicas at the end`,
        );
      },
    });
    expect(acceptedAtKills, 'six kills').toHaveLength(6);
    expect(Math.max(...acceptedAtKills), 'every kill landed while messages were still to be sent').toBeLessThan(scaleN);
  });
});
