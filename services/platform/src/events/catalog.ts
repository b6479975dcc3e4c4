import { z } from 'zod';
import { sendWindowSchema } from '../schedule/send-window.ts';
import { defineEvent } from './define.ts';

const isoInstant = z.iso.datetime({ offset: true });
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number');

export const messageStatus = z.enum(['PENDING', 'SENDING', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'SKIPPED']);
export type MessageStatus = z.output<typeof messageStatus>;

/**
 * Why a message ends SKIPPED: it must not be sent, and never was. `frequency_capped` and `region_blocked`
 * are the marketing guardrails: the contact had its share of MARKETING messages in the window, or their
 * calling code receives no MARKETING templates.
 */
export const skipReason = z.enum([
  'opted_out',
  'contact_deleted',
  'run_cancelled',
  'frequency_capped',
  'region_blocked',
]);
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

/**
 * The rules a run's messages are sent under, fixed when the campaign-service creates the run: they travel
 * on run.requested, so the dispatcher needs no copy of the settings and a run's rules cannot change
 * under it halfway. The cap and the region rules apply to MARKETING templates only; the send window to
 * every message of the run, in the recipient's zone, else `sendWindow.timezone` (the campaign's).
 */
export const runGuardrails = z.object({
  frequencyCap: z
    .object({ maxMessages: z.number().int().positive(), windowSeconds: z.number().int().positive() })
    .nullable(),
  blockedCallingCodes: z.array(z.string().regex(/^[1-9]\d{0,2}$/)),
  sendWindow: sendWindowSchema.and(z.object({ timezone: z.string().min(1) })).nullable(),
});
export type RunGuardrails = z.output<typeof runGuardrails>;

/**
 * One of the numbers a run sends from. A contact's number is chosen by weighted rendezvous hashing of the
 * contact id over these, so a contact hears from the same number run after run while the list holds,
 * and each number gets a share of the run in proportion to its weight (its throughput).
 */
export const runSender = z.object({
  phoneNumberId: z.string().min(1),
  weight: z.number().positive(),
});
export type RunSender = z.output<typeof runSender>;

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
    // The marketing guardrails as they stood when the run was created; absent in events published before
    // guardrails existed (then none apply).
    guardrails: runGuardrails.optional(),
    // The numbers the run sends from, as the campaign names them; absent in events published before
    // senders existed (then the dispatcher's default number sends everything).
    senders: z.array(runSender).min(1).optional(),
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

/**
 * A campaign's template sent once to one number now (`POST /v1/campaigns/{id}/test-send`), through the
 * dispatcher's normal path; not a run: it counts in no run report and against no recurrence. The
 * campaign-service resolved the values; `messageId` is the message the dispatcher stores and sends.
 */
