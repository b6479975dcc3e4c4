import type { SenderProjection, SenderRecord, SendQueue } from './ports.ts';
import { queueMessages } from './queue-messages.ts';
import { planReassignment } from './sender-assignment.ts';

export interface SenderChangeOutcome {
  applied: boolean;
  /** Messages moved to another number or released on theirs, and queued again. */
  queued: number;
  /** Messages left waiting because none of their run's senders sends. */
  waiting: number;
}

/**
 * sender.changed: the number's new limits and state are kept (the newest version wins) and, in the same
 * transaction, the PENDING messages of open runs follow it: off a number that stopped to the run's other
 * senders (or waiting for one), back onto a number that sends again. What moved or was released is
 * queued under batch keys named for the number's version, so a repeated event publishes nothing new.
 * Queuing follows the commit: a crash between the two leaves the messages PENDING, and the start-up and
 * reconnect passes queue every PENDING message of open runs.
 */
export function createSenderChange(options: { projection: SenderProjection; queue: SendQueue; sendBatchSize: number }) {
  return async function senderChanged(sender: SenderRecord): Promise<SenderChangeOutcome> {
    const { applied, queue, waiting } = await options.projection.record(sender, planReassignment);
    await queueMessages(
      options.queue,
      queue,
      options.sendBatchSize,
      (first, count) => `sender:${sender.phoneNumberId}:${sender.version}:${first.id}:${count}`,
    );
    return { applied, queued: queue.length, waiting };
  };
}

export type SenderChange = ReturnType<typeof createSenderChange>;
