import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { invalid, type ErrorDetail } from '@ektola/platform/errors';
import {
  accountError,
  contactOptedIn,
  contactOptedOut,
  templateStatusChanged,
  whatsappInbound,
  whatsappStatus,
} from '@ektola/platform/events';
import type { Clock } from '@ektola/platform/clock';
import { waIdToE164 } from '@ektola/platform/phone';
import {
  accountUpdateEvent,
  accountUpdateValueSchema,
  numberQualityEvent,
  numberQualityValueSchema,
  templateCategoryEvent,
  templateCategoryValueSchema,
  templateQualityEvent,
  templateQualityValueSchema,
  type ChangeOrigin,
} from './account-notifications.ts';
import { outgoing, type OutgoingEvent } from './event-sink.ts';
import type { PreferenceIntent } from './keywords.ts';
import {
  changeSchema,
  contactSchema,
  entrySchema,
  inboundMessageSchema,
  messagesValueSchema,
  metaErrorSchema,
  notificationSchema,
  statusSchema,
  templateStatusValueSchema,
  userPreferenceSchema,
  userPreferencesValueSchema,
  type MessagesValue,
  type MetaError,
  type TemplateStatusValue,
  type UserPreferencesValue,
} from './meta-notification.ts';

/** What a notification held, for the events metric: published kinds and the kinds acknowledged but not carried on. */
export type NotificationItemType =
  | 'status'
  | 'inbound'
  | 'opted_out'
  | 'opted_in'
  | 'template_status'
  | 'account_error'
  | 'number_update'
  | 'template_update'
  | 'untracked_status'
  | 'untracked_preference'
  | 'unknown_field'
  | 'unknown_object';

/** Which kind of item broke Meta's documented shape: the label of the rejected-items metric. */
export type RejectionReason =
  | 'invalid_entry'
  | 'invalid_change'
  | 'invalid_status'
  | 'invalid_message'
  | 'invalid_contact'
  | 'invalid_account_error'
  | 'invalid_preference'
  | 'invalid_template_status'
  | 'invalid_number_update'
  | 'invalid_template_update';

/** An item left out of a notification whose other items are applied. */
export interface RejectedItem {
  reason: RejectionReason;
  /** Where it sat, such as body.entry.0.changes.0.value.statuses.2. */
  path: string;
  problems: ErrorDetail[];
}

export interface Translation {
  events: OutgoingEvent[];
  items: Map<NotificationItemType, number>;
  unknownFields: string[];
  rejected: RejectedItem[];
}

const trackedStatuses = new Set(['sent', 'delivered', 'read', 'failed']);

const detailsOf = (issues: readonly z.core.$ZodIssue[], prefix: string): ErrorDetail[] =>
  issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));

function parseOrReject<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw invalid('the notification does not have the shape Meta documents', detailsOf(result.error.issues, path));
  return result.data;
}

const eventErrorOf = (error: MetaError) => ({
  code: error.code,
  title: error.title,
  message: error.message,
  details: error.error_data?.details,
});

/** Reads one item with its schema; a malformed one is recorded as rejected and yields nothing. */
type ReadItem = <T>(schema: z.ZodType<T>, value: unknown, path: string, reason: RejectionReason) => T | undefined;

function itemReader(translation: Translation): ReadItem {
  return (schema, value, path, reason) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    translation.rejected.push({ reason, path, problems: detailsOf(result.error.issues, path) });
    return undefined;
  };
}

/**
 * Turns one verified notification into the events EkTola stores. Pure: the same notification always
 * yields the same events and message ids, which is what makes Meta's redeliveries collapse into one.
 * Only a body that is not a notification at all is refused; a malformed entry, change, status,
 * message or preference is left out and reported in `rejected`, and the rest is applied, because Meta
 * retries the whole notification until it gets a 200.
 */
