import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

const limited = {
  WHATSAPP_RATE_LIMIT: 'true',
  WHATSAPP_MPS: '50',
  SEND_BATCH_SIZE: '20',
  SEND_CLAIM_SIZE: '20',
  SEND_CONCURRENCY: '2',
};

describe('the number-wide rate limit', () => {
  let world: World;

  beforeAll(async () => {
    // Webhooks are not what this test is about; without them every SENT comes from the API answer.
    world = await startWorld({ webhooks: false, simulator: { SIMULATOR_THROUGHPUT_MPS: '50' } });
  });

  afterAll(async () => {
    await world?.stop();
  });

  const peakOf = () => world.simulatorStats().phoneNumbers[phoneNumberId];

  it('when the simulator allows 50 messages a second, then no one-second window ever sees more than 50 requests', async () => {
    const dispatcher = await world.startDispatcher(limited);
    try {
      const runId = await world.requestRun(contacts(200, '8100'));
      const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 60_000);
      expect(stats).toMatchObject({ total: 200, sent: 200, failed: 0 });
      expect(peakOf()?.maxAttemptsPerSecond).toBeLessThanOrEqual(50);
      expect(world.simulatorStats().rejected['130429'] ?? 0).toBe(0);
    } finally {
      dispatcher.query.close();
      await dispatcher.stop();
    }
  });

  it('when three dispatcher replicas send one run together, then they hold the same limit for the number as a whole', async () => {
    await world.admin('POST', '/_sim/reset');
    const replicas = await Promise.all([1, 2, 3].map(() => world.startDispatcherProcess(limited)));
    try {
      const runId = await world.requestRun(contacts(300, '8200'));
      const stats = await waitForStats(replicas[0]!.query, runId, (current) => current.completed, 90_000);
      expect(stats).toMatchObject({ total: 300, sent: 300, failed: 0 });
      expect(peakOf()).toMatchObject({ accepted: 300 });
      expect(peakOf()?.maxAttemptsPerSecond).toBeLessThanOrEqual(50);
      expect(world.simulatorStats().rejected['130429'] ?? 0).toBe(0);

      const sendsPerReplica = await Promise.all(
        replicas.map(async (replica) => {
          const text = await (await fetch(`http://127.0.0.1:${replica.opsPort}/metrics`)).text();
          return Number(
            /ektola_send_duration_seconds_count\{[^}]*outcome="accepted"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0,
          );
        }),
      );
      expect(sendsPerReplica.reduce((sum, count) => sum + count, 0)).toBe(300);
      expect(sendsPerReplica.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
    } finally {
      for (const replica of replicas) {
        replica.query.close();
        replica.child.kill('SIGTERM');
      }
      await Promise.all(replicas.map((replica) => replica.child.exited));
    }
  });
});
