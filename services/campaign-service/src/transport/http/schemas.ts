import { sendWindowSchema } from '@ektola/platform/schedule';
import { z } from 'zod';
import { messageStatus, skipReason } from '@ektola/platform/events';
import { templateComponentsSchema } from '@ektola/platform/templates';
import { roles } from '../../domain/api-key.ts';
import { outcomeStatuses } from '../../domain/audience.ts';
import { campaignStatuses, recurrences } from '../../domain/campaign-state.ts';
import { maxTagLength } from '../../domain/contact-row.ts';
import { runStatuses, templateCategories, templateQualityScores, templateStatuses } from '../../domain/model.ts';
import { contactFieldPattern } from '../../domain/template-variables.ts';

/** Why a PENDING message waits beyond an ordinary retry. */
export const waitingReason = z.enum([
  'outside_send_window',
  'marketing_limit',
  'sender_unavailable',
  'template_paused',
]);

/** The one error body, documented on every route. */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

export const idParams = z.object({ id: z.uuid() });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const instant = z.iso.datetime({ offset: true });
const tag = z.string().trim().min(1).max(maxTagLength);
const attributes = z.record(z.string().min(1).max(100), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const contactSchema = z.object({
  id: z.uuid(),
  phone: z.string().describe('E.164'),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  attributes: z.record(z.string(), z.unknown()),
  optedOut: z.boolean(),
  optedOutAt: z.string().nullable(),
  optOutReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const createContactBody = z.object({
  phone: z
    .string()
    .min(1)
    .max(40)
    .describe('Any common format; stored as E.164 using DEFAULT_COUNTRY for numbers without a country code'),
  name: z.string().trim().min(1).max(200).optional(),
  tags: z.array(tag).max(100).default([]),
  attributes: attributes.default({}),
});

export const patchContactBody = z
  .object({
    phone: z.string().min(1).max(40),
    name: z.string().trim().min(1).max(200).nullable(),
    tags: z.array(tag).max(100),
    attributes,
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

export const contactQuery = pageQuery.extend({
  tag: tag.optional(),
  search: z.string().trim().min(1).max(100).optional().describe('Part of the name or phone number'),
});

export const importResultSchema = z.object({
  imported: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  rejectedCount: z.number().int(),
});

const variableMapping = z.object({
  field: z.string().regex(contactFieldPattern, 'must be name, phone or attributes.<key>'),
  default: z.string().min(1).max(1024).optional(),
});

const templateFields = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be a Meta template name: lowercase letters, digits and _'),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'must be a Meta language code such as en or en_US'),
  category: z.enum(templateCategories),
  status: z
    .enum(templateStatuses)
    .describe('Set by Meta through sync and webhooks; settable here for templates managed outside Meta'),
  parameterFormat: z.enum(['POSITIONAL', 'NAMED']),
  components: templateComponentsSchema,
  variables: z
    .record(z.string(), variableMapping)
    .describe(
      'Placeholder key to the contact field that fills it: header.1, body.1 or body.<name>, header.media, header.media.filename, header.location.latitude, header.location.longitude, header.location.name, header.location.address, button.N.1 (URL suffix), button.N.coupon_code, button.N.payload',
    ),
});

export const createTemplateBody = templateFields.extend({
  status: templateFields.shape.status.default('PENDING'),
  parameterFormat: templateFields.shape.parameterFormat.default('POSITIONAL'),
  variables: templateFields.shape.variables.default({}),
  submit: z
    .boolean()
    .default(false)
    .describe(
      "Create the template at Meta (POST /{waba-id}/message_templates) and store it as Meta answers, PENDING until Meta's review webhook; status is then Meta's",
    ),
  examples: z
    .record(z.string(), z.string().min(1).max(1024))
    .optional()
    .describe(
      "With submit: an example value per placeholder key, which Meta requires for review; a key without one takes its mapping's default",
    ),
});

export const patchTemplateBody = templateFields
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

export const templateSchema = templateFields.extend({
  id: z.uuid(),
  placeholders: z.array(z.string()).describe('Keys the mapping must fill, in the order Meta takes their values'),
  optionalPlaceholders: z
    .array(z.string())
    .describe('Keys the mapping may fill (button.N.payload, header.media.filename); sent only with a value'),
  metaTemplateId: z.string().nullable(),
  rejectedReason: z.string().nullable().describe("Meta's reason, while the template is REJECTED"),
  qualityScore: z
    .enum(templateQualityScores)
    .nullable()
    .describe("Meta's quality rating of the template; null until Meta sent one"),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const templateQuery = pageQuery.extend({ status: z.enum(templateStatuses).optional() });

export const syncResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.array(z.object({ name: z.string(), language: z.string(), reason: z.string() })),
});

const condition = z
  .object({
    field: z.string().max(120).describe('name, phone, tags, createdAt or attributes.<key>'),
    op: z.string().max(20).describe('eq, ne, in, nin, gt, gte, lt, lte, exists or contains'),
    value: z
      .unknown()
      .optional()
      .describe(
        'A number compares an attribute numerically, a date-time as time, a string as text; in and nin take a list; exists takes true or false',
      ),
  })
  .strict();

const audience = z
  .object({
    tags: z.array(tag).max(100).default([]).describe('Any of these tags; none means no restriction'),
    where: z.array(condition).max(50).default([]).describe('Conditions that must all hold'),
    segmentId: z.uuid().optional().describe('A saved segment, read as it is when each run is created'),
    fromRun: z
      .object({
        runId: z.uuid(),
        statuses: z.array(z.enum(outcomeStatuses)).min(1).max(5),
        errorCodes: z.array(z.number().int().min(0).max(2_147_483_647)).max(100).default([]),
        replied: z
          .boolean()
          .optional()
          .describe('Only the contacts who replied to that message (true) or did not (false); either when left out'),
      })
      .strict()
      .optional()
      .describe(
        "The contacts whose message in that run ended in one of these statuses (and codes); not read is statuses ['SENT', 'DELIVERED']",
      ),
  })
  .strict()
  .describe('Contacts matching every part given: any of the tags, every condition and the segment');

export const audienceSchema = z.object({
  tags: z.array(z.string()),
  where: z.array(z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() })),
  segmentId: z.uuid().optional(),
  fromRun: z
    .object({
      runId: z.uuid(),
      statuses: z.array(z.enum(outcomeStatuses)),
      errorCodes: z.array(z.number().int()),
      replied: z.boolean().optional(),
    })
    .optional(),
});

const estimatedCost = z
  .object({ currency: z.string(), amount: z.string().describe('Decimal'), category: z.enum(templateCategories) })
  .nullable()
  .describe('Recipients × price by template category and calling code; null without a rate card');

const sendWindow = sendWindowSchema.describe(
  'When messages may leave: from start to end (HH:MM, end excluded) on ISO weekdays (1 = Monday), in the recipient’s `timezone` attribute when it is an IANA zone, else the campaign’s; a message due outside waits PENDING (outside_send_window)',
);

const senderIds = z
  .array(z.uuid())
  .max(50)
  .describe(
    'Sender ids (GET /v1/senders) the messages spread over, sticky per contact and weighted by each number’s rate; empty: the default sender',
  );

export const createCampaignBody = z.object({
  name: z.string().trim().min(1).max(200),
  templateId: z.uuid(),
  audience: audience.default({ tags: [], where: [] }),
  recurrence: z.enum(recurrences),
  timezone: z
    .string()
    .min(1)
    .max(64)
    .default('Asia/Kolkata')
    .describe('IANA time zone whose wall clock the recurrence follows'),
  startAt: instant,
  endAt: instant.optional(),
  sendWindow: sendWindow.optional(),
  senders: senderIds.default([]),
});

export const patchCampaignBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    templateId: z.uuid(),
    audience,
    recurrence: z.enum(recurrences),
    timezone: z.string().min(1).max(64),
    startAt: instant,
    endAt: instant.nullable(),
    sendWindow: sendWindow.nullable(),
    senders: senderIds,
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

export const campaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  templateId: z.uuid(),
  status: z.enum(campaignStatuses),
  audience: audienceSchema,
  audienceCount: z
    .number()
    .int()
    .nullable()
    .describe('Contacts the audience reached at the last activation, after exclusions'),
  estimatedCost,
  senders: z.array(z.uuid()).describe('The sender ids it sends from; empty: the default sender'),
  recurrence: z.enum(recurrences),
  timezone: z.string(),
  startAt: z.string(),
  endAt: z.string().nullable(),
  sendWindow: z
    .object({ start: z.string(), end: z.string(), days: z.array(z.number().int()) })
    .nullable()
    .describe(
      'When its messages may leave, in the recipient’s timezone attribute, else the campaign’s; null: any time',
    ),
  nextRunAt: z
    .string()
    .nullable()
    .describe(
      'While ACTIVE: when the next run is due (a time already past means the next scheduler pass creates it); null when nothing is left to run or the campaign is not ACTIVE',
    ),
  lastSkippedPeriod: z
    .object({
      periodKey: z.string(),
      scheduledFor: z.string(),
      reason: z.string().describe('outside_grace_window or campaign_not_schedulable'),
      reportedAt: z.string(),
    })
    .nullable()
    .describe('The latest period the scheduler skipped instead of running, and why'),
  pausedBy: z
    .enum(['meta', 'operator'])
    .nullable()
    .describe('While PAUSED: an operator, or Meta by pausing or disabling the template; only an operator resumes'),
  pausedReason: z.string().nullable().describe('While PAUSED: why'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const segmentBody = z.object({ name: z.string().trim().min(1).max(200), audience });

export const patchSegmentBody = segmentBody
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');

export const segmentSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  audience: audienceSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const previewBody = z.object({
  audience,
  templateId: z.uuid().optional().describe('Counts contacts missing a value it needs and prices the messages'),
});

export const previewSchema = z.object({
  count: z.number().int().describe('Contacts a run would message now'),
  sample: z.array(contactSchema).max(10),
  excluded: z.object({
    optedOut: z.number().int(),
    missingValue: z.number().int().describe('Missing a value the template needs, with no default (templateId given)'),
    frequencyCapped: z.number().int().describe('Always 0 until frequency caps exist'),
    regionBlocked: z.number().int().describe('Always 0 until region rules exist'),
  }),
  estimatedCost,
});

export const campaignQuery = pageQuery.extend({ status: z.enum(campaignStatuses).optional() });

export const counts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int().describe('Never sent: the contact opted out or was deleted, or the run was cancelled'),
});

