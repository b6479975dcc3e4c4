import { describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '@ektola/platform/testing';
import { faultsN, randomBetween, runScenario, stackPorts, useFaultSystem, until } from './support.ts';

/*
 * The Cloud API down for 30 seconds: every connection to it refused and the open ones cut, then back.
 * The dispatcher reaches the simulator through a TCP proxy that is cut, rather than the simulator
 * being killed: Meta being unreachable does not lose Meta's own state, and a killed simulator would
 * lose the status webhooks it still owes for accepted messages and the counts the checks read.
 */

const outageMs = 30_000;
let proxy: TcpProxy;
const system = useFaultSystem('faultsim', async () => {
  const ports = await stackPorts();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(ports.SIMULATOR_PORT) });
  return {
    options: { ports, serviceEnv: { 'dispatcher-service': { WHATSAPP_API_BASE_URL: proxy.url('http', '/v23.0') } } },
    stop: () => proxy.close(),
  };
});

describe('fault: the Cloud API down', () => {
  it('when the simulator is unreachable for 30 s mid-run, then the breaker opens, only its probes are tried while it is open, it closes again, and every message is READ once', async () => {
    const ops = system().stack.urls.dispatcherOps;
    await runScenario(system(), {
      order: 4,
      name: 'simulator down 30 s',
      async fault({ progressAt, note }) {
        // Early enough that the failed sends outnumber the successes still in the breaker's 10 s window.
        const moment = randomBetween(faultsN * 0.1, faultsN * 0.3);
        await progressAt(moment);
        const failedSends = () => system().metric(ops, 'ektola_send_errors_total');
        const errorsBefore = await failedSends();
        const downAt = Date.now();
        await proxy.cut();
        await until(
          async () => (await system().metric(ops, 'ektola_circuit_transitions_total', 'to="open"')) > 0,
          outageMs,
          'the breaker open',
        );
        const openedAfterMs = Date.now() - downAt;
        const errorsAtOpen = await failedSends();
        await new Promise((resolve) => setTimeout(resolve, outageMs - (Date.now() - downAt)));
        const triedWhileOpen = (await failedSends()) - errorsAtOpen;
        await proxy.restore();
        await until(
          async () => (await system().metric(ops, 'ektola_circuit_state')) === 0,
          60_000,
          'the breaker closed',
        );
        const opened = await system().metric(ops, 'ektola_circuit_transitions_total', 'to="open"');
        note(
          `down after ${moment} sent; breaker open after ${(openedAfterMs / 1000).toFixed(1)} s and ${errorsAtOpen - errorsBefore} failed sends, ` +
            `${triedWhileOpen} sends tried while open (opened ${opened}×), closed after the outage`,
        );
        // While open, the breaker lets one probe through every BREAKER_RESET_MS (10 s).
        expect(triedWhileOpen).toBeLessThanOrEqual(10);
      },
    });
  });
});
