import { z } from 'zod';
import { defineEvent } from './define.ts';

const isoInstant = z.iso.datetime({ offset: true });
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number');

export const messageStatus = z.enum(['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED']);
export type MessageStatus = z.output<typeof messageStatus>;

/** Why a message ends SKIPPED: it must not be sent, and never was. */
export const skipReason = z.enum(['opted_out', 'contact_deleted', 'run_cancelled']);
export type SkipReason = z.output<typeof skipReason>;

export const statusCounts = z.object({
  pending: z.number().int().nonnegative(),
  sending: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  delivered: z.number().int().nonnegative(),
  read: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  // Absent in events published before SKIPPED existed.
  skipped: z.number().int().nonnegative().default(0),
});
export type StatusCounts = z.output<typeof statusCounts>;

const metaError = z.object({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  details: z.string().optional(),
});

/** Published by the campaign-service's outbox relay when a run is created for a due period. */
export const runRequested = defineEvent({
  name: 'run.requested',
  version: 1,
  stream: 'RUNS',
  owner: 'campaign-service',
  schema: z.object({
    runId: z.uuid(),
    campaignId: z.uuid(),
    templateId: z.uuid(),
    periodKey: z.string().min(1),
    scheduledFor: isoInstant,
    requestedAt: isoInstant,
  }),
});

/** Published by the dispatcher when no message of a run is PENDING or SENDING any more. */
export const runCompleted = defineEvent({
  name: 'run.completed',
  version: 1,
  stream: 'RUNS',
  owner: 'dispatcher-service',
  schema: z.object({
    runId: z.uuid(),
    campaignId: z.uuid(),
    completedAt: isoInstant,
    counts: statusCounts,
  }),
});

/** An operator cancelled a run: its PENDING messages end SKIPPED (`run_cancelled`); in-flight ones finish. */
export const runCancelled = defineEvent({
  name: 'run.cancelled',
  version: 1,
  stream: 'RUNS',
  owner: 'campaign-service',
  schema: z.object({
    runId: z.uuid(),
    campaignId: z.uuid(),
    cancelledAt: isoInstant,
  }),
});

/** The dispatcher's own work queue: a batch of stored messages ready to send. */
export const dispatchBatch = defineEvent({
  name: 'dispatch.batch',
  version: 1,
  stream: 'DISPATCH',
  owner: 'dispatcher-service',
  schema: z.object({
    runId: z.uuid(),
    messageIds: z.array(z.uuid()).min(1),
  }),
});

/** A message that exhausted its retries; kept for operators and replay. */
export const messageDeadLettered = defineEvent({
  name: 'message.dead_lettered',
  version: 1,
  stream: 'MESSAGES',
  owner: 'dispatcher-service',
  schema: z.object({
    messageId: z.uuid(),
    runId: z.uuid(),
    attempts: z.number().int().nonnegative(),
    error: metaError,
    deadLetteredAt: isoInstant,
  }),
});

/** One status from a Meta status webhook; Nats-Msg-Id `<wamid>:<status>` deduplicates Meta's redeliveries. */
export const whatsappStatus = defineEvent({
  name: 'whatsapp.status',
  version: 1,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({
    wamid: z.string().min(1),
    status: z.enum(['sent', 'delivered', 'read', 'failed']),
    occurredAt: isoInstant,
    recipientId: z.string().min(1),
    phoneNumberId: z.string().min(1),
    bizOpaqueCallbackData: z.string().optional(),
    errors: z.array(metaError).default([]),
    pricing: z
      .object({
        billable: z.boolean().optional(),
        pricingModel: z.string().optional(),
        category: z.string().optional(),
      })
      .optional(),
    conversationId: z.string().optional(),
  }),
});

/** A message a user wrote or a button they tapped. */
export const whatsappInbound = defineEvent({
  name: 'whatsapp.inbound',
  version: 1,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({
    messageId: z.string().min(1),
    from: e164,
    phoneNumberId: z.string().min(1),
    occurredAt: isoInstant,
    type: z.string().min(1),
    text: z.string().optional(),
    buttonPayload: z.string().optional(),
    replyToWamid: z.string().optional(),
    profileName: z.string().optional(),
  }),
});

export const templateStatusChanged = defineEvent({
  name: 'whatsapp.template_status',
  version: 1,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({
    event: z.string().min(1),
    metaTemplateId: z.string().optional(),
    name: z.string().min(1),
    language: z.string().min(1),
    reason: z.string().optional(),
    category: z.string().optional(),
    occurredAt: isoInstant,
  }),
});

/** Account-level problems Meta reports outside any one message (`value.errors[]`). */
export const accountError = defineEvent({
  name: 'whatsapp.account_error',
  version: 1,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({
    phoneNumberId: z.string().optional(),
    businessAccountId: z.string().min(1),
    error: metaError,
    occurredAt: isoInstant,
  }),
});

const contactPreference = z.object({
  phone: e164,
  reason: z.enum(['keyword', 'user_preferences']),
  sourceId: z.string().min(1),
  occurredAt: isoInstant,
});

/** A user asked to stop (a STOP keyword or Meta's marketing preference); the campaign-service applies it. */
export const contactOptedOut = defineEvent({
  name: 'contact.opted_out',
  version: 1,
  stream: 'CONTACTS',
  owner: 'webhook-service',
  schema: contactPreference,
});

export const contactOptedIn = defineEvent({
  name: 'contact.opted_in',
  version: 1,
  stream: 'CONTACTS',
  owner: 'webhook-service',
  schema: contactPreference,
});

/**
 * The campaign-service's word on whether a contact may be messaged: published (through its outbox) when
 * a contact opts out or back in, by REST or by a STOP the campaign-service resolved to the contact, and
 * when a contact is deleted. The dispatcher keeps the latest per contact and checks it when it claims a send.
 */
export const suppressionChanged = defineEvent({
  name: 'suppression.changed',
  version: 1,
  stream: 'SUPPRESSIONS',
  owner: 'campaign-service',
  schema: z.object({
    contactId: z.uuid(),
    phone: e164,
    suppressed: z.boolean(),
    reason: z.enum(['opted_out', 'contact_deleted']),
    occurredAt: isoInstant,
  }),
});

const messageStatusItem = z.object({
  messageId: z.uuid(),
  runId: z.uuid(),
  campaignId: z.uuid(),
  contactId: z.string().min(1),
  phone: e164,
  status: z.enum(['SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED']),
  occurredAt: isoInstant,
  wamid: z.string().optional(),
  error: metaError.optional(),
  skipReason: skipReason.optional(),
});
export type MessageStatusItem = z.output<typeof messageStatusItem>;

/**
 * Messages that reached a status (SENT, DELIVERED, READ, FAILED, SKIPPED), each with what a business
 * needs to match it to its own records: one event per statement that moved them, published by the
 * dispatcher after that statement committed, with a msgId derived from its content. The
 * callback-service turns each item into a `message.*` callback (deduplicated there by message and status).
 */
export const messageStatusChanged = defineEvent({
  name: 'message.status_changed',
  version: 1,
  stream: 'MESSAGES',
  owner: 'dispatcher-service',
  schema: z.object({ statuses: z.array(messageStatusItem).min(1) }),
});
