import { describe, expect, it } from 'vitest';
import { faultsN, randomBetween, runScenario, useFaultSystem } from './support.ts';

/*
 * The webhook-service killed for 30 seconds while the simulator keeps posting status webhooks, then
 * started again. The simulator retries a notification up to 12 times, backing off from 0.5 s to at
 * most 5 s (0.5 + 1 + 2 + 4 + 7 × 5 = 42.5 s, at least 34 s with its jitter), so every status sent
 * during the outage arrives afterwards.
 */

const outageMs = 30_000;
const system = useFaultSystem('faultwebhook', async () => ({
  options: { env: { SIMULATOR_WEBHOOK_MAX_ATTEMPTS: '12', SIMULATOR_WEBHOOK_RETRY_MAX_MS: '5000' } },
}));

describe('fault: the webhook-service down', () => {
  it('when the webhook-service is down for 30 s mid-run, then the simulator retries its webhooks and every message is READ once', async () => {
    await runScenario(system(), {
      order: 6,
      name: 'webhook-service down 30 s',
      async fault({ progressAt, note }) {
        const moment = randomBetween(faultsN * 0.1, faultsN * 0.4);
        await progressAt(moment);
        await system().stack.kill('webhook-service', 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, outageMs));
        await system().stack.respawn('webhook-service');
        const { webhooks } = await system().simulatorStats();
        note(`down after ${moment} sent; ${webhooks.retried} webhook deliveries retried`);
      },
    });
    const { webhooks } = await system().simulatorStats();
    expect(webhooks.retried).toBeGreaterThan(0);
    expect(webhooks.failed).toBe(0);
  });
});
