import { dispatchBatch } from '@ektola/platform/events';
import type { EventPublisher } from '@ektola/platform/nats';
import type { SendQueue } from '../domain/ports.ts';

/** dispatch.batch events whose msgId is derived from their contents, so a repeated enqueue stores nothing new. */
export function createNatsSendQueue(publisher: EventPublisher): SendQueue {
  return {
    async enqueue(runId, batches) {
      if (batches.length === 0) return;
      await publisher.publishAll(
        dispatchBatch,
        batches.map((batch) => ({
          payload: { runId, messageIds: batch.messageIds },
          msgId: `dispatch:${runId}:${batch.key}`,
        })),
      );
    },
  };
}