export function createNotificationTranslator(options: {
  matchKeyword: (candidates: ReadonlyArray<string | undefined>) => PreferenceIntent | undefined;
  clock: Clock;
}) {
  return function translate(body: unknown): Translation {
    const notification = parseOrReject(notificationSchema, body, 'body');
    const translation: Translation = { events: [], items: new Map(), unknownFields: [], rejected: [] };
    const count = (type: NotificationItemType, by = 1) =>
      translation.items.set(type, (translation.items.get(type) ?? 0) + by);
    if (notification.object !== 'whatsapp_business_account') {
      count('unknown_object');
      return translation;
    }
    const read = itemReader(translation);

    notification.entry.forEach((rawEntry, entryIndex) => {
      const entry = read(entrySchema, rawEntry, `body.entry.${entryIndex}`, 'invalid_entry');
      entry?.changes.forEach((rawChange, changeIndex) => {
        const change = read(
          changeSchema,
          rawChange,
          `body.entry.${entryIndex}.changes.${changeIndex}`,
          'invalid_change',
        );
        if (!change) return;
        const path = `body.entry.${entryIndex}.changes.${changeIndex}.value`;
        const occurredAt = entry.time ?? options.clock.now().toISOString();
        switch (change.field) {
          case 'messages': {
            const value = read(messagesValueSchema, change.value, path, 'invalid_change');
            if (value)
              translateMessages(
                value,
                path,
                { businessAccountId: entry.id, entryTime: entry.time, occurredAt },
                translation,
                count,
                read,
                options.matchKeyword,
              );
            break;
          }
          case 'user_preferences': {
            const value = read(userPreferencesValueSchema, change.value, path, 'invalid_change');
            if (value) translatePreferences(value, path, translation, count, read);
            break;
          }
          case 'message_template_status_update': {
            const value = read(templateStatusValueSchema, change.value, path, 'invalid_template_status');
            if (value) translateTemplateStatus(value, entry.id, occurredAt, translation, count);
            break;
          }
          default: {
            const accountChange = accountChangeReaders[change.field];
            if (accountChange) {
              const value = read(accountChange.schema, change.value, path, accountChange.reason);
              if (value === undefined) break;
              const origin = { businessAccountId: entry.id, occurredAt, entryTime: entry.time };
              translation.events.push(accountChange.toEvent(value, origin));
              count(accountChange.type);
              break;
            }
            translation.unknownFields.push(change.field);
            count('unknown_field');
          }
        }
      });
    });
    return translation;
  };
}

type Count = (type: NotificationItemType, by?: number) => void;

interface AccountChangeReader<T> {
  schema: z.ZodType<T>;
  reason: RejectionReason;
  type: NotificationItemType;
  toEvent(value: T, origin: ChangeOrigin): OutgoingEvent;
}

const reader = <T>(reading: AccountChangeReader<T>) => reading as AccountChangeReader<unknown>;

/** Meta's word on numbers and templates, each field read by its own schema into one event. */
const accountChangeReaders: Partial<Record<string, AccountChangeReader<unknown>>> = {
  phone_number_quality_update: reader({
    schema: numberQualityValueSchema,
    reason: 'invalid_number_update',
    type: 'number_update',
    toEvent: numberQualityEvent,
  }),
  account_update: reader({
    schema: accountUpdateValueSchema,
    reason: 'invalid_number_update',
    type: 'number_update',
    toEvent: accountUpdateEvent,
  }),
  message_template_quality_update: reader({
    schema: templateQualityValueSchema,
    reason: 'invalid_template_update',
    type: 'template_update',
    toEvent: templateQualityEvent,
  }),
  template_category_update: reader({
    schema: templateCategoryValueSchema,
    reason: 'invalid_template_update',
    type: 'template_update',
    toEvent: templateCategoryEvent,
  }),
};

