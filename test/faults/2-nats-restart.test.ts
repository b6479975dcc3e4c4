import { describe, it } from 'vitest';
import { startPrivateNats, restartMidRun, type PrivateServer } from './private-infra.ts';
import { runScenario, useFaultSystem } from './support.ts';

/*
 * The NATS server stopped cleanly and started again with the same command line and store directory
 * (its JetStream data kept) while the run sends. The server is the suite's own nats-server, started
 * as deploy/local/ensure-infra.sh starts the shared one, so the rest of the machine keeps its NATS.
 */

let nats: PrivateServer;
const system = useFaultSystem('faultnats', async () => {
  nats = await startPrivateNats();
  return { options: { natsUrl: nats.url }, stop: () => nats.stop() };
});

describe('fault: NATS restarted', () => {
  it('when the NATS server restarts mid-run with its data kept, then every message is READ, none sent twice, within the limit', async () => {
    await runScenario(system(), {
      order: 2,
      name: 'NATS server restarted (data kept)',
      fault: (context) => restartMidRun(nats, context),
    });
  });
});
