import { describe, expect, it } from 'vitest';
import type { CallbackEvent } from './callback-event.ts';
import { createDeliveryWorker } from './delivery-worker.ts';
import type { ClaimedDelivery, DeliveryQueue } from './ports.ts';
import type { AttemptResult } from './retry-policy.ts';

const day = 86_400_000;

/** One endpoint's queue in memory: each claim hands out the delivery once, each settle is recorded. */
function fakeQueue(failingSince: Date | null) {
  const settled: Array<{ status: string; nextAttemptAt: Date | null; httpStatus: number | null }> = [];
  const disabled: string[] = [];
  let handedOut = false;
  const delivery: ClaimedDelivery = {
    id: 'd1',
    endpointId: 'e1',
    url: 'https://hooks.example.com/',
    secrets: ['whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0'],
    eventId: 'evt_1',
    body: '{}',
    attemptCount: 0,
  };
  const queue: DeliveryQueue = {
    async claim() {
      if (handedOut) return [];
      handedOut = true;
      return [delivery];
    },
    async settle(settlement) {
      settled.push({
        status: settlement.status,
        nextAttemptAt: settlement.nextAttemptAt,
        httpStatus: settlement.attempt.httpStatus,
      });
      return { failingSince: settlement.status === 'succeeded' ? null : failingSince };
    },
    async disable(endpointId, reason) {
      disabled.push(`${endpointId}:${reason}`);
      return { id: endpointId, url: delivery.url };
    },
    nextDueAt: async () => null,
  };
  return { queue, settled, disabled };
}

async function runOnce(answer: AttemptResult, failingSince: Date | null, now: Date) {
  const { queue, settled, disabled } = fakeQueue(failingSince);
  const alerts: CallbackEvent[] = [];
  const verdicts: string[] = [];
  const worker = createDeliveryWorker({
    queue,
    events: {
      record: async (events) => void alerts.push(...events),
      recordFor: async () => {
        throw new Error('not used');
      },
    },
    sender: { send: async () => answer },
    clock: { now: () => now },
    metrics: { attempted: (verdict) => void verdicts.push(verdict), disabled: () => undefined },
    schedule: [5_000, 300_000],
    random: () => 0.5,
    maxInFlight: 4,
    perEndpoint: 2,
    leaseMs: 30_000,
    disableAfterMs: 3 * day,
    idleMs: 10,
    onError: (error) => {
      throw error;
    },
  });
  worker.start();
  while (settled.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await worker.stop();
  return { settled, disabled, alerts, verdicts };
}

const now = new Date('2026-03-10T12:00:00Z');

describe('delivery worker', () => {
  it('when the receiver answers 503, then the delivery waits for the first step of the schedule', async () => {
    const { settled, disabled } = await runOnce({ kind: 'answered', status: 503, latencyMs: 3 }, now, now);
    expect(settled).toEqual([{ status: 'pending', nextAttemptAt: new Date(now.getTime() + 5_000), httpStatus: 503 }]);
    expect(disabled).toEqual([]);
  });

  it('when the receiver answers 410, then the delivery fails, the endpoint is disabled and an account.alert is recorded', async () => {
    const { settled, disabled, alerts } = await runOnce({ kind: 'answered', status: 410, latencyMs: 3 }, now, now);
    expect(settled.map((settlement) => settlement.status)).toEqual(['failed']);
    expect(disabled).toEqual(['e1:gone']);
    expect(alerts.map((alert) => [alert.type, alert.data.reason])).toEqual([['account.alert', 'gone']]);
  });

  it('when an endpoint has failed every delivery for three days, then the next failure disables it with an alert', async () => {
    const since = new Date(now.getTime() - 3 * day);
    const { disabled, alerts } = await runOnce({ kind: 'no_answer', error: 'ECONNREFUSED', latencyMs: 1 }, since, now);
    expect(disabled).toEqual(['e1:failing']);
    expect(alerts[0]?.data).toMatchObject({ alert: 'endpoint_disabled', endpointId: 'e1', reason: 'failing' });
  });

  it('when an endpoint has failed for less than three days, then it stays enabled', async () => {
    const since = new Date(now.getTime() - 3 * day + 60_000);
    const { disabled } = await runOnce({ kind: 'no_answer', error: 'timeout', latencyMs: 10_000 }, since, now);
    expect(disabled).toEqual([]);
  });

  it('when the receiver answers 2xx, then the delivery succeeds', async () => {
    const { settled, verdicts } = await runOnce({ kind: 'answered', status: 202, latencyMs: 3 }, null, now);
    expect(settled.map((settlement) => settlement.status)).toEqual(['succeeded']);
    expect(verdicts).toEqual(['succeeded']);
  });
});
