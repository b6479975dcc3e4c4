import { describe, expect, it } from 'vitest';
import { faultsN, runScenario, useFaultSystem } from './support.ts';

/*
 * Meta holding the number to 50 messages a second (130429 above it) while the dispatcher believes it
 * may send 80, the standard throughput level Meta reports for the number. At 50/s a 5,000-message run
 * would take 100 s alone, so this scenario sends FAULTS_THROTTLED_N messages (default a fifth of
 * FAULTS_N, at most 1,000).
 */

const throttledMps = 50;
const n = Number(process.env.FAULTS_THROTTLED_N ?? Math.min(1_000, Math.round(faultsN / 5)));
const system = useFaultSystem('faultthrottle', async () => ({
  options: { env: { SIMULATOR_THROUGHPUT_MPS: String(throttledMps) } },
}));

describe('fault: Meta throttles the number', () => {
  it(`when the simulator accepts only ${throttledMps} messages a second, then the dispatcher backs off on 130429 and every message is READ once, never more than ${throttledMps} accepted in a second`, async () => {
    const result = await runScenario(system(), {
      order: 5,
      name: `simulator throttled to ${throttledMps}/s (dispatcher at Meta's standard 80/s)`,
      n,
      acceptedLimit: throttledMps,
      senderMps: null,
      throttled: true,
      async fault() {
        // The throttle is on from the first send.
      },
    });
    const stats = await system().simulatorStats();
    const throttledSends = stats.rejected['130429'] ?? 0;
    expect(throttledSends).toBeGreaterThan(0);
    expect(Object.keys(stats.rejected)).toEqual(['130429']);
    console.log(`${result.scenario}: ${throttledSends} sends answered 130429`);
  });
});
