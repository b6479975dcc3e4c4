import { describe, it } from 'vitest';
import { runScaleScenario, sleep, streamLeader, useScaleSystem } from './support.ts';

/*
 * The NATS node leading the DISPATCH stream (the work queue of sends) SIGKILLed once a random 20–40 %
 * of the run is sent, and started again 20 s later with its store kept, as a StatefulSet restarts a
 * crashed pod. The other two nodes keep a quorum: a new leader is elected, the services' connections
 * move to the surviving nodes of their seed list, and the returning node catches up.
 */

const scale = useScaleSystem('scaleleader');

describe('scale: the DISPATCH stream leader killed', () => {
  it('when the NATS node leading the dispatch stream is SIGKILLed mid-run and back 20 s later, then every message is READ, none sent twice, within the limit', async () => {
    await runScaleScenario(scale(), {
      order: 1,
      name: 'NATS node leading DISPATCH SIGKILLed, back after 20 s',
      async fault({ n, progressAt, note }) {
        const moment = Math.round(n * (0.2 + Math.random() * 0.2));
        await progressAt(moment);
        const leader = await streamLeader(scale(), 'DISPATCH');
        const node = scale().nats.node(leader);
        await node.kill('SIGKILL');
        await sleep(20_000);
        const newLeader = await streamLeader(scale(), 'DISPATCH').catch(() => 'none');
        await node.start();
        note(`${leader} killed after ${moment} sent; leader after 20 s ${newLeader}; back after 20 s`);
      },
    });
  });
});