export const testSendRequested = defineEvent({
  name: 'run.test_send_requested',
  version: 1,
  stream: 'RUNS',
  owner: 'campaign-service',
  schema: z.object({
    messageId: z.uuid(),
    campaignId: z.uuid(),
    templateId: z.uuid(),
    /** The contact's id, or `phone:<E.164>` for a number that is no contact. */
    contactId: z.string().min(1),
    phone: e164,
    variables: z.record(z.string(), z.string()),
    requestedAt: isoInstant,
    // The number the test goes out from (the campaign's sender for this phone); absent: the default number.
    phoneNumberId: z.string().min(1).optional(),
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

/**
 * A customer answered a campaign message (Meta's context.id named its wamid). Published by the dispatcher
 * after the reply is stored, Nats-Msg-Id `message.replied:<reply wamid>`, so Meta's redeliveries add nothing.
 */
export const messageReplied = defineEvent({
  name: 'message.replied',
  version: 1,
  stream: 'MESSAGES',
  owner: 'dispatcher-service',
  schema: z.object({
    /** Meta's id of the customer's message. */
    replyId: z.string().min(1),
    messageId: z.uuid(),
    runId: z.uuid(),
    campaignId: z.uuid(),
    contactId: z.string().min(1).optional(),
    phone: e164,
    /** text, button, interactive.button_reply, interactive.list_reply, … */
    type: z.string().min(1),
    /** The text body, the quick-reply button's text or the interactive reply's title. */
    text: z.string().optional(),
    /** The quick-reply button's payload or the interactive reply's id. */
    payload: z.string().optional(),
    repliedAt: isoInstant,
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

/**
 * The statuses of one Meta webhook delivery together, as one stored message: a delivery carries up to
 * dozens of statuses, and storing, delivering and acknowledging each on its own cost nats-server
 * (and both services) more per message than everything else on the status path. A new version of
 * whatsapp.status rather than a new event, so one consumer reads both versions through one subject
 * filter (`whatsapp.status.*`) while publishers of version 1 are still running. Nats-Msg-Id
 * `statuses:<hash of the members' ids>`, so Meta's redelivery of the same notification is dropped
 * as a duplicate; a status that comes again in another delivery changes nothing where it is applied
 * (the status projection is idempotent and never moves backwards).
 */
export const whatsappStatusBatch = defineEvent({
  name: 'whatsapp.status',
  version: 2,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({ statuses: z.array(whatsappStatus.schema).min(1) }),
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

/**
 * Meta's word on a phone number or the account behind it (webhook fields `phone_number_quality_update`
 * and `account_update`), normalised by the webhook-service. Meta names the number by its display number,
 * not its id, so the campaign-service matches it to a sender by `displayPhoneNumber` (digits only).
 */
export const whatsappNumberUpdate = defineEvent({
  name: 'whatsapp.number_update',
  version: 1,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({
    field: z.enum(['phone_number_quality_update', 'account_update']),
    /** The WABA id (the webhook entry's id). */
    businessAccountId: z.string().min(1),
    /** Digits only, as Meta sends it (`display_phone_number` or `phone_number`); absent for account-wide events. */
    displayPhoneNumber: z.string().optional(),
    /** Meta's `event`: FLAGGED, UNFLAGGED, DOWNGRADE, UPGRADE, ONBOARDING, ACCOUNT_RESTRICTION, ACCOUNT_VIOLATION, DISABLED_UPDATE, ACCOUNT_OFFBOARDED, … */
    event: z.string().min(1),
    /** The messaging limit Meta states now and before, as Meta spells it (TIER_250 … TIER_UNLIMITED). */
    currentLimit: z.string().optional(),
    previousLimit: z.string().optional(),
    /** `account_update` restrictions: what is restricted and until when. */
    restrictions: z.array(z.object({ type: z.string().min(1), expiresAt: isoInstant.optional() })).default([]),
    /** `account_update` ban state (DISABLE, REINSTATE, SCHEDULE_FOR_DISABLE), when Meta sends one. */
    banState: z.string().optional(),
    occurredAt: isoInstant,
  }),
});

/**
 * Meta's word on a template beyond its review status (webhook fields `message_template_quality_update`
 * and `template_category_update`), normalised by the webhook-service.
 */
export const whatsappTemplateUpdate = defineEvent({
  name: 'whatsapp.template_update',
  version: 1,
  stream: 'WHATSAPP',
  owner: 'webhook-service',
  schema: z.object({
    field: z.enum(['message_template_quality_update', 'template_category_update']),
    businessAccountId: z.string().min(1),
    metaTemplateId: z.string().optional(),
    name: z.string().min(1),
    language: z.string().min(1),
    /** GREEN, YELLOW, RED or UNKNOWN. */
    previousQuality: z.string().optional(),
    newQuality: z.string().optional(),
    /** MARKETING, UTILITY or AUTHENTICATION. */
    previousCategory: z.string().optional(),
    newCategory: z.string().optional(),
    occurredAt: isoInstant,
  }),
});

/**
 * The campaign-service's word on a sender number, published (through its outbox) whenever what the
 * dispatcher needs of it changes: created, refreshed from Meta, edited, flagged, restricted, deleted.
 * The dispatcher keeps the newest `version` per number and sends within it at once.
 */
export const senderChanged = defineEvent({
  name: 'sender.changed',
  version: 1,
  stream: 'SENDERS',
  owner: 'campaign-service',
  schema: z.object({
    senderId: z.uuid(),
    phoneNumberId: z.string().min(1),
    businessAccountId: z.string().optional(),
    /** Whose daily messaging limit the number shares: the business portfolio (else the WABA, else the number). */
    portfolioKey: z.string().min(1),
    /** Messages per second the dispatcher may send through the number now: Meta's throughput, the operator's cap, slowed when flagged. */
    mps: z.number().int().positive(),
    /** Unique recipients per moving 24 hours for the portfolio; null when unlimited or unknown. */
    messagingLimit: z.number().int().positive().nullable(),
    /** ACTIVE and FLAGGED send; RESTRICTED (Meta), DISABLED (the operator) and DELETED do not. */
    state: z.enum(['ACTIVE', 'FLAGGED', 'RESTRICTED', 'DISABLED', 'DELETED']),
    /** Why the number does not send, or sends slower, in words an operator can act on. */
    reason: z.string().optional(),
    /** Grows with every change of the sender, so a late or repeated event changes nothing. */
    version: z.number().int().nonnegative(),
    occurredAt: isoInstant,
  }),
});
