import { createHash } from 'node:crypto';
import { z } from 'zod';
import { whatsappNumberUpdate, whatsappTemplateUpdate } from '@ektola/platform/events';
import { outgoing, type OutgoingEvent } from './event-sink.ts';

/*
 * Meta's word on a business phone number (`phone_number_quality_update`, `account_update`) and on a
 * template beyond its review (`message_template_quality_update`, `template_category_update`). Objects
 * strip what they do not name; ids Meta writes as numbers are read as strings.
 */

const text = z.string().min(1);
const stringish = z.union([z.string().min(1), z.number()]).transform(String);
/** Meta writes restriction expiries as `2026-04-19T13:59:20+0000`; the event carries ISO instants. */
const metaInstant = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((value, context) => {
  const parsed =
    typeof value === 'number'
      ? new Date(value * 1000)
      : /^\d+$/.test(value)
        ? new Date(Number(value) * 1000)
        : new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(parsed.getTime())) {
    context.addIssue({ code: 'custom', message: 'must be a date-time' });
    return z.NEVER;
  }
  return parsed.toISOString();
});

export const numberQualityValueSchema = z.object({
  display_phone_number: text,
  event: text,
  /** Removed by Meta in favour of `max_daily_conversations_per_business`; read while it is still sent. */
  current_limit: z.string().optional(),
  old_limit: z.string().optional(),
  max_daily_conversations_per_business: z.string().optional(),
});

export const accountUpdateValueSchema = z.object({
  phone_number: z.union([z.string(), z.number()]).transform(String).optional(),
  event: text,
  restriction_info: z.array(z.object({ restriction_type: text, expiration: metaInstant.optional() })).optional(),
  ban_info: z.object({ waba_ban_state: z.string().optional(), waba_ban_date: z.string().optional() }).optional(),
});

export const templateQualityValueSchema = z.object({
  previous_quality_score: z.string().optional(),
  new_quality_score: z.string().optional(),
  message_template_id: stringish.optional(),
  message_template_name: text,
  message_template_language: text,
});

export const templateCategoryValueSchema = z.object({
  message_template_id: stringish.optional(),
  message_template_name: text,
  message_template_language: text,
  previous_category: z.string().optional(),
  new_category: z.string().optional(),
});

export type NumberQualityValue = z.output<typeof numberQualityValueSchema>;
export type AccountUpdateValue = z.output<typeof accountUpdateValueSchema>;
export type TemplateQualityValue = z.output<typeof templateQualityValueSchema>;
export type TemplateCategoryValue = z.output<typeof templateCategoryValueSchema>;

/** Where the change came from: the entry's WABA id and time (or the receipt time when Meta sent none). */
export interface ChangeOrigin {
  businessAccountId: string;
  occurredAt: string;
  /** The entry's own time, when Meta sent one: part of the id, so only a true redelivery collapses. */
  entryTime: string | undefined;
}

/**
 * Meta sends these without an id of its own but repeats the same bytes (and entry time) when it
 * redelivers, so the content is the id. Without an entry time the receipt time stands in, so two
 * separate downgrades reported alike are never merged into one.
 */
const idOf = (kind: string, origin: ChangeOrigin, value: unknown) =>
  `${kind}:${origin.businessAccountId}:${createHash('sha256')
    .update(JSON.stringify({ value, time: origin.entryTime ?? origin.occurredAt }))
    .digest('base64url')
    .slice(0, 22)}`;

export function numberQualityEvent(value: NumberQualityValue, origin: ChangeOrigin): OutgoingEvent {
  return outgoing(
    whatsappNumberUpdate,
    {
      field: 'phone_number_quality_update',
      businessAccountId: origin.businessAccountId,
      displayPhoneNumber: value.display_phone_number,
      event: value.event,
      currentLimit: value.max_daily_conversations_per_business ?? value.current_limit,
      previousLimit: value.old_limit,
      restrictions: [],
      occurredAt: origin.occurredAt,
    },
    idOf('number-quality', origin, value),
  );
}

export function accountUpdateEvent(value: AccountUpdateValue, origin: ChangeOrigin): OutgoingEvent {
  return outgoing(
    whatsappNumberUpdate,
    {
      field: 'account_update',
      businessAccountId: origin.businessAccountId,
      displayPhoneNumber: value.phone_number,
      event: value.event,
      restrictions: (value.restriction_info ?? []).map((restriction) => ({
        type: restriction.restriction_type,
        expiresAt: restriction.expiration,
      })),
      banState: value.ban_info?.waba_ban_state,
      occurredAt: origin.occurredAt,
    },
    idOf('account-update', origin, value),
  );
}

export function templateQualityEvent(value: TemplateQualityValue, origin: ChangeOrigin): OutgoingEvent {
  return outgoing(
    whatsappTemplateUpdate,
    {
      field: 'message_template_quality_update',
      businessAccountId: origin.businessAccountId,
      metaTemplateId: value.message_template_id,
      name: value.message_template_name,
      language: value.message_template_language,
      previousQuality: value.previous_quality_score,
      newQuality: value.new_quality_score,
      occurredAt: origin.occurredAt,
    },
    idOf('template-quality', origin, value),
  );
}

export function templateCategoryEvent(value: TemplateCategoryValue, origin: ChangeOrigin): OutgoingEvent {
  return outgoing(
    whatsappTemplateUpdate,
    {
      field: 'template_category_update',
      businessAccountId: origin.businessAccountId,
      metaTemplateId: value.message_template_id,
      name: value.message_template_name,
      language: value.message_template_language,
      previousCategory: value.previous_category,
      newCategory: value.new_category,
      occurredAt: origin.occurredAt,
    },
    idOf('template-category', origin, value),
  );
}
