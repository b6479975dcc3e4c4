import type { MessageStatus } from '@ektola/platform/events';

export type WebhookStatus = 'sent' | 'delivered' | 'read' | 'failed';

export const statusOfWebhook: Record<WebhookStatus, MessageStatus> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  failed: 'FAILED',
};

/**
 * The order statuses move in: SENT < FAILED < DELIVERED < READ. A status may only move a message
 * forward in it, so FAILED may follow SENT, a delivery report outranks a failure report that arrived
 * out of order, and nothing moves READ back. Because it is one order, the end state is the same
 * whatever order and however often the notifications arrive, and whether a batch holds one or all.
 * A message still PENDING or SENDING takes any status: Meta reporting on it proves the send happened.
 * SKIPPED (never sent: opted out, deleted, run cancelled) is the dispatcher's own decision, not a
 * status Meta reports: no status moves a message into it or out of it.
 */
export const statusRank: Record<MessageStatus, number> = {
  PENDING: 0,
  SENDING: 1,
  SENT: 2,
  FAILED: 3,
  DELIVERED: 4,
  READ: 5,
  SKIPPED: 6,
};

export const mayMove = (current: MessageStatus, next: MessageStatus): boolean =>
  next !== 'SKIPPED' && statusRank[next] > statusRank[current];
