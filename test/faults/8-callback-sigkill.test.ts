import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@ektola/platform/testing';
import { startReceiver, type Receiver } from '../../services/callback-service/test/receiver.ts';
import { faultsN, randomBetween, runScenario, useFaultSystem } from './support.ts';

/*
 * The callback-service killed with SIGKILL twice while it delivers the run's callbacks to a
 * receiver that takes 20 ms an answer, and started again each time. Events are recorded (and their
 * JetStream messages acknowledged) only once committed with their deliveries, and a delivery a dead
 * process held comes back when its lease lapses, so the receiver ends with every message.sent,
 * message.delivered and message.read of the run and its run.completed; duplicates (the same id)
 * are allowed, losses are not.
 */

const system = useFaultSystem('faultcallback', async () => ({
  options: { env: { CALLBACKS_RETRY_SCHEDULE: Array.from({ length: 40 }, () => '1s').join(',') } },
}));
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.answer('/faults', { delayMs: 20 });
});

afterAll(async () => {
  await receiver?.stop();
});

describe('fault: the callback-service killed', () => {
  it('when the callback-service is killed with SIGKILL twice mid-delivery and restarted, then the receiver gets every event of the run, none lost', async () => {
    const endpoint = await system().admin.call<{ secret: string }>('POST', '/v1/webhook-endpoints', {
      url: receiver.url('/faults'),
      events: ['message.sent', 'message.delivered', 'message.read', 'run.completed'],
    });
    receiver.trust('/faults', endpoint.secret);
    let runId = '';
    await runScenario(system(), {
      order: 8,
      name: 'callback-service killed (SIGKILL) 2 times',
      async fault({ progressAt, note, runId: id }) {
        runId = id;
        const moments = [0, 1].map(() => randomBetween(faultsN * 0.1, faultsN * 0.8)).sort((a, b) => a - b);
        for (const moment of moments) {
          await progressAt(moment);
          const before = receiver.received.length;
          await system().stack.restart('callback-service', 'SIGKILL');
          note(`killed after ${moment} sent (${before} callbacks received)`);
        }
      },
    });
    const unique = () => new Map(receiver.received.map((callback) => [callback.id, callback]));
    await eventually(async () => unique().size === 3 * faultsN + 1, 300_000, 500);
    const callbacks = [...unique().values()];
    expect(callbacks.every((callback) => callback.verified)).toBe(true);
    for (const type of ['message.sent', 'message.delivered', 'message.read'])
      expect(callbacks.filter((callback) => callback.type === type)).toHaveLength(faultsN);
    expect(callbacks.filter((callback) => callback.type === 'run.completed').map((c) => c.data.runId)).toEqual([runId]);
  });
});
