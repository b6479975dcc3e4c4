import { createHash } from 'node:crypto';
import { whatsappStatus, whatsappStatusBatch, type PayloadOf } from '@ektola/platform/events';
import { outgoing, type OutgoingEvent } from './event-sink.ts';

/**
 * One delivery's statuses as one whatsapp.status v2 event, the other events as they are. Each status
 * stored, delivered and acknowledged on its own cost more than the rest of its path; together they
 * cost one of each per delivery. A lone status stays a v1 event: nothing to share. The batch's
 * Nats-Msg-Id is a hash of its members' ids in order, the same for Meta's redelivery of the same
 * notification (which JetStream then drops), since translating a notification is deterministic.
 */
export function batchStatuses(events: readonly OutgoingEvent[]): readonly OutgoingEvent[] {
  const statuses = events.filter((event) => event.event === whatsappStatus);
  if (statuses.length < 2) return events;
  const hash = createHash('sha256');
  for (const status of statuses) hash.update(status.msgId).update('\n');
  const batch = outgoing(
    whatsappStatusBatch,
    { statuses: statuses.map((status) => status.payload as PayloadOf<typeof whatsappStatus>) },
    `statuses:${hash.digest('base64url')}`,
  );
  return [batch, ...events.filter((event) => event.event !== whatsappStatus)];
}
