import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from './fake-campaign-query.ts';
import { phoneNumberId, startWorld, waitForStats, type World } from './support.ts';

const metricValue = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);

describe('a Cloud API outage', () => {
  let world: World;
  let dispatcher: Awaited<ReturnType<World['startDispatcher']>>;

  beforeAll(async () => {
    world = await startWorld({ webhooks: false });
    dispatcher = await world.startDispatcher({
      WHATSAPP_RATE_LIMIT: 'true',
      WHATSAPP_MPS: '100',
      BREAKER_VOLUME_THRESHOLD: '5',
      BREAKER_RESET_MS: '1000',
      SEND_RETRIES: '3',
    });
  });

  afterAll(async () => {
    dispatcher?.query.close();
    await dispatcher?.stop();
    await world?.stop();
  });

  it('when the API fails for 10 s, then the breaker opens, only probes reach it meanwhile, and every message is SENT after it recovers', async () => {
    await world.admin('PUT', `/_sim/faults/${phoneNumberId}`, {
      outage: { mode: '5xx', code: 131016 },
      durationMs: 10_000,
    });
    const runId = await world.requestRun(contacts(300, '8300'));

    const stats = await waitForStats(dispatcher.query, runId, (current) => current.completed, 60_000);
    expect(stats).toMatchObject({ total: 300, sent: 300, failed: 0 });

    const simulator = world.simulatorStats();
    expect(simulator.accepted).toBe(300);
    // Without the breaker every message would be tried up to four times (1,200 calls) during the outage.
    const duringOutage = simulator.rejected['131016'] ?? 0;
    expect(duringOutage).toBeGreaterThan(0);
    expect(duringOutage).toBeLessThan(60);

    const metrics = await (await fetch(`http://127.0.0.1:${dispatcher.opsPort}/metrics`)).text();
    expect(
      metricValue(metrics, /ektola_circuit_transitions_total\{[^}]*to="open"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(
      metricValue(metrics, /ektola_circuit_transitions_total\{[^}]*to="half_open"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, /ektola_circuit_state\{[^}]*\} (\d+)/)).toBe(0);
  });
});
