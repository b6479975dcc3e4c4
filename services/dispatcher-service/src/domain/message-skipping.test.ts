import { describe, expect, it } from 'vitest';
import { createMessageSkipping } from './message-skipping.ts';

function fakes(order: string[]) {
  const counted: unknown[] = [];
  const skipping = createMessageSkipping({
    suppressions: {
      async record(change) {
        order.push(`record ${change.contactId}`);
        return { runIds: ['r1', 'r2'], skipped: { [change.reason]: 2 } };
      },
    },
    cancellations: {
      async cancel({ runId }) {
        order.push(`cancel ${runId}`);
        return { runIds: [runId], skipped: { run_cancelled: 5 } };
      },
    },
    runs: { settle: async (runIds) => void order.push(`settle ${runIds.join(',')}`) },
    onSkipped: (counts) => void counted.push(counts),
  });
  return { skipping, counted };
}

describe('createMessageSkipping', () => {
  it('when a contact is suppressed, then its skips are written first, counted, and the runs they touched are settled after', async () => {
    const order: string[] = [];
    const { skipping, counted } = fakes(order);
    const change = {
      contactId: 'c1',
      phone: '+919876543210',
      suppressed: true,
      reason: 'contact_deleted' as const,
      occurredAt: new Date(),
    };
    expect(await skipping.suppressionChanged(change)).toEqual({
      runIds: ['r1', 'r2'],
      skipped: { contact_deleted: 2 },
    });
    expect(order).toEqual(['record c1', 'settle r1,r2']);
    expect(counted).toEqual([{ contact_deleted: 2 }]);
  });

  it('when a run is cancelled, then the run is settled after its messages are skipped', async () => {
    const order: string[] = [];
    const { skipping, counted } = fakes(order);
    await skipping.runCancelled({ runId: 'r9', campaignId: 'c', cancelledAt: new Date() });
    expect(order).toEqual(['cancel r9', 'settle r9']);
    expect(counted).toEqual([{ run_cancelled: 5 }]);
  });
});
