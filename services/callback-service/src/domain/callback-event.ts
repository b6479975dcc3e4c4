import { createHash } from 'node:crypto';
import type {
  accountError,
  CallbackEventType,
  contactOptedIn,
  contactOptedOut,
  MessageStatusItem,
  messageReplied,
  PayloadOf,
  runCompleted,
  templateStatusChanged,
} from '@ektola/platform/events';

/** What a receiver gets: `id` is the same on every attempt and every redelivery, so receivers deduplicate on it. */
export interface CallbackEvent {
  id: string;
  type: CallbackEventType;
  createdAt: string;
  data: Record<string, unknown>;
}

/** The body an endpoint receives, serialised once so that every attempt signs and sends the same bytes. */
export const bodyOf = (event: CallbackEvent) =>
  JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data: event.data });

/** `evt_` and 32 hex characters derived from what identifies the source event. */
export const eventIdOf = (...parts: string[]) =>
  `evt_${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)}`;

const messageTypes = {
  SENT: 'message.sent',
  DELIVERED: 'message.delivered',
  READ: 'message.read',
  FAILED: 'message.failed',
  SKIPPED: 'message.skipped',
} as const satisfies Record<MessageStatusItem['status'], CallbackEventType>;

/** One message's status as its callback; the id is the message's and the status's, however often it is announced. */
export function messageEvent(payload: MessageStatusItem): CallbackEvent {
  const type = messageTypes[payload.status];
  return {
    id: eventIdOf(type, payload.messageId),
    type,
    createdAt: payload.occurredAt,
    data: {
      messageId: payload.messageId,
      runId: payload.runId,
      campaignId: payload.campaignId,
      contactId: payload.contactId,
      phone: payload.phone,
      status: payload.status,
      statusAt: payload.occurredAt,
      ...(payload.wamid ? { wamid: payload.wamid } : {}),
      ...(payload.error
        ? { error: { code: payload.error.code, title: payload.error.title ?? payload.error.message ?? null } }
        : {}),
      ...(payload.skipReason ? { reason: payload.skipReason } : {}),
    },
  };
}

/** A customer's answer to a campaign message; one callback per reply, however often Meta re-delivers it. */
export function messageRepliedEvent(payload: PayloadOf<typeof messageReplied>): CallbackEvent {
  return {
    id: eventIdOf('message.replied', payload.replyId),
    type: 'message.replied',
    createdAt: payload.repliedAt,
    data: {
      messageId: payload.messageId,
      runId: payload.runId,
      campaignId: payload.campaignId,
      ...(payload.contactId ? { contactId: payload.contactId } : {}),
      phone: payload.phone,
      replyId: payload.replyId,
      replyType: payload.type,
      ...(payload.text !== undefined ? { text: payload.text } : {}),
      ...(payload.payload !== undefined ? { payload: payload.payload } : {}),
      repliedAt: payload.repliedAt,
    },
  };
}

export function runCompletedEvent(payload: PayloadOf<typeof runCompleted>): CallbackEvent {
  return {
    id: eventIdOf('run.completed', payload.runId),
    type: 'run.completed',
    createdAt: payload.completedAt,
    data: {
      runId: payload.runId,
      campaignId: payload.campaignId,
      completedAt: payload.completedAt,
      counts: payload.counts,
    },
  };
}

export function contactPreferenceEvent(
  type: 'contact.opted_out' | 'contact.opted_in',
  payload: PayloadOf<typeof contactOptedOut> | PayloadOf<typeof contactOptedIn>,
): CallbackEvent {
  return {
    id: eventIdOf(type, payload.sourceId, payload.phone),
    type,
    createdAt: payload.occurredAt,
    data: { phone: payload.phone, reason: payload.reason, occurredAt: payload.occurredAt },
  };
}

export function templateStatusEvent(payload: PayloadOf<typeof templateStatusChanged>): CallbackEvent {
  return {
    id: eventIdOf('template.status_changed', payload.name, payload.language, payload.event, payload.occurredAt),
    type: 'template.status_changed',
    createdAt: payload.occurredAt,
    data: {
      name: payload.name,
      language: payload.language,
      status: payload.event,
      ...(payload.metaTemplateId ? { metaTemplateId: payload.metaTemplateId } : {}),
      ...(payload.reason ? { reason: payload.reason } : {}),
      ...(payload.category ? { category: payload.category } : {}),
      occurredAt: payload.occurredAt,
    },
  };
}

export function accountErrorEvent(payload: PayloadOf<typeof accountError>): CallbackEvent {
  return {
    id: eventIdOf('account.alert', payload.businessAccountId, String(payload.error.code), payload.occurredAt),
    type: 'account.alert',
    createdAt: payload.occurredAt,
    data: {
      source: 'whatsapp',
      businessAccountId: payload.businessAccountId,
      ...(payload.phoneNumberId ? { phoneNumberId: payload.phoneNumberId } : {}),
      error: { code: payload.error.code, title: payload.error.title ?? payload.error.message ?? null },
      occurredAt: payload.occurredAt,
    },
  };
}

/** The alert an endpoint's own disabling raises, to the other endpoints that subscribe to `account.alert`. */
export function endpointDisabledEvent(endpoint: { id: string; url: string }, reason: string, at: Date): CallbackEvent {
  return {
    id: eventIdOf('account.alert', 'endpoint_disabled', endpoint.id, at.toISOString()),
    type: 'account.alert',
    createdAt: at.toISOString(),
    data: { source: 'callbacks', alert: 'endpoint_disabled', endpointId: endpoint.id, url: endpoint.url, reason },
  };
}

export function pingEvent(endpointId: string, id: string, at: Date): CallbackEvent {
  return { id, type: 'ping', createdAt: at.toISOString(), data: { endpointId } };
}
