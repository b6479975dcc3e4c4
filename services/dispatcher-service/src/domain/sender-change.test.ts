import { describe, expect, it } from 'vitest';
import type { AssignedMessage, SenderProjection, SenderRecord } from './ports.ts';
import { createSenderChange } from './sender-change.ts';

const sender: SenderRecord = {
  phoneNumberId: 'a',
  portfolioKey: 'p1',
  mps: 80,
  messagingLimit: null,
  state: 'RESTRICTED',
  reason: 'restricted by Meta',
  version: 4,
};
const message = (id: string, phoneNumberId: string): AssignedMessage => ({
  id,
  status: 'PENDING',
  runId: 'r1',
  contactId: `contact-${id}`,
  phoneNumberId,
  waitingReason: undefined,
  runSenders: [
    { phoneNumberId: 'a', weight: 1 },
    { phoneNumberId: 'b', weight: 1 },
  ],
});

describe('createSenderChange', () => {
  it('when a number stops, then the plan moves its messages and the moved ones are queued under the number version', async () => {
    const queued: Array<{ key: string; messageIds: string[] }> = [];
    const projection: SenderProjection = {
      async record(_sender, plan) {
        const changes = plan([message('m1', 'a'), message('m2', 'a')], {
          sending: new Set(['b']),
          reopened: new Set(),
        });
        expect(changes).toEqual([
          { id: 'm1', kind: 'move', phoneNumberId: 'b' },
          { id: 'm2', kind: 'move', phoneNumberId: 'b' },
        ]);
        return { applied: true, queue: changes.map((change) => ({ id: change.id, runId: 'r1' })), waiting: 0 };
      },
    };
    const senderChanged = createSenderChange({
      projection,
      queue: { enqueue: async (_runId, batches) => void queued.push(...batches) },
      sendBatchSize: 100,
    });
    expect(await senderChanged(sender)).toEqual({ applied: true, queued: 2, waiting: 0 });
    expect(queued).toEqual([{ key: 'sender:a:4:m1:2', messageIds: ['m1', 'm2'] }]);
  });

  it('when the version is not newer, then nothing is queued', async () => {
    const queued: unknown[] = [];
    const senderChanged = createSenderChange({
      projection: { record: async () => ({ applied: false, queue: [], waiting: 0 }) },
      queue: { enqueue: async (_runId, batches) => void queued.push(...batches) },
      sendBatchSize: 100,
    });
    expect(await senderChanged(sender)).toEqual({ applied: false, queued: 0, waiting: 0 });
    expect(queued).toEqual([]);
  });
});
