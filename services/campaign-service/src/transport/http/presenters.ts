import { optionalPlaceholdersOf, placeholdersOf } from '@ektola/platform/templates';
import { waitingReason } from './schemas.ts';
import type { ApiKeyRecord } from '../../domain/api-key.ts';
import { nextRunAt } from '../../domain/campaign-schedule.ts';
import type { Audience } from '../../domain/audience.ts';
import type {
  Campaign,
  Contact,
  ConversationEntry,
  CustomerReply,
  DispatchedMessage,
  Run,
  Segment,
  Template,
} from '../../domain/model.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const presentContact = (contact: Contact) => ({
  id: contact.id,
  phone: contact.phone,
  name: contact.name,
  tags: contact.tags,
  attributes: contact.attributes,
  optedOut: contact.optedOut,
  optedOutAt: iso(contact.optedOutAt),
  optOutReason: contact.optOutReason,
  createdAt: contact.createdAt.toISOString(),
  updatedAt: contact.updatedAt.toISOString(),
});

export const presentTemplate = (template: Template) => ({
  id: template.id,
  name: template.name,
  language: template.language,
  category: template.category,
  status: template.status,
  parameterFormat: template.parameterFormat,
  components: template.components,
  variables: template.variables,
  placeholders: placeholdersOf(template.components, template.parameterFormat),
  optionalPlaceholders: optionalPlaceholdersOf(template.components),
  metaTemplateId: template.metaTemplateId,
  rejectedReason: template.rejectedReason,
  qualityScore: template.qualityScore,
  createdAt: template.createdAt.toISOString(),
  updatedAt: template.updatedAt.toISOString(),
});

export const presentAudience = (audience: Audience) => ({
  tags: audience.tags,
  where: audience.where,
  ...(audience.segmentId ? { segmentId: audience.segmentId } : {}),
  ...(audience.fromRun ? { fromRun: audience.fromRun } : {}),
});

export const presentSegment = (segment: Segment) => ({
  id: segment.id,
  name: segment.name,
  audience: presentAudience(segment.audience),
  createdAt: segment.createdAt.toISOString(),
  updatedAt: segment.updatedAt.toISOString(),
});

/** `nextRunAt` is what the shared schedule code says, and only while the campaign is ACTIVE (nothing else runs). */
export const presentCampaign = (campaign: Campaign, schedule: { now: Date; graceWindowMs: number }) => ({
  id: campaign.id,
  name: campaign.name,
  templateId: campaign.templateId,
  status: campaign.status,
  audience: presentAudience(campaign.audience),
  audienceCount: campaign.audienceCount,
  estimatedCost: campaign.estimatedCost,
  senders: campaign.senders,
  recurrence: campaign.recurrence,
  timezone: campaign.timezone,
  sendWindow: campaign.sendWindow,
  startAt: campaign.startAt.toISOString(),
  endAt: iso(campaign.endAt),
  nextRunAt: campaign.status === 'ACTIVE' ? iso(nextRunAt(campaign, schedule.now, schedule.graceWindowMs)) : null,
  lastSkippedPeriod: campaign.lastSkipped && {
    periodKey: campaign.lastSkipped.periodKey,
    scheduledFor: campaign.lastSkipped.scheduledFor.toISOString(),
    reason: campaign.lastSkipped.reason,
    reportedAt: campaign.lastSkipped.reportedAt.toISOString(),
  },
  pausedBy: campaign.status === 'PAUSED' ? campaign.pausedBy : null,
  pausedReason: campaign.status === 'PAUSED' ? campaign.pausedReason : null,
  createdAt: campaign.createdAt.toISOString(),
  updatedAt: campaign.updatedAt.toISOString(),
});

export const presentRun = (run: Run) => ({
  id: run.id,
  campaignId: run.campaignId,
  templateId: run.templateId,
  periodKey: run.periodKey,
  scheduledFor: run.scheduledFor.toISOString(),
  status: run.status,
  createdAt: run.createdAt.toISOString(),
  completedAt: iso(run.completedAt),
  cancelledAt: iso(run.cancelledAt),
});

export const presentApiKey = (record: ApiKeyRecord) => ({
  id: record.id,
  name: record.name,
  role: record.role,
  prefix: record.prefix,
  createdAt: record.createdAt.toISOString(),
  revokedAt: iso(record.revokedAt),
});

/** The proto says an empty string means "not set"; JSON says null. */
const orNull = (value: string) => value || null;

export const presentMessage = (message: DispatchedMessage) => ({
  id: message.id,
  contactId: message.contactId,
  phone: message.phone,
  status: message.status,
  wamid: orNull(message.wamid),
  error: message.errorCode ? { code: message.errorCode, message: message.errorMessage } : null,
  attempts: message.attempts,
  createdAt: orNull(message.createdAt),
  updatedAt: orNull(message.updatedAt),
  sentAt: orNull(message.sentAt),
  deliveredAt: orNull(message.deliveredAt),
  readAt: orNull(message.readAt),
  failedAt: orNull(message.failedAt),
  waitingReason: waitingReasonOf(message.waitingReason),
  nextAttemptAt: orNull(message.nextAttemptAt),
  skipReason: orNull(message.skipReason),
  skippedAt: orNull(message.skippedAt),
});

const waitingReasonOf = (reason: string) => {
  const known = waitingReason.safeParse(reason);
  return known.success ? known.data : null;
};

export const presentConversationEntry = (entry: ConversationEntry) => ({
  direction: entry.direction as 'outbound' | 'inbound',
  id: entry.id,
  at: entry.at,
  runId: orNull(entry.runId),
  campaignId: orNull(entry.campaignId),
  templateName: orNull(entry.templateName),
  status: orNull(entry.status),
  wamid: orNull(entry.wamid),
  sentAt: orNull(entry.sentAt),
  deliveredAt: orNull(entry.deliveredAt),
  readAt: orNull(entry.readAt),
  failedAt: orNull(entry.failedAt),
  replied: entry.direction === 'outbound' ? entry.repliedAt !== '' : null,
  repliedAt: orNull(entry.repliedAt),
  type: orNull(entry.type),
  text: orNull(entry.text),
  payload: orNull(entry.payload),
  inReplyTo: orNull(entry.inReplyTo),
});

export const presentReply = (reply: CustomerReply) => ({
  id: reply.id,
  phone: reply.phone,
  type: reply.type,
  text: orNull(reply.text),
  payload: orNull(reply.payload),
  messageId: orNull(reply.messageId),
  runId: orNull(reply.runId),
  campaignId: orNull(reply.campaignId),
  contactId: orNull(reply.contactId),
  profileName: orNull(reply.profileName),
  receivedAt: reply.receivedAt,
});
