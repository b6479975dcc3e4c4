import type { StatusCounts } from '@ektola/platform/events';
import type { SendWindow } from '@ektola/platform/schedule';
import type { TemplateComponent, ParameterFormat } from '@ektola/platform/templates';
import type { CampaignStatus, Recurrence } from './campaign-state.ts';
import type { Audience } from './audience.ts';
import type { EstimatedCost } from './estimated-cost.ts';
import type { VariableMappings } from './template-variables.ts';

export interface Contact {
  id: string;
  phone: string;
  name: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  optedOut: boolean;
  optedOutAt: Date | null;
  optOutReason: string | null;
  /** When the latest preference was expressed; an older one arriving later does not undo it. */
  preferenceChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a run's message needs of a contact: where to send it and the fields its placeholders read. */
export type AudienceContact = Pick<Contact, 'id' | 'phone' | 'name' | 'attributes'>;

export const templateStatuses = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'] as const;
export type TemplateStatus = (typeof templateStatuses)[number];
export const templateCategories = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof templateCategories)[number];
/** Meta's quality rating of a template, from its message_template_quality_update webhook. */
export const templateQualityScores = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'] as const;
export type TemplateQualityScore = (typeof templateQualityScores)[number];

export interface Template {
  id: string;
  name: string;
  language: string;
  category: TemplateCategory;
  status: TemplateStatus;
  parameterFormat: ParameterFormat;
  components: TemplateComponent[];
  variables: VariableMappings;
  metaTemplateId: string | null;
  /** Why Meta rejected it, while it is REJECTED. */
  rejectedReason: string | null;
  /** Meta's quality rating; null until Meta sent one. */
  qualityScore: TemplateQualityScore | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Who paused a campaign: an operator, or Meta by pausing or disabling its template. */
export type PausedBy = 'meta' | 'operator';

export interface Campaign {
  id: string;
  name: string;
  templateId: string;
  status: CampaignStatus;
  recurrence: Recurrence;
  timezone: string;
  startAt: Date;
  endAt: Date | null;
  audience: Audience;
  /** When its messages may leave, in the recipient's zone (else the campaign's); null: any time. */
  sendWindow: SendWindow | null;
  /** The sender ids its messages spread over, in the operator's order; empty: the default sender. */
  senders: string[];
  /** Contacts the audience reached when the campaign was last activated, after exclusions. */
  audienceCount: number | null;
  /** What those messages were estimated to cost then; null without a rate card or before activation. */
  estimatedCost: EstimatedCost | null;
  /** The latest period a run exists for; null when it never ran, or when the read did not ask. */
  lastRun: { periodKey: string; scheduledFor: Date } | null;
  /** The latest period the scheduler skipped, and why. */
  lastSkipped: SkippedPeriod | null;
  /** While PAUSED: who paused it and why. */
  pausedBy: PausedBy | null;
  pausedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SkippedPeriod {
  periodKey: string;
  scheduledFor: Date;
  /** outside_grace_window or campaign_not_schedulable, as the scheduler reports it. */
  reason: string;
  /** When the scheduler reported it. */
  reportedAt: Date;
}

export const runStatuses = ['REQUESTED', 'COMPLETED', 'CANCELLED'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Counts by message status, as run.completed carries them. */
export type MessageCounts = StatusCounts;

export interface Run {
  id: string;
  campaignId: string;
  templateId: string;
  periodKey: string;
  scheduledFor: Date;
  status: RunStatus;
  /** What the dispatcher reported when the run completed. */
  counts: MessageCounts | null;
  createdAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

/** The fields an operator sets on a campaign; everything else the service keeps. */
export type CampaignFields = Pick<
  Campaign,
  'name' | 'templateId' | 'recurrence' | 'timezone' | 'startAt' | 'endAt' | 'audience' | 'sendWindow' | 'senders'
>;

export type TemplateFields = Omit<
  Template,
  'id' | 'createdAt' | 'updatedAt' | 'metaTemplateId' | 'rejectedReason' | 'qualityScore'
>;

/** A saved audience that campaigns, previews and other segments name by id. */
export interface Segment {
  id: string;
  name: string;
  audience: Audience;
  createdAt: Date;
  updatedAt: Date;
}

/** What Meta says about one of the business's templates. */
export type MetaTemplate = Pick<
  Template,
  'name' | 'language' | 'category' | 'status' | 'parameterFormat' | 'components'
> & { metaTemplateId: string } & Partial<Pick<Template, 'qualityScore' | 'rejectedReason'>>;

/** One message of a run as the dispatcher reports it; an empty string is a field it has not set. */
export interface DispatchedMessage {
  id: string;
  contactId: string;
  phone: string;
  status: string;
  wamid: string;
  errorCode: number;
  errorMessage: string;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  sentAt: string;
  deliveredAt: string;
  readAt: string;
  failedAt: string;
  skipReason: string;
  skippedAt: string;
  /** Meta's error title alone; the pricing Meta's status webhooks reported (empty and false until one did). */
  errorTitle: string;
  category: string;
  billable: boolean;
  pricingModel: string;
  /** Why a PENDING message waits beyond an ordinary retry (marketing_limit, outside_send_window), and when it is next tried. */
  waitingReason: string;
  nextAttemptAt: string;
}

/**
 * One entry of a contact's conversation as the dispatcher answers it: a campaign message sent
 * (`outbound`) or a message the contact sent (`inbound`); fields that do not apply are empty.
 */
export interface ConversationEntry {
  direction: string;
  id: string;
  at: string;
  runId: string;
  campaignId: string;
  templateName: string;
  status: string;
  wamid: string;
  sentAt: string;
  deliveredAt: string;
  readAt: string;
  failedAt: string;
  repliedAt: string;
  type: string;
  text: string;
  payload: string;
  inReplyTo: string;
}

/** A message a customer sent, with the campaign message it answers when it answers one (empty otherwise). */
export interface CustomerReply {
  id: string;
  phone: string;
  type: string;
  text: string;
  payload: string;
  contextWamid: string;
  messageId: string;
  runId: string;
  campaignId: string;
  contactId: string;
  profileName: string;
  receivedAt: string;
}
