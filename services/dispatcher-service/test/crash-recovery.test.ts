import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { contacts } from './fake-campaign-query.ts';
import { startWorld, waitForStats, type World } from './support.ts';

describe('a dispatcher killed mid-run', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  });

  afterAll(async () => {
    await world?.stop();
  });

  const env = { WHATSAPP_RATE_LIMIT: 'true', WHATSAPP_MPS: '500' };
  const sentSoFar = async (runId: string) => {
    const [row] = await world.sql<Array<{ done: number }>>`
      select count(*)::int as done from dispatch.messages where run_id = ${runId} and status not in ('PENDING', 'SENDING')`;
    return row?.done ?? 0;
  };

  it('when SIGKILLed twice during a 5,000-message run, then after restarts every message is terminal and Meta saw none twice', async () => {
    let dispatcher = await world.startDispatcherProcess(env);
    const runId = await world.requestRun(contacts(5000, '8700'));

    for (const threshold of [1000, 3000]) {
      await eventually(async () => (await sentSoFar(runId)) >= threshold, 60_000, 50);
      dispatcher.child.kill('SIGKILL');
      await dispatcher.child.exited;
      dispatcher.query.close();
      dispatcher = await world.startDispatcherProcess(env);
    }

    try {
      // Status events the killed process had pulled come back only after the status consumer's ack
      // wait (1 min); reconciliation waits for them before resending anything, so this takes a while.
      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 180_000);
      expect(stats.total).toBe(5000);
      expect(stats.pending + stats.sending).toBe(0);
      expect(stats.failed).toBe(0);
      expect(await world.statusCounts(runId)).not.toHaveProperty('SENDING');

      const simulator = world.simulatorStats();
      expect(simulator.accepted).toBe(5000);
      expect(simulator.messageKeys.distinct).toBe(5000);
      expect(simulator.messageKeys.duplicates).toBe(0);
    } finally {
      dispatcher.query.close();
      dispatcher.child.kill('SIGTERM');
      await dispatcher.child.exited;
    }
  }, 240_000);
});