function translateMessages(
  value: MessagesValue,
  path: string,
  entry: { businessAccountId: string; entryTime: string | undefined; occurredAt: string },
  translation: Translation,
  count: Count,
  read: ReadItem,
  matchKeyword: (candidates: ReadonlyArray<string | undefined>) => PreferenceIntent | undefined,
) {
  const phoneNumberId = value.metadata.phone_number_id;
  const each = <T>(list: unknown[] | undefined, schema: z.ZodType<T>, name: string, reason: RejectionReason): T[] =>
    (list ?? []).flatMap((item, index) => {
      const parsed = read(schema, item, `${path}.${name}.${index}`, reason);
      return parsed === undefined ? [] : [parsed];
    });

  for (const status of each(value.statuses, statusSchema, 'statuses', 'invalid_status')) {
    if (!trackedStatuses.has(status.status)) {
      count('untracked_status');
      continue;
    }
    translation.events.push(
      outgoing(
        whatsappStatus,
        {
          wamid: status.id,
          status: status.status as 'sent' | 'delivered' | 'read' | 'failed',
          occurredAt: status.timestamp,
          recipientId: status.recipient_id,
          phoneNumberId,
          bizOpaqueCallbackData: status.biz_opaque_callback_data,
          errors: (status.errors ?? []).map(eventErrorOf),
          pricing: status.pricing && {
            billable: status.pricing.billable,
            pricingModel: status.pricing.pricing_model,
            category: status.pricing.category,
          },
          conversationId: status.conversation?.id,
        },
        `${status.id}:${status.status}`,
      ),
    );
    count('status');
  }

  const contacts = each(value.contacts, contactSchema, 'contacts', 'invalid_contact');
  const profiles = new Map(contacts.map((contact) => [contact.wa_id, contact.profile?.name]));
  for (const message of each(value.messages, inboundMessageSchema, 'messages', 'invalid_message')) {
    const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
    const text = message.text?.body ?? message.button?.text ?? reply?.title;
    const buttonPayload = message.button?.payload ?? reply?.id;
    const phone = waIdToE164(message.from);
    translation.events.push(
      outgoing(
        whatsappInbound,
        {
          messageId: message.id,
          from: phone,
          phoneNumberId,
          occurredAt: message.timestamp,
          type: message.interactive ? `interactive.${message.interactive.type}` : message.type,
          text,
          buttonPayload,
          replyToWamid: message.context?.id,
          profileName: profiles.get(message.from),
        },
        message.id,
      ),
    );
    count('inbound');

    const intent = matchKeyword([text, buttonPayload]);
    if (intent) {
      const event = intent === 'opt_out' ? contactOptedOut : contactOptedIn;
      const payload = { phone, reason: 'keyword' as const, sourceId: message.id, occurredAt: message.timestamp };
      translation.events.push(outgoing(event, payload, `${message.id}:${intent}`));
      count(intent === 'opt_out' ? 'opted_out' : 'opted_in');
    }
  }

  const { businessAccountId, entryTime, occurredAt } = entry;
  for (const error of each(value.errors, metaErrorSchema, 'errors', 'invalid_account_error')) {
    translation.events.push(
      outgoing(
        accountError,
        { phoneNumberId, businessAccountId, error: eventErrorOf(error), occurredAt },
        // Meta sends no id for these but repeats the same content (and entry time) when it redelivers, so
        // the content is the id; without an entry time every delivery counts, since a repeat may be news.
        `account-error:${businessAccountId}:${phoneNumberId}:${contentKey({ error, time: entryTime ?? occurredAt })}`,
      ),
    );
    count('account_error');
  }
}

function translatePreferences(
  value: UserPreferencesValue,
  path: string,
  translation: Translation,
  count: Count,
  read: ReadItem,
) {
  for (const [index, item] of value.user_preferences.entries()) {
    const preference = read(userPreferenceSchema, item, `${path}.user_preferences.${index}`, 'invalid_preference');
    if (!preference) continue;
    if (
      preference.category !== 'marketing_messages' ||
      (preference.value !== 'stop' && preference.value !== 'resume')
    ) {
      count('untracked_preference');
      continue;
    }
    const optOut = preference.value === 'stop';
    const sourceId = `user_preferences:${preference.wa_id}:${preference.value}:${preference.timestamp}`;
    translation.events.push(
      outgoing(
        optOut ? contactOptedOut : contactOptedIn,
        { phone: waIdToE164(preference.wa_id), reason: 'user_preferences', sourceId, occurredAt: preference.timestamp },
        sourceId,
      ),
    );
    count(optOut ? 'opted_out' : 'opted_in');
  }
}

function translateTemplateStatus(
  value: TemplateStatusValue,
  businessAccountId: string,
  occurredAt: string,
  translation: Translation,
  count: Count,
) {
  const template = value.message_template_id ?? `${value.message_template_name}:${value.message_template_language}`;
  translation.events.push(
    outgoing(
      templateStatusChanged,
      {
        event: value.event,
        metaTemplateId: value.message_template_id,
        name: value.message_template_name,
        language: value.message_template_language,
        reason: value.reason ?? undefined,
        category: value.message_template_category,
        occurredAt,
      },
      `template:${businessAccountId}:${template}:${value.event}:${occurredAt}`,
    ),
  );
  count('template_status');
}

const contentKey = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
