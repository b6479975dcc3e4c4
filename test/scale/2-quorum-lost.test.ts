import { describe, it } from 'vitest';
import { runScaleScenario, sleep, streamLeader, useScaleSystem } from './support.ts';

/*
 * Quorum lost: the node leading DISPATCH SIGKILLed mid-run, a second node 5 s later while the first is
 * still down. One node of three is no majority: JetStream elects no leader, so no stream takes a
 * publish and no consumer hands out a message; the services stay connected to the survivor (core NATS
 * still works), their publishes fail and are retried, nothing is acknowledged that was not stored.
 * After 15 s both nodes come back (the first one first), a quorum forms again and sending resumes.
 */

const scale = useScaleSystem('scalequorum');

describe('scale: quorum lost', () => {
  it('when two of three NATS nodes are down at once mid-run and come back, then every message is READ, none sent twice, within the limit', async () => {
    await runScaleScenario(scale(), {
      order: 2,
      name: 'two of three NATS nodes SIGKILLed (quorum lost), back after 20 s and 15 s',
      async fault({ n, progressAt, note, system }) {
        await progressAt(Math.round(n * (0.2 + Math.random() * 0.2)));
        const { nats } = scale();
        const first = nats.node(await streamLeader(scale(), 'DISPATCH'));
        await first.kill('SIGKILL');
        await sleep(5_000);
        const second = nats.nodes.find((node) => node !== first)!;
        await second.kill('SIGKILL');
        const atLoss = (await system.simulatorStats()).accepted;
        await sleep(15_000);
        const duringLoss = (await system.simulatorStats()).accepted - atLoss;
        await first.start();
        await second.start();
        note(
          `${first.name} then ${second.name} killed at ${atLoss} sent; ${duringLoss} sends accepted without quorum (those already claimed)`,
        );
      },
    });
  });
});
