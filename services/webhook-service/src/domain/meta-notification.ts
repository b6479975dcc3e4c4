import { z } from 'zod';

/*
 * Meta's webhook shapes, as far as EkTola reads them. Objects strip what they do not name, so a field
 * Meta adds tomorrow changes nothing here. Meta writes some numbers as strings in one notification
 * and as numbers in another (status timestamps are strings, preference timestamps and template ids
 * are numbers), so those accept both.
 */

const text = z.string().min(1);
/** A user's WhatsApp id: the digits of their number, which EkTola turns into E.164. */
const waId = z.string().regex(/^\+?[1-9]\d{6,14}$/, 'must be the digits of a phone number');
const stringish = z.union([z.string().min(1), z.number()]).transform(String);
const unixSeconds = z
  .union([z.string().regex(/^\d+$/, 'must be a Unix timestamp in seconds'), z.number().int().nonnegative()])
  .transform((value) => new Date(Number(value) * 1000).toISOString());

export const metaErrorSchema = z.object({
  code: z.coerce.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

const metadataSchema = z.object({
  display_phone_number: z.string().optional(),
  phone_number_id: text,
});

export const statusSchema = z.object({
  id: text,
  /** Kept open: Meta also reports statuses EkTola does not track (played voice notes, deleted). */
  status: text,
  timestamp: unixSeconds,
  recipient_id: text,
  biz_opaque_callback_data: z.string().optional(),
  conversation: z.object({ id: z.string().optional() }).optional(),
  pricing: z
    .object({ billable: z.boolean().optional(), pricing_model: z.string().optional(), category: z.string().optional() })
    .optional(),
  errors: z.array(metaErrorSchema).optional(),
});

export const inboundMessageSchema = z.object({
  from: waId,
  id: text,
  timestamp: unixSeconds,
  type: text,
  text: z.object({ body: z.string() }).optional(),
  button: z.object({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
    })
    .optional(),
  context: z.object({ id: z.string().optional() }).optional(),
});

/*
 * Containers are read loosely and their items one by one, so one malformed item costs only itself:
 * Meta retries a whole notification it did not get a 200 for, and would retry the valid items with it
 * forever.
 */
const items = z.array(z.unknown());

export const messagesValueSchema = z.object({
  metadata: metadataSchema,
  contacts: items.optional(),
  statuses: items.optional(),
  messages: items.optional(),
  errors: items.optional(),
});

export const userPreferenceSchema = z.object({
  wa_id: waId,
  category: text,
  value: text,
  detail: z.string().optional(),
  timestamp: unixSeconds,
});

export const userPreferencesValueSchema = z.object({
  metadata: metadataSchema.optional(),
  user_preferences: items,
});

export const templateStatusValueSchema = z.object({
  event: text,
  message_template_id: stringish.optional(),
  message_template_name: text,
  message_template_language: text,
  reason: z.string().nullish(),
  message_template_category: z.string().optional(),
});

/** What makes a body a notification at all; anything short of this is a 400. */
export const notificationSchema = z.object({
  object: z.string(),
  entry: items,
});

export const entrySchema = z.object({
  id: stringish,
  time: unixSeconds.optional(),
  changes: items,
});

export const changeSchema = z.object({ field: z.string(), value: z.unknown() });

export const contactSchema = z.object({
  wa_id: text,
  profile: z.object({ name: z.string().optional() }).optional(),
});

export type Notification = z.output<typeof notificationSchema>;
export type MessagesValue = z.output<typeof messagesValueSchema>;
export type UserPreferencesValue = z.output<typeof userPreferencesValueSchema>;
export type TemplateStatusValue = z.output<typeof templateStatusValueSchema>;
export type Status = z.output<typeof statusSchema>;
export type InboundMessage = z.output<typeof inboundMessageSchema>;
export type UserPreference = z.output<typeof userPreferenceSchema>;
export type MetaError = z.output<typeof metaErrorSchema>;
