import { describe, expect, it } from 'vitest';
import type { SendQueue, TemplateHolds } from './ports.ts';
import { createTemplateHolding } from './template-holding.ts';

function fakes(released: Array<{ id: string; runId: string }> = []) {
  const calls: string[] = [];
  const queued: Array<{ runId: string; key: string; messageIds: string[] }> = [];
  const holds: TemplateHolds = {
    async hold(template) {
      calls.push(`hold ${template.name}/${template.language} ${template.event}`);
      return 7;
    },
    async release(template) {
      calls.push(`release ${template.name}/${template.language}`);
      return released;
    },
  };
  const queue: SendQueue = {
    async enqueue(runId, batches) {
      for (const batch of batches) queued.push({ runId, ...batch });
    },
  };
  return { calls, queued, holding: createTemplateHolding({ holds, queue, sendBatchSize: 2 }) };
}

const status = (event: string) => ({
  event,
  name: 'gold_loan',
  language: 'en',
  reason: undefined,
  occurredAt: new Date('2026-03-01T10:00:00Z'),
});

describe('createTemplateHolding', () => {
  it('when Meta pauses, disables or deletes a template, then it is held and nothing is queued', async () => {
    for (const event of ['PAUSED', 'DISABLED', 'PENDING_DELETION', 'DELETED', 'paused']) {
      const { calls, queued, holding } = fakes();
      expect(await holding(status(event))).toEqual({ action: 'held', messages: 7 });
      expect(calls).toEqual([`hold gold_loan/en ${event.toUpperCase()}`]);
      expect(queued).toEqual([]);
    }
  });

  it('when Meta approves it again, then its messages are queued per run in batches named for the event', async () => {
    const { queued, holding } = fakes([
      { id: 'm1', runId: 'r1' },
      { id: 'm2', runId: 'r1' },
      { id: 'm3', runId: 'r1' },
      { id: 'm4', runId: 'r2' },
    ]);
    expect(await holding(status('REINSTATED'))).toEqual({ action: 'released', messages: 4 });
    const at = Date.parse('2026-03-01T10:00:00Z');
    expect(queued).toEqual([
      { runId: 'r1', key: `template:gold_loan:en:${at}:m1:2`, messageIds: ['m1', 'm2'] },
      { runId: 'r1', key: `template:gold_loan:en:${at}:m3:1`, messageIds: ['m3'] },
      { runId: 'r2', key: `template:gold_loan:en:${at}:m4:1`, messageIds: ['m4'] },
    ]);
  });

  it('when Meta reports anything else (REJECTED, FLAGGED), then nothing is held or released', async () => {
    for (const event of ['REJECTED', 'FLAGGED', 'IN_APPEAL']) {
      const { calls, holding } = fakes();
      expect(await holding(status(event))).toEqual({ action: 'ignored' });
      expect(calls).toEqual([]);
    }
  });
});
