import { webhookError } from './meta-errors.ts';
import type { StatusName } from './status-plan.ts';

/** Who the notifications are about: the business account and one of its phone numbers. */
export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

export interface StatusEvent {
  messageId: string;
  status: StatusName;
  timestampSec: number;
  recipientId: string;
  bizOpaque?: string;
  /** Lowercase pricing category: marketing, utility, authentication, or service for a free-form reply. */
  category: string;
  conversationId: string;
  conversationExpiresSec: number;
  errorCode?: number;
}

type Value = Record<string, unknown>;

const envelope = (wabaId: string, field: string, value: Value, time?: number) => ({
  object: 'whatsapp_business_account' as const,
  entry: [{ id: wabaId, ...(time === undefined ? {} : { time }), changes: [{ value, field }] }],
});

const messagesValue = (number: BusinessNumber, rest: Value): Value => ({
  messaging_product: 'whatsapp',
  metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
  ...rest,
});

/**
 * One status as Meta writes it: `sent` and `delivered` carry conversation and pricing, `read`
 * neither, `failed` its `errors[]` instead. Timestamps are strings of unix seconds, as Meta sends them.
 */
export function statusEntry(event: StatusEvent): Value {
  const base: Value = {
    id: event.messageId,
    status: event.status,
    timestamp: String(event.timestampSec),
    recipient_id: event.recipientId,
    ...(event.bizOpaque === undefined ? {} : { biz_opaque_callback_data: event.bizOpaque }),
  };
  if (event.status === 'failed') return { ...base, errors: [webhookError(event.errorCode ?? 131026)] };
  if (event.status === 'read') return base;
  const service = event.category === 'service';
  return {
    ...base,
    conversation: {
      id: event.conversationId,
      expiration_timestamp: String(event.conversationExpiresSec),
      origin: { type: event.category },
    },
    pricing: service
      ? { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' }
      : { billable: true, pricing_model: 'PMP', type: 'regular', category: event.category },
  };
}

/** Several statuses of one phone number in one notification, as Meta batches them under load. */
export const statusNotification = (number: BusinessNumber, events: ReadonlyArray<StatusEvent>) =>
  envelope(number.wabaId, 'messages', messagesValue(number, { statuses: events.map(statusEntry) }));

export interface InboundContact {
  waId: string;
  name: string;
}

const inbound = (number: BusinessNumber, contact: InboundContact, message: Value) =>
  envelope(
    number.wabaId,
    'messages',
    messagesValue(number, {
      contacts: [{ profile: { name: contact.name }, wa_id: contact.waId }],
      messages: [message],
    }),
  );

export const inboundTextNotification = (
  number: BusinessNumber,
  contact: InboundContact,
  message: { id: string; timestampSec: number; body: string },
) =>
  inbound(number, contact, {
    from: contact.waId,
    id: message.id,
    timestamp: String(message.timestampSec),
    type: 'text',
    text: { body: message.body },
  });

/** A reply to one of the business's messages: `context.id` is the message it answers. */
interface Reply {
  id: string;
  timestampSec: number;
  contextMessageId: string;
}

const reply = (number: BusinessNumber, contact: InboundContact, message: Reply, content: Value) =>
  inbound(number, contact, {
    context: { from: number.displayPhoneNumber, id: message.contextMessageId },
    from: contact.waId,
    id: message.id,
    timestamp: String(message.timestampSec),
    ...content,
  });

/** A tap on a template's quick-reply button. */
export const inboundButtonNotification = (
  number: BusinessNumber,
  contact: InboundContact,
  message: Reply & { payload: string; text: string },
) => reply(number, contact, message, { type: 'button', button: { payload: message.payload, text: message.text } });

/** A text the user wrote as a reply to one of the business's messages (swiped to reply): it carries `context`. */
export const inboundTextReplyNotification = (
  number: BusinessNumber,
  contact: InboundContact,
  message: Reply & { body: string },
) => reply(number, contact, message, { type: 'text', text: { body: message.body } });

/**
 * A tap on an interactive message's reply button (`button_reply`) or a pick from its list (`list_reply`,
 * which may carry the row's description).
 */
export const inboundInteractiveReplyNotification = (
  number: BusinessNumber,
  contact: InboundContact,
  message: Reply & {
    kind: 'button_reply' | 'list_reply';
    replyId: string;
    title: string;
    description?: string | undefined;
  },
) =>
  reply(number, contact, message, {
    type: 'interactive',
    interactive: {
      type: message.kind,
      [message.kind]: {
        id: message.replyId,
        title: message.title,
        ...(message.description === undefined ? {} : { description: message.description }),
      },
    },
  });

/** A user stopping or resuming marketing messages; Meta's preference timestamps are numbers. */
export const userPreferenceNotification = (
  number: BusinessNumber,
  preference: { waId: string; value: 'stop' | 'resume'; timestampSec: number; detail?: string },
) =>
  envelope(
    number.wabaId,
    'user_preferences',
    messagesValue(number, {
      contacts: [{ wa_id: preference.waId }],
      user_preferences: [
        {
          wa_id: preference.waId,
          detail:
            preference.detail ??
            (preference.value === 'stop'
              ? 'User requested to stop marketing messages'
              : 'User requested to resume marketing messages'),
          category: 'marketing_messages',
          value: preference.value,
          timestamp: preference.timestampSec,
        },
      ],
    }),
  );

export const templateStatusNotification = (
  wabaId: string,
  update: {
    event: string;
    templateId: string;
    name: string;
    language: string;
    reason?: string;
    category: string;
    timeSec: number;
  },
) =>
  envelope(
    wabaId,
    'message_template_status_update',
    {
      event: update.event,
      message_template_id: Number(update.templateId),
      message_template_name: update.name,
      message_template_language: update.language,
      reason: update.reason ?? 'NONE',
      message_template_category: update.category,
    },
    update.timeSec,
  );

/** Account-level problems, e.g. throughput reached, arrive as `value.errors`. */
export const accountErrorNotification = (number: BusinessNumber, code: number, details?: string) =>
  envelope(number.wabaId, 'messages', messagesValue(number, { errors: [webhookError(code, details)] }));

/**
 * A change of a number's messaging limit, throughput or quality flag (`phone_number_quality_update`).
 * `old_limit` comes only with a limit change; `current_limit` is the field Meta is retiring and
 * `max_daily_conversations_per_business` the one replacing it, so both carry the limit now.
 */
export const numberQualityNotification = (
  number: BusinessNumber,
  update: { event: string; currentLimit: string; oldLimit?: string; timeSec: number },
) =>
  envelope(
    number.wabaId,
    'phone_number_quality_update',
    {
      display_phone_number: number.displayPhoneNumber,
      event: update.event,
      ...(update.oldLimit === undefined ? {} : { old_limit: update.oldLimit }),
      current_limit: update.currentLimit,
      max_daily_conversations_per_business: update.currentLimit,
    },
    update.timeSec,
  );

/** A restriction, violation, ban or offboarding of the business account (`account_update`). */
export const accountUpdateNotification = (
  wabaId: string,
  update: {
    event: string;
    phoneNumber?: string;
    restrictions?: ReadonlyArray<{ type: string; expiresSec: number }>;
    banState?: string;
    banDate?: string;
    violationType?: string;
    timeSec: number;
  },
) =>
  envelope(
    wabaId,
    'account_update',
    {
      ...(update.phoneNumber === undefined ? {} : { phone_number: update.phoneNumber }),
      event: update.event,
      ...(update.restrictions === undefined
        ? {}
        : {
            restriction_info: update.restrictions.map((restriction) => ({
              restriction_type: restriction.type,
              expiration: metaDateTime(restriction.expiresSec),
            })),
          }),
      ...(update.banState === undefined
        ? {}
        : { ban_info: { waba_ban_state: update.banState, waba_ban_date: update.banDate ?? '' } }),
      ...(update.violationType === undefined ? {} : { violation_info: { violation_type: update.violationType } }),
    },
    update.timeSec,
  );

/** Meta writes restriction expiries as `2026-04-19T13:59:20+0000`. */
const metaDateTime = (sec: number) => new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');

/** A template's quality score moved (`message_template_quality_update`); the id is a number, as Meta sends it. */
export const templateQualityNotification = (
  wabaId: string,
  update: { templateId: string; name: string; language: string; previous: string; next: string; timeSec: number },
) =>
  envelope(
    wabaId,
    'message_template_quality_update',
    {
      previous_quality_score: update.previous,
      new_quality_score: update.next,
      message_template_id: Number(update.templateId),
      message_template_name: update.name,
      message_template_language: update.language,
    },
    update.timeSec,
  );

/** Meta moved a template to another category (`template_category_update`). */
export const templateCategoryNotification = (
  wabaId: string,
  update: { templateId: string; name: string; language: string; previous: string; next: string; timeSec: number },
) =>
  envelope(
    wabaId,
    'template_category_update',
    {
      message_template_id: Number(update.templateId),
      message_template_name: update.name,
      message_template_language: update.language,
      previous_category: update.previous,
      new_category: update.next,
    },
    update.timeSec,
  );