export const runSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  templateId: z.uuid(),
  periodKey: z.string(),
  scheduledFor: z.string(),
  status: z.enum(runStatuses),
  createdAt: z.string(),
  completedAt: z
    .string()
    .nullable()
    .describe('When the dispatcher finished the run; a CANCELLED run gets it too, once its messages in flight ended'),
  cancelledAt: z.string().nullable(),
});

export const runDetailSchema = runSchema.extend({
  messages: counts
    .extend({ waitingReason: z.string().nullable(), source: z.enum(['dispatcher', 'run.completed']) })
    .nullable()
    .describe(
      'Counts by status from the dispatcher; the counts of run.completed when the dispatcher cannot be asked; null when neither is available',
    ),
});

export const messageQuery = pageQuery.extend({
  status: messageStatus.optional(),
  code: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .optional()
    .describe("Only messages that failed with this Meta error code (see the run's errors)"),
});

export const messageSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  phone: z.string(),
  status: z.string(),
  wamid: z.string().nullable(),
  error: z.object({ code: z.number().int(), message: z.string() }).nullable(),
  attempts: z.number().int(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  waitingReason: waitingReason
    .nullable()
    .describe(
      'Why a PENDING message waits: outside_send_window until its send window opens (nextAttemptAt); marketing_limit after Meta answered 131049, the per-user marketing limit (the dispatcher tries again on MARKETING_LIMIT_RETRY_DELAYS, then it is FAILED with that error)',
    ),
  nextAttemptAt: z.string().nullable().describe('When a PENDING message is next tried; null when it is due now'),
  skipReason: z
    .string()
    .nullable()
    .describe(`Why a SKIPPED message was not sent: ${skipReason.options.join(', ')}`),
  skippedAt: z.string().nullable(),
});

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(roles),
});

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(roles),
  prefix: z.string().describe('The first characters of the key, to tell keys apart'),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

export const mintedApiKeySchema = apiKeySchema.extend({
  key: z
    .string()
    .optional()
    .describe('Shown only in the first answer, never stored; a replay (same Idempotency-Key) leaves it out'),
});
