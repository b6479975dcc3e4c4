import type { SendQueue } from './ports.ts';

/**
 * Queues messages again in send batches of `batchSize` per run. `keyOf` names a batch by what it holds
 * and why it is queued, so a repeat publishes nothing new while a later reason queues it afresh.
 */
export async function queueMessages(
  queue: SendQueue,
  messages: ReadonlyArray<{ id: string; runId: string }>,
  batchSize: number,
  keyOf: (first: { id: string }, count: number) => string,
): Promise<void> {
  for (const [runId, ofRun] of Map.groupBy(messages, (message) => message.runId)) {
    const batches: Array<{ key: string; messageIds: string[] }> = [];
    for (let start = 0; start < ofRun.length; start += batchSize) {
      const chunk = ofRun.slice(start, start + batchSize);
      batches.push({ key: keyOf(chunk[0]!, chunk.length), messageIds: chunk.map((message) => message.id) });
    }
    await queue.enqueue(runId, batches);
  }
}
