import type { MessageStatus } from '@ektola/platform/events';

export type WebhookStatus = 'sent' | 'delivered' | 'read' | 'failed';

export const statusOfWebhook: Record<WebhookStatus, MessageStatus> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'READ',
  failed: 'FAILED',
};

/**
 * Whether a status webhook may move a message from `current` to `next`. Statuses only move forward
 * (SENT < DELIVERED < READ); FAILED may follow anything before DELIVERED; READ and FAILED are final.
 * A message still PENDING or SENDING takes any status: Meta reporting on it proves the send happened.
 */
export function mayMove(current: MessageStatus, next: MessageStatus): boolean {
  if (current === next) return false;
  switch (current) {
    case 'PENDING':
    case 'SENDING':
      return true;
    case 'SENT':
      return next === 'DELIVERED' || next === 'READ' || next === 'FAILED';
    case 'DELIVERED':
      return next === 'READ';
    case 'READ':
    case 'FAILED':
      return false;
  }
}

/**
 * When one batch holds several statuses for the same message, the one to apply: the furthest along,
 * with a delivery beating a failure report, as `mayMove` would end up after applying them in any order.
 */
export const statusPrecedence: Record<MessageStatus, number> = {
  PENDING: 0,
  SENDING: 1,
  SENT: 2,
  FAILED: 3,
  DELIVERED: 4,
  READ: 5,
};

export const terminal = (status: MessageStatus) => status !== 'PENDING' && status !== 'SENDING';
