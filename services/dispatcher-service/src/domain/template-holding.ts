import type { SendQueue, TemplateHolds } from './ports.ts';
import { queueMessages } from './queue-messages.ts';

/** Meta's template events that stop its sends (Meta answers 132015/132016 to each one otherwise). */
const holdingEvents = new Set(['PAUSED', 'DISABLED', 'PENDING_DELETION', 'DELETED']);
/** Meta's template events that let it send again. */
const releasingEvents = new Set(['APPROVED', 'REINSTATED', 'UNPAUSED']);

export interface TemplateStatus {
  event: string;
  name: string;
  language: string;
  reason: string | undefined;
  occurredAt: Date;
}

export type TemplateHoldOutcome =
  { action: 'held'; messages: number } | { action: 'released'; messages: number } | { action: 'ignored' };

/**
 * Meta's review of a template drives its messages: paused or disabled, its PENDING messages wait
 * `template_paused` and none is claimed; approved or reinstated, they are released and queued again
 * (batch keys carry the event's instant, so a redelivery publishes nothing new).
 */
export function createTemplateHolding(options: { holds: TemplateHolds; queue: SendQueue; sendBatchSize: number }) {
  return async function templateStatusChanged(status: TemplateStatus): Promise<TemplateHoldOutcome> {
    const event = status.event.toUpperCase();
    if (holdingEvents.has(event)) {
      const messages = await options.holds.hold({
        name: status.name,
        language: status.language,
        event,
        reason: status.reason,
        since: status.occurredAt,
      });
      return { action: 'held', messages };
    }
    if (!releasingEvents.has(event)) return { action: 'ignored' };
    const released = await options.holds.release({
      name: status.name,
      language: status.language,
      at: status.occurredAt,
    });
    const at = status.occurredAt.getTime();
    await queueMessages(
      options.queue,
      released,
      options.sendBatchSize,
      (first, count) => `template:${status.name}:${status.language}:${at}:${first.id}:${count}`,
    );
    return { action: 'released', messages: released.length };
  };
}

export type TemplateHolding = ReturnType<typeof createTemplateHolding>;
